# function locals are decided by every binding in the body (CPython scoping rules)
def later_helper():
    def use():
        return helper(3)
    def helper(x):
        return x * 2
    return use()
print(later_helper())
counter = 100
def reads_before_assign():
    try:
        print(counter)
    except UnboundLocalError as e:
        print("unbound:", e)
    counter = 1
    return counter
print(reads_before_assign())
def loop_carried():
    out = []
    for i in range(4):
        if i > 0:
            out.append(prev * 10 + i)
        prev = i
    return out
print(loop_carried())
config = {"mode": "a"}
def mutate_global_dict():
    config["mode"] = "b"
    items = [1, 2]
    items[0], items[1] = items[1], items[0]
    return items
print(mutate_global_dict(), config)
def closure_sees_late_binding():
    fns = []
    for k in range(3):
        fns.append(lambda: k)
    return [f() for f in fns]
print(closure_sees_late_binding())
def one_liner(x): y = x + 1; return y * 2
print(one_liner(4))
def tuple_targets():
    (a, b), c = (1, 2), 3
    for x, (y, z) in [(1, (2, 3))]:
        pass
    return a + b + c + x + y + z
print(tuple_targets())
def with_global():
    global counter
    counter += 1
    return counter
print(with_global(), counter)
def except_name():
    try:
        raise ValueError("v")
    except ValueError as err:
        msg = str(err)
    return msg
print(except_name())
def inner_class():
    class Local:
        def __init__(self):
            self.v = 7
    return Local().v
print(inner_class())
