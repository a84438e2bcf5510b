# exec() of full statements (def, class) into the module namespace, eval, globals dict
exec("def greet(n):\n    return 'hi ' + n\n")
print(greet("dev"))
exec("""
class Sensor:
    def __init__(self, pin):
        self.pin = pin
    def read(self):
        return self.pin * 2
s = Sensor(21)
""")
print(s.read(), Sensor.__name__)
state = {"count": 0}
for version in range(3):
    src = "def handler(x):\n    return x + %d\nstate['count'] += 1\n" % (version * 100)
    exec(src)
    print(handler(1), state["count"])
ns = {}
exec("a = 5\nb = a * 2", ns)
print(ns["a"], ns["b"], eval("a + b", ns))
try:
    exec("def broken(:\n    pass")
except SyntaxError:
    print("syntax error caught")
code = "x = 1\nfor i in range(4):\n    x *= 2\n"
exec(code)
print(x)
import mod_helper
print(mod_helper.double(21), mod_helper.NAME)
from mod_helper import double as dbl, NAME
print(dbl(4), NAME)
exec("import mod_helper as mh\nprint(mh.double(5))")
