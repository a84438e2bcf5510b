# demo-m4 application script, version 1.0.0.
# Blinks LED0 every 500 ms, toggles LED1 on each BUTTON press, and counts the presses.
# The firmware calls setup() once, tick(now_ms) every 10 ms and selftest() during a trial.
import gpio
import device

LED0 = 0
LED1 = 1
BLINK_MS = 500

try:
    presses            # kept across hot updates: exec() runs in the same namespace
except NameError:
    presses = 0
led1 = False

def setup():
    print("app v1: hello, running " + device.version() + " from " + device.slot())

def tick(now_ms):
    global led1, presses
    gpio.write(LED0, (now_ms // BLINK_MS) % 2)
    for _ in range(gpio.presses()):
        presses += 1
        led1 = not led1
        gpio.write(LED1, led1)
        print("button: LED1=" + ("on" if led1 else "off"))

def selftest():
    return True
