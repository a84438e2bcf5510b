# lists, tuples, dicts, ranges, bytes
a = [3, 1, 2]
a.append(5)
a.insert(0, 9)
a.extend([7, 8])
print(a, len(a), a[0], a[-1], a[1:3], a[::-1], a[::2], a[-3:])
a.sort()
print(a, a.pop(), a.pop(0), a.index(3), a.count(2), 3 in a, 10 not in a)
a.remove(3)
a.reverse()
print(a)
b = a.copy()
b[0] = 100
print(a, b, a + b, [0] * 3, a == b, [1, 2] < [1, 3])
del b[0]
del b[0:2]
print(b)
t = (1, "two", 3.0)
print(t, t[1], len(t), t + (4,), (5,), (), t[::-1])
x, y, z = t
print(x, y, z)
(p, q), r = (1, 2), 3
print(p, q, r)
d = {"one": 1, "two": 2}
d["three"] = 3
d[4] = "four"
d[(1, 2)] = "tuple"
print(d, len(d), d["two"], d.get("zzz"), d.get("zzz", 0), "one" in d)
del d["one"]
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("two"), d.setdefault("new", []), d)
d.update({"a": 1}, b=2)
print(sorted(d.keys(), key=str))
e = {}
for i in range(20):
    e[i * 7 % 13] = i
print(e)
print(dict([("x", 1), ("y", 2)]), dict(a=1), {1: "a", 1.0: "b", True: "c"})
print(list(range(5)), list(range(2, 10, 3)), list(range(10, 0, -2)), range(5)[2], len(range(0, 10, 3)))
bs = b"abc"
print(bs, bs[0], len(bs), bs + b"\x00\xff", list(bs), bytes([104, 105]), bs.decode())
ba = bytearray(b"hi")
ba.append(33)
ba[0] = 72
print(ba, len(ba), bytes(ba), "x".encode())
nested = [[1, 2], [3, [4, 5]]]
nested[1][1][0] = 40
print(nested, [[0] * 2 for _ in range(2)])
l2 = [1, 2, 3, 4, 5]
l2[1:3] = [20, 30, 35]
print(l2, sorted([3, 1, 2], reverse=True), list(reversed([1, 2, 3])))
