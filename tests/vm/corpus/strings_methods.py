# str methods and operations
s = "  Hello, World  "
print(s.strip(), s.lstrip(), s.rstrip(), s.upper(), s.lower())
print("a,b,,c".split(","), "a b  c".split(), "a-b-c".split("-", 1), ",".join(["x", "y", "z"]))
print("hello".replace("l", "L"), "hello".find("l"), "hello".find("z"), "hello".index("e"))
print("hello".startswith("he"), "hello".endswith("lo"), "hello".startswith(("x", "h")))
print("abc" + "def", "ab" * 3, "b" in "abc", "abc"[1], "abc"[-1], "hello"[1:4], "hello"[::-1])
print(len("hello"), "a" < "b", "abc" == "abc", "x".join("abc"), "hello".count("l"))
print("42".isdigit(), "abc".isalpha(), " ".isspace(), "ab".ljust(5, "*"), "ab".rjust(5), "7".zfill(3))
print("{} and {}".format(1, "two"), "{1}{0}".format("a", "b"), "{name}!".format(name="hi"))
print("{:>6}|{:<6}|{:^6}|".format("a", "b", "c"), "{:05d}".format(42), "{:.3f}".format(3.14159))
print("{:x} {:X} {:b} {:o} {:,}".format(255, 255, 5, 8, 1234567))
print(str(123), str(1.5), str(None), str([1, "a"]), repr("it's"), repr('say "hi"'), repr("a\nb"))
print("tab\there", "quote\"s", 'single\'s', "back\\slash", "\x41\u00e9")
words = "the quick brown fox".split()
print(" ".join(w.upper() for w in words), sorted(words), max(words, key=len))
print("%s is %d years, %.2f m" % ("Bob", 30, 1.8), "%5s|%-5s|%03d" % ("a", "b", 7), "%x %%" % 255)
print("abc".encode(), "line1\nline2".split("\n"), "a" "b" "c")
multi = """triple
quoted"""
print(multi, r"raw\n")
for ch in "hey":
    print(ch, end=".")
print()
