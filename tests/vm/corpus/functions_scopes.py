# closures sharing variables, nested nonlocal, default evaluation time, recursion, higher-order
def counter_pair():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    def get():
        return n
    return inc, get
inc, get = counter_pair()
inc()
inc()
print(get())
def outer():
    x = "outer"
    def middle():
        def inner():
            return x + "!"
        return inner()
    return middle()
print(outer())
funcs = []
for i in range(3):
    def f(k=i):
        return k * 10
    funcs.append(f)
print([g() for g in funcs])
def make_multipliers():
    return [lambda x, m=m: x * m for m in (2, 3)]
print([f(5) for f in make_multipliers()])
default_list = []
def append_to(v, target=default_list):
    target.append(v)
    return len(target)
append_to(1)
print(append_to(2), default_list)
def compose(f, g):
    return lambda x: f(g(x))
print(compose(lambda a: a + 1, lambda b: b * 2)(5))
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
print(ackermann(2, 3))
G = 5
def reads_global():
    return G * 2
def shadows():
    G = 1
    return G
print(reads_global(), shadows(), G)
def swap(pair):
    a, b = pair
    return b, a
print(swap((1, 2)), swap("xy"))
def kw_defaults(a, b=2, c=3):
    return (a, b, c)
print(kw_defaults(1, c=30), kw_defaults(b=20, a=10))
def star_mix(first, *rest, **opts):
    return first, rest, sorted(opts)
print(star_mix(1), star_mix(1, 2, 3, x=1, y=2))
args = (1, 2)
kw = {"c": 9}
print(kw_defaults(*args, **kw))
def fact(n):
    result = 1
    while n > 1:
        result *= n
        n -= 1
    return result
print(fact(20))
