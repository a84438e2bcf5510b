# super().__init__ without an explicit base, exception classes with and without __init__
class Plain:
    def __init__(self):
        super().__init__()
        self.ok = True
print(Plain().ok)
class E1(Exception):
    pass
class E2(E1):
    def __init__(self, a, b):
        super().__init__(a, b)
        self.total = a + b
e = E2(1, 2)
print(e.args, e.total, str(e), repr(E1("m")), isinstance(e, E1))
try:
    raise E2(3, 4)
except E1 as err:
    print("caught", err.total, err.args)
print(str(KeyError("k")), str(ValueError()), repr(ValueError("v")), ValueError("x", 1).args)
