# def, defaults, keyword args, *args/**kwargs, return, lambda, closures, global, nonlocal
def add(a, b=10, *rest, **kw):
    return a + b + sum(rest) + sum(kw.values())
print(add(1), add(1, 2), add(1, 2, 3, 4), add(1, b=5), add(a=2, b=3), add(1, 2, 3, x=100))
def describe(name, greeting="Hello"):
    return greeting + ", " + name
print(describe("Ann"), describe("Bob", greeting="Hi"), describe(greeting="Yo", name="Cy"))
def varargs(*args):
    return len(args), args
print(varargs(), varargs(1, "a"), varargs(*[1, 2, 3]))
def kwonly(**kw):
    return sorted(kw.items())
print(kwonly(b=2, a=1), kwonly(**{"z": 26}))
square = lambda x: x * x
print(square(7), (lambda a, b=2: a ** b)(3), list(map(lambda v: v + 1, [1, 2])))
def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(5), c2())
total = 0
def bump():
    global total
    total += 1
bump()
bump()
print(total)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print([fib(i) for i in range(12)])
def outer():
    def helper(n):
        return 1 if n == 0 else n * helper(n - 1)
    return helper(6)
print(outer())
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
def noreturn():
    pass
print(noreturn())
def early(x):
    if x:
        return "early"
    return "late"
print(early(1), early(0))
def apply(f, *args, **kwargs):
    return f(*args, **kwargs)
print(apply(describe, "Dee", greeting="Hey"), apply(max, 3, 9, 4))
print(sorted([5, 2, 8], key=lambda v: -v), min(["bb", "a", "ccc"], key=len))
def gen_list(n):
    return [i for i in range(n)]
print(sum(x * x for x in gen_list(4)))
print(fib.__name__, square.__name__)
