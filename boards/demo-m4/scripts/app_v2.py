# demo-m4 application script, version 2.0.0.
#
# What changed since v1:
#   * LED0 blinks twice as fast (250 ms), through a small Blinker class.
#   * The press count v1 collected survives the hot update: exec() runs v2 in the same
#     namespace, so v2 picks up `presses` and `led1` instead of starting from zero.
#   * A button press still toggles LED1; a double press (two presses within 400 ms) makes
#     LED1 spell the press count in Morse code.
#   * Every 30 s the script logs a one-line summary (uptime, presses, Morse messages sent).
#   * selftest() checks the Morse table and the blinker before the firmware confirms v2.
#
# The firmware calls setup() once, tick(now_ms) every 10 ms and selftest() during the trial.
import gpio
import device
import log

LED0 = 0
LED1 = 1
BLINK_MS = 250
DOUBLE_PRESS_MS = 400
REPORT_EVERY_MS = 30000
UNIT_MS = 120          # one Morse "dit"

# ---- state kept across hot updates -------------------------------------------------------
try:
    presses
except NameError:
    presses = 0
try:
    led1
except NameError:
    led1 = False

# ---- Morse code --------------------------------------------------------------------------
MORSE = {
    "0": "-----", "1": ".----", "2": "..---", "3": "...--", "4": "....-",
    "5": ".....", "6": "-....", "7": "--...", "8": "---..", "9": "----.",
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.",
    "G": "--.", "H": "....", "I": "..", "J": ".---", "K": "-.-", "L": ".-..",
    "M": "--", "N": "-.", "O": "---", "P": ".--.", "Q": "--.-", "R": ".-.",
    "S": "...", "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-",
    "Y": "-.--", "Z": "--..",
}


def morse_timeline(text):
    """Turns text into a list of (led_on, duration_units) steps."""
    steps = []
    for w, word in enumerate(text.upper().split()):
        if w > 0:
            steps.append((False, 7))            # gap between words
        for c, ch in enumerate(word):
            if c > 0:
                steps.append((False, 3))        # gap between letters
            code = MORSE.get(ch)
            if code is None:
                raise ValueError("no Morse code for %r" % ch)
            for s, sym in enumerate(code):
                if s > 0:
                    steps.append((False, 1))    # gap inside a letter
                steps.append((True, 1 if sym == "." else 3))
    return steps


class MorseSender:
    """Plays a Morse timeline on one LED without blocking tick()."""

    def __init__(self, pin, unit_ms):
        self.pin = pin
        self.unit_ms = unit_ms
        self.steps = []
        self.index = 0
        self.until = 0
        self.sent = 0

    def busy(self):
        return self.index < len(self.steps)

    def send(self, text, now_ms):
        self.steps = morse_timeline(text)
        self.index = 0
        self.until = now_ms
        self.sent += 1

    def update(self, now_ms):
        if not self.busy() or now_ms < self.until:
            return
        on, units = self.steps[self.index]
        gpio.write(self.pin, on)
        self.until = now_ms + units * self.unit_ms
        self.index += 1
        if not self.busy():
            gpio.write(self.pin, led1)          # back to the toggled state


class Blinker:
    def __init__(self, pin, period_ms):
        self.pin = pin
        self.period_ms = period_ms

    def update(self, now_ms):
        gpio.write(self.pin, (now_ms // self.period_ms) % 2)


class Stats:
    def __init__(self):
        self.started = None
        self.next_report = 0

    def update(self, now_ms, morse):
        if self.started is None:
            self.started = now_ms
            self.next_report = now_ms + REPORT_EVERY_MS
        if now_ms >= self.next_report:
            self.next_report += REPORT_EVERY_MS
            log.info("v2: up %d s, %d presses, %d Morse messages" %
                     ((now_ms - self.started) // 1000, presses, morse.sent))


blinker = Blinker(LED0, BLINK_MS)
morse = MorseSender(LED1, UNIT_MS)
stats = Stats()
last_press = None


def setup():
    print(f"app v2: hello, running {device.version()} from {device.slot()}, presses so far: {presses}")


def on_press(now_ms):
    global led1, presses, last_press
    presses += 1
    if last_press is not None and now_ms - last_press < DOUBLE_PRESS_MS and not morse.busy():
        print("button: double press, sending %d in Morse" % presses)
        morse.send(str(presses), now_ms)
        last_press = None
        return
    last_press = now_ms
    led1 = not led1
    if not morse.busy():
        gpio.write(LED1, led1)
    print("button: LED1=%s (press %d)" % ("on" if led1 else "off", presses))


def tick(now_ms):
    blinker.update(now_ms)
    for _ in range(gpio.presses()):
        on_press(now_ms)
    morse.update(now_ms)
    stats.update(now_ms, morse)


def selftest():
    steps = morse_timeline("SOS")
    ok = len(steps) == 17 and steps[0] == (True, 1) and steps[6] == (True, 3)
    log.info("v2 selftest: Morse table %s, blinker period %d ms" % ("ok" if ok else "BROKEN", blinker.period_ms))
    return ok and blinker.period_ms == BLINK_MS
