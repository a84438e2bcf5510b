# dict ordering after deletes, key types, collisions, iteration, nested structures
d = {}
for i in range(10):
    d[i] = i * i
for i in range(0, 10, 3):
    del d[i]
d[0] = "back"
print(d, list(d), len(d))
keys = {1: "int", "1": "str", (1,): "tuple", 1.5: "float", None: "none", True: "bool?", b"1": "bytes"}
print(keys, keys[1], keys[1.0], keys[(1,)], keys[None])
words = "the cat and the hat and the bat".split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print(freq, sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])))
inv = {v: k for k, v in {"a": 1, "b": 2}.items()}
print(inv)
nested = {"cfg": {"led": [1, 2], "name": "dev"}}
nested["cfg"]["led"].append(3)
print(nested, "cfg" in nested, "led" in nested["cfg"], nested.get("x", {}).get("y"))
big = {}
for i in range(1000):
    big["key%d" % i] = i
total = 0
for k in big:
    total += big[k]
print(len(big), total, big["key999"])
for k in list(big.keys()):
    if big[k] % 2:
        del big[k]
print(len(big), big["key998"], "key997" in big)
d2 = dict(zip("abc", range(3)))
d2.update(d=3)
print(d2, d2.pop("a"), d2.pop("zz", "default"), d2.setdefault("b", 100), d2)
print({1: 2} == {1: 2}, {1: 2} == {1: 3}, [1, [2, 3]] == [1, [2, 3]], (1, 2) < (1, 2, 0))
copy = d2.copy()
copy["e"] = 4
d2.clear()
print(copy, d2, len(d2))
t = ((1, "a"), (2, "b"))
print(dict(t), {k: v for k, v in t if k > 1})
