def run(n):
    d = {}
    for i in range(n):
        d["k" + str(i % 1000)] = i
    hits = 0
    keys = ["k" + str(i) for i in range(1000)]
    for r in range(2000):
        for k in keys:
            if d[k] > 0:
                hits += 1
    return len(d), hits
print(run(200000))
