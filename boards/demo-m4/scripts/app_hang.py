# demo-m4 application script, version 3.1.0: BROKEN ON PURPOSE.
# Starts fine, then hangs in tick() after one second: only the watchdog can get the device
# out of it, and the firmware must roll back on the next boot.
import gpio

started = None

def setup():
    print("app hang: starting")

def tick(now_ms):
    global started
    if started is None:
        started = now_ms
    gpio.write(0, (now_ms // 500) % 2)
    if now_ms - started > 1000:
        while True:
            pass

def selftest():
    return True
