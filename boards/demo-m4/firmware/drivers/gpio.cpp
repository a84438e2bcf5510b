// gpio0 driver (see gpio.h).
#include "drivers/gpio.h"

#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"

namespace gpio {
namespace {
using namespace demo_m4;
constexpr uint32_t bit(uint32_t pin) { return 1u << pin; }
}  // namespace

void init(uint8_t irq_priority) {
  Gpio& g = gpio0();
  g.OUTCLR = bit(kPinLed0) | bit(kPinLed1);
  g.DIR = bit(kPinLed0) | bit(kPinLed1);
  g.PULLUP = bit(kPinButton);
  g.RISEIE = 0;
  g.FALLIE = bit(kPinButton);
  g.IRQSTAT = 0xFFFFFFFFu;  // forget edges latched before we were listening
  cm4::irq_unpend(kIrqGpio0);
  cm4::irq_set_priority(kIrqGpio0, irq_priority);
  cm4::irq_enable(kIrqGpio0);
}

void led_set(uint32_t pin, bool on) {
  if (on)
    gpio0().OUTSET = bit(pin);
  else
    gpio0().OUTCLR = bit(pin);
}

void led_toggle(uint32_t pin) { gpio0().OUTTGL = bit(pin); }
bool led_is_on(uint32_t pin) { return (gpio0().OUT & bit(pin)) != 0; }
bool button_is_pressed() { return (gpio0().IN & bit(kPinButton)) == 0; }

uint32_t take_edges() {
  const uint32_t edges = gpio0().IRQSTAT;
  gpio0().IRQSTAT = edges;
  return edges;
}

}  // namespace gpio
