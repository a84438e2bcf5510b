# demo-m4 application script, version 3.0.0: BROKEN ON PURPOSE.
# Raises at start-up (setup() cannot find its sensor), so the update must be rolled back.
import gpio

class SensorError(Exception):
    pass

def read_sensor():
    raise SensorError("temperature sensor not responding")

def setup():
    print("app v3: starting")
    read_sensor()

def tick(now_ms):
    gpio.write(0, 1)
