l = [3, 1, 2]
l.sort(key=lambda x: l.append(x) or x)
print(l)
