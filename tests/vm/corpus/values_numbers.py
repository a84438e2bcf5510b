# ints, floats, bools, None, arithmetic and comparisons
print(1 + 2 * 3, (1 + 2) * 3, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 2 ** 10, 2 ** -1)
print(7 / 2, 1 / 3, 10 / 5, 0.1 + 0.2, 1e16, 1.5e-5, 123456789.125, -0.0, 3.0 * 2)
print(1 << 10, 1024 >> 3, 5 & 3, 5 | 3, 5 ^ 3, ~5, -(-3), +4)
print(True + True, True * 3, False == 0, 1 == 1.0, 2 < 3 < 4, 3 > 2 > 5, 1 != 2)
print(None is None, None == False, 1 is not None, not 0, not [], bool([0]))
print(int("42"), int(" -17 "), int(3.9), int(-3.9), float("2.5"), float(3), int("ff", 16), int(True))
print(abs(-5), abs(-2.5), round(2.5), round(3.5), round(2.675, 2), round(-1.5), divmod(17, 5), divmod(-17, 5))
print(min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3]), sum([0.5, 0.25], 1))
print(hex(255), hex(-16), ord("A"), chr(97), chr(8364))
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x **= 3
x %= 7
x <<= 2
x |= 1
print(x)
big = 2 ** 62
print(big, big - 1 + big, -big * 2)
print(3.14159, 2.0 ** 0.5, 1 / 7, 100.0 / 3, 1e300 * 10, -1e-10)
print(10 == 10.0, 0.1 * 3 == 0.3, 5 // 2.0, 5 % 2.5, -5.5 // 2)
