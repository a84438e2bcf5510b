# nested try/finally ordering, exceptions across calls, re-raise chains, exceptions in loops
log = []
def step(n):
    try:
        log.append("try%d" % n)
        if n == 2:
            raise ValueError("two")
        return n
    except ValueError:
        log.append("except%d" % n)
        return -1
    finally:
        log.append("finally%d" % n)
print([step(i) for i in range(4)], log)
def nested():
    try:
        try:
            raise KeyError("inner")
        finally:
            print("inner finally")
    except KeyError as e:
        print("outer caught", repr(e))
        return "handled"
    finally:
        print("outer finally")
print(nested())
def convert(items):
    out = []
    for s in items:
        try:
            out.append(int(s))
        except ValueError:
            continue
        finally:
            out.append("|")
    return out
print(convert(["1", "x", "3"]))
class RetryError(Exception):
    pass
attempts = 0
def flaky():
    global attempts
    attempts += 1
    if attempts < 3:
        raise RetryError("attempt %d" % attempts)
    return "ok after %d" % attempts
while True:
    try:
        print(flaky())
        break
    except RetryError as e:
        print("retry:", e)
def chain():
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("converted")
try:
    chain()
except ValueError as e:
    print("chained:", e, type(e).__name__)
try:
    raise IndexError
except LookupError as e:
    print("base class catch", type(e).__name__, e.args)
def finally_return():
    for i in range(3):
        try:
            continue
        finally:
            print("cont", i)
    return "done"
print(finally_return())
try:
    try:
        raise TypeError("t")
    except ValueError:
        print("not here")
except TypeError as e:
    print("propagated", e)
errors = []
for v in [1, 0, "a", None]:
    try:
        errors.append(10 / v)
    except ZeroDivisionError as e:
        errors.append("zde")
    except TypeError as e:
        errors.append("te")
print(errors)
try:
    raise Exception()
except Exception as e:
    print(repr(str(e)), e.args)
