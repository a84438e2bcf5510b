# f-strings and formatting
name = "world"
n = 42
pi = 3.14159265
items = [1, 2, 3]
print(f"hello {name}!", f"{n + 1}", f"{n:5d}|{n:<5}|{n:^7}|", f"{pi:.2f}", f"{pi:10.3f}|")
print(f"{name!r}", f"{items}", f"{items[1] * 10}", f"{len(items)} items", f"{{literal}}")
print(f"{'nested'}", f"{n:x}", f"{n:08b}", f"{-n:+d}", f"{0.5:%}", f"{1234567.891:,.2f}")
d = {"k": "v"}
print(f"{d['k']}", f"{'yes' if n > 40 else 'no'}", f"{[x * 2 for x in items]}")
print(f"{name:>10}", f"{name:*^11}", f"{True}", f"{None}", f"{3.0}", f"{1e-7}")
