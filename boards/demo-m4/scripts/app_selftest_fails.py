# demo-m4 application script, version 3.3.0: BROKEN ON PURPOSE.
# Loads and runs, but its selftest() reports a failure, so the trial must roll it back.
import gpio

def setup():
    print("app selftest-fails: starting")

def tick(now_ms):
    gpio.write(0, (now_ms // 500) % 2)

def selftest():
    print("app selftest-fails: LED driver check failed")
    return False
