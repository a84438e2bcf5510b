// LED0 blinks from the SysTick handler (toggles every kBlinkHalfPeriodMs); each BUTTON press
// (falling edge on pin 2) toggles LED1 in the GPIO handler and queues the new LED1 state, which
// the main loop prints. The queue keeps one line per press even if presses come faster than
// the loop runs.
#include "app/app.h"
#include "drivers/gpio.h"
#include "drivers/systick.h"
#include "hw/demo_m4.h"
#include "lib/ring.h"

namespace app {
namespace {
lib::Ring<16> g_presses;  // one byte per press: LED1 state after it (0/1)
}

void indicators_start(uint32_t clock_hz) {
  gpio::init(kPrioGpio);
  systick::start(clock_hz / kTickHz, kPrioSysTick);
}

bool indicators_pending() { return !g_presses.empty(); }

void indicators_poll() {
  uint8_t led1;
  while (g_presses.pop(led1)) out_line(led1 != 0 ? "button: LED1=on" : "button: LED1=off");
}

}  // namespace app

extern "C" void SysTick_Handler() {
  const uint32_t t = systick::isr();
  if (t % app::kBlinkHalfPeriodMs == 0) gpio::led_toggle(demo_m4::kPinLed0);
}

extern "C" void GPIO0_IRQHandler() {
  const uint32_t edges = gpio::take_edges();
  if ((edges & (1u << demo_m4::kPinButton)) != 0) {
    gpio::led_toggle(demo_m4::kPinLed1);
    app::g_presses.push(gpio::led_is_on(demo_m4::kPinLed1) ? 1 : 0);  // full: drop the report
  }
}
