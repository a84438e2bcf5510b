# demo-m4 factory script: ships inside the firmware image and runs whenever no downloaded
# script is valid, so the device is never bricked. It blinks LED0 fast (100 ms) to show
# "needs an update", still lets the button drive LED1, and waits for the update agent.
import gpio

LED0 = 0
LED1 = 1
led1 = False

def setup():
    print("factory script: no valid application yet, waiting for an update")

def tick(now_ms):
    global led1
    gpio.write(LED0, (now_ms // 100) % 2)
    for _ in range(gpio.presses()):
        led1 = not led1
        gpio.write(LED1, led1)
        print("button: LED1=" + ("on" if led1 else "off"))
