# classes, single inheritance, bound methods, __init__, __str__/__repr__, dunders, super()
class Vec:
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __eq__(self, o):
        return isinstance(o, Vec) and self.x == o.x and self.y == o.y
    def __lt__(self, o):
        return self.x < o.x
    def __repr__(self):
        return "Vec(%d, %d)" % (self.x, self.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return self.x if i == 0 else self.y
    def norm2(self):
        return self.x * self.x + self.y * self.y
a = Vec(1, 2)
b = Vec(3, 4)
print(a + b, b - a, a * 3, a == Vec(1, 2), a != b, a < b, len(a), a[1], Vec.dims, a.dims)
print(str(a), repr([a, b]), a.norm2(), sorted([b, a]))
m = a.norm2
print(m())
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " says " + self.sound
    def __str__(self):
        return "Animal(" + self.name + ")"
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, tricks):
        super().__init__(name)
        self.tricks = tricks
    def speak(self):
        return super().speak() + "!"
class Puppy(Dog):
    def speak(self):
        return super().speak().upper()
d = Dog("Rex", ["sit"])
p = Puppy("Bit", [])
print(d.speak(), p.speak(), str(d), d.tricks, isinstance(p, Animal), isinstance(d, Puppy))
print(type(d) == Dog, type(d).__name__, Dog.__name__, hasattr(d, "tricks"), hasattr(d, "nope"))
print(getattr(d, "name"), getattr(d, "missing", "default"))
setattr(d, "age", 3)
print(d.age)
class Counter:
    instances = 0
    def __init__(self):
        Counter.instances += 1
        self.n = 0
    def inc(self):
        self.n += 1
        return self
c = Counter().inc().inc()
Counter()
print(c.n, Counter.instances)
class Node:
    def __init__(self, v, nxt=None):
        self.v = v
        self.next = nxt
head = Node(1, Node(2, Node(3)))
vals = []
while head:
    vals.append(head.v)
    head = head.next
print(vals)
class Plain:
    pass
o = Plain()
o.z = 5
print(o.z, isinstance(o, Plain), isinstance(5, int), isinstance("s", (int, str)), isinstance(True, int))
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
    def __contains__(self, x):
        return x in self.items
    def __iter__(self):
        return iter(self.items)
s = Stack()
s.push(1)
s.push(2)
print(2 in s, 5 in s, [x for x in s])
