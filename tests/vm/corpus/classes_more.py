# class attributes vs instance attributes, inheritance chains, __str__ vs __repr__, methods as values
class Base:
    kind = "base"
    count = 0
    def __init__(self):
        Base.count += 1
        self.id = Base.count
    def describe(self):
        return "%s#%d" % (self.kind, self.id)
    def __repr__(self):
        return "<" + self.describe() + ">"
class Mid(Base):
    kind = "mid"
class Leaf(Mid):
    def __init__(self, tag):
        super().__init__()
        self.tag = tag
    def describe(self):
        return super().describe() + ":" + self.tag
    def __str__(self):
        return "Leaf(" + self.tag + ")"
objs = [Base(), Mid(), Leaf("x")]
print(objs, [str(o) for o in objs], Base.count)
print(isinstance(objs[2], Base), isinstance(objs[0], Leaf), type(objs[1]).__name__)
b = objs[0]
b.kind = "custom"
print(b.describe(), Base.kind, objs[1].kind)
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        if isinstance(other, int):
            return Money(self.cents + other)
        return Money(self.cents + other.cents)
    def __radd__(self, other):
        return self.__add__(other)
    def __le__(self, other):
        return self.cents <= other.cents
    def __gt__(self, other):
        return self.cents > other.cents
    def __neg__(self):
        return Money(-self.cents)
    def __str__(self):
        return "$%d.%02d" % (self.cents // 100, self.cents % 100)
total = sum([Money(150), Money(275)], Money(0))
print(total, Money(5) + 10, 7 + Money(1), Money(1) <= Money(2), Money(3) > Money(2), -Money(5))
print(max([Money(10), Money(30), Money(20)], key=lambda m: m.cents))
class Registry:
    def __init__(self):
        self.items = {}
    def __setitem__(self, k, v):
        self.items[k] = v * 2
    def __getitem__(self, k):
        return self.items[k]
    def __len__(self):
        return len(self.items)
    def __call__(self, k):
        return k in self.items
r = Registry()
r["a"] = 5
print(r["a"], len(r), r("a"), r("b"))
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(3)), [x * 2 for x in Countdown(2)])
method = r.__call__
print(method("a"))
class Empty:
    pass
e1 = Empty()
e2 = Empty()
print(e1 == e1, e1 == e2, e1 != e2)
class WithClassMethodLike:
    factor = 3
    def scale(self, v):
        return v * self.factor
print(WithClassMethodLike().scale(4), WithClassMethodLike.scale(WithClassMethodLike(), 5))
