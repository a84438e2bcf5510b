def run(n, m):
    total = 0
    for i in range(n):
        total += i % 7
    j = 0
    while j < m:
        j += 1
    return total, j
t, j = run(20000000, 5000000)
print(t, j)
