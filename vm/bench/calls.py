def add(a, b):
    return a + b
def inc(x):
    return add(x, 1)
def run(n):
    acc = 0
    for i in range(n):
        acc = inc(acc)
    return acc
print(run(5000000))
