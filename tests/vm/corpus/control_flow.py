# if/elif/else, while/for with break/continue/else, conditional expressions
for i in range(10):
    if i % 2 == 0:
        continue
    if i > 7:
        break
    print("odd", i)
else:
    print("no break")
for i in range(3):
    pass
else:
    print("loop finished", i)
n = 0
while n < 5:
    n += 1
    if n == 3:
        continue
    print("n", n)
else:
    print("while else")
while True:
    n -= 1
    if n < 2:
        break
print("n after", n)
x = 5
if x > 10:
    print("big")
elif x > 3:
    print("medium")
else:
    print("small")
print("yes" if x == 5 else "no", "a" if not x else "b")
total = 0
for a, b in [(1, 2), (3, 4)]:
    total += a * b
print(total)
for i, ch in enumerate("abc"):
    print(i, ch)
for a, b in zip([1, 2, 3], "xyz"):
    print(a, b)
print(1 and 2, 0 and 2, 1 or 2, 0 or None, [] or "empty", not None)
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
print(grid, [x for row in grid for x in row if x % 2])
squares = {i: i * i for i in range(5)}
print(squares)
count = 0
for i in range(3):
    for j in range(3):
        if j == 2:
            break
        count += 1
print(count)
if x: print("one-line if")
i = 0
while i < 3: i += 1
print(i); print("semicolons")
pass
del x
print("deleted")
