def f():
    total = total + 1
    return total
f()
