// demo-m4 reference firmware, entry point: brings up the drivers, prints the banner with the
// reset cause, then idles in WFI and wakes for SysTick, UART and button interrupts. The main
// loop feeds the watchdog every kFeedPeriodMs until the "hang" command stops it.
// Later the script VM (vm/) runs from here; keep hardware bring-up and the loop separate.
#include "app/app.h"
#include "drivers/gpio.h"
#include "drivers/sysctl.h"
#include "drivers/systick.h"
#include "drivers/uart.h"
#include "drivers/watchdog.h"
#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"
#include "lib/fmt.h"

namespace app {
namespace {
bool g_feeding = true;
constexpr uint32_t kWatchdogTimeout = demo_m4::kWdtClockHz;  // 1 s
}  // namespace

void out(char c) { uart::put(c); }
void out_str(const char* s) { uart::write(s); }
void out_dec(uint32_t v) { fmt::dec(out, v); }
void out_hex(uint32_t v) {
  out_str("0x");
  fmt::hex(out, v);
}
void out_line(const char* s) {
  uart::write(s);
  uart::write("\r\n");
}

void watchdog_stop_feeding() { g_feeding = false; }
bool watchdog_is_fed() { return g_feeding; }

}  // namespace app

extern "C" void UART0_IRQHandler() { uart::isr(); }

int main() {
  using namespace app;
  const uint32_t cause = sysctl::take_reset_cause();
  const uint32_t clock_hz = sysctl::clock_hz();

  watchdog::start(kWatchdogTimeout);
  uart::init(clock_hz, 115200, kPrioUart);
  indicators_start(clock_hz);

  out_str("hilsim demo-m4 firmware ");
  out_str(kVersion);
  out_str(" (reset: ");
  sysctl::describe_reset_cause(cause, out);
  out_line(")");

  uint32_t last_feed = systick::ticks();
  for (;;) {
    // Check for work with interrupts masked so an event cannot slip in between the check
    // and the WFI; a pending interrupt still wakes WFI, and runs at irq_on().
    cm4::irq_off();
    if (!indicators_pending() && !console_pending()) cm4::wfi();
    cm4::irq_on();

    indicators_poll();
    console_poll();
    const uint32_t now = systick::ticks();
    if (watchdog_is_fed() && now - last_feed >= kFeedPeriodMs) {
      watchdog::feed();
      last_feed = now;
    }
  }
}
