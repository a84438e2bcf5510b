def run(n):
    l = []
    for i in range(n):
        l.append(i * 2)
    total = 0
    for k in range(30):
        for i in range(n):
            total += l[i]
    return total
print(run(300000))
