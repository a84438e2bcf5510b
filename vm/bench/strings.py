def run(n):
    parts = []
    for i in range(n):
        parts.append("item" + str(i))
    s = ",".join(parts)
    count = 0
    for p in s.split(","):
        if p.endswith("7"):
            count += 1
    return len(s), count
print(run(200000))
