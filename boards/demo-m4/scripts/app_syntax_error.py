# demo-m4 application script, version 3.2.0: BROKEN ON PURPOSE.
# Does not compile (a missing colon), so exec() raises SyntaxError and the update is rolled back.
import gpio

def setup()
    print("never printed")

def tick(now_ms):
    gpio.write(0, 1)
