# try/except/else/finally, raise, custom exceptions, hierarchy, assert
def risky(n):
    if n == 0:
        raise ValueError("zero!")
    if n == 1:
        raise KeyError("k")
    return 10 // (n - 2)
for n in range(4):
    try:
        r = risky(n)
    except ValueError as e:
        print("value error:", e)
    except (KeyError, IndexError) as e:
        print("lookup error:", repr(e), type(e).__name__)
    except ZeroDivisionError:
        print("div by zero")
    else:
        print("ok", r)
    finally:
        print("finally", n)
class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
class SubError(AppError):
    pass
try:
    raise SubError(42, "bad thing")
except AppError as e:
    print("caught", e.code, e, isinstance(e, Exception), e.args)
def f():
    try:
        return "from try"
    finally:
        print("cleanup runs")
print(f())
def g():
    for i in range(5):
        try:
            if i == 2:
                break
        finally:
            print("iter", i)
    return i
print(g())
try:
    try:
        [][1]
    except IndexError:
        print("inner caught")
        raise
except Exception as e:
    print("re-raised:", e)
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    {}["missing"]
except LookupError as e:
    print("lookup base:", e)
try:
    undefined_name
except NameError as e:
    print(e)
try:
    None.attr
except AttributeError as e:
    print(e)
try:
    int("abc")
except ValueError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    raise RuntimeError
except RuntimeError as e:
    print("bare class raise", repr(e))
def deep(n):
    return deep(n + 1)
try:
    deep(0)
except RecursionError:
    print("recursion limit")
it = iter([1])
print(next(it))
try:
    next(it)
except StopIteration:
    print("stop")
x = 0
try:
    x = 1
except Exception:
    x = 2
else:
    x += 10
finally:
    x += 100
print(x)
try:
    raise Exception("a", 1)
except Exception as e:
    print(e, e.args)
