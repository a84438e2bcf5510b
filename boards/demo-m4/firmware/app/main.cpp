// demo-m4 reference firmware, entry point: brings up the drivers, prints the banner with the
// reset cause, boots the newest valid script (runner.h), then idles in WFI and wakes for
// SysTick, UART, button, flash and network interrupts. Each pass of the loop services the
// console, the script's tick and the watchdog; every kUpdatePollMs the update agent asks the
// server for a newer release. The same service routine runs from the drivers' idle hook, so
// the script keeps ticking and the watchdog stays fed during long erases and downloads.
#include "app/app.h"
#include "app/runner.h"
#include "app/script_host.h"
#include "drivers/flash.h"
#include "drivers/gpio.h"
#include "drivers/net.h"
#include "drivers/sysctl.h"
#include "drivers/systick.h"
#include "drivers/uart.h"
#include "drivers/wait.h"
#include "drivers/watchdog.h"
#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"
#include "lib/fmt.h"
#include "ota/agent.h"

namespace app {
namespace {
bool g_feeding = true;
bool g_update_requested;
uint32_t g_last_feed;
constexpr uint32_t kWatchdogTimeout = demo_m4::kWdtClockHz;  // 1 s

// Everything that must keep happening while the main loop is busy (idle hook) or idle.
void service() {
  console_poll();
  const uint32_t now = systick::ticks();
  runner::tick(now);
  if (g_feeding && now - g_last_feed >= kFeedPeriodMs) {
    watchdog::feed();
    g_last_feed = now;
  }
}
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
void request_update_check() { g_update_requested = true; }

}  // namespace app

extern "C" void UART0_IRQHandler() { uart::isr(); }
extern "C" void FLASH_IRQHandler() { flash::isr(); }
extern "C" void NET_IRQHandler() { net::isr(); }
// The empty asm keeps the call a call (no tail branch), so debuggers see SysTick_Handler in
// the backtrace.
extern "C" void SysTick_Handler() {
  systick::isr();
  asm volatile("" ::: "memory");
}
extern "C" void GPIO0_IRQHandler() {
  if ((gpio::take_edges() & (1u << demo_m4::kPinButton)) != 0) script::note_button_press();
}

int main() {
  using namespace app;
  const uint32_t cause = sysctl::take_reset_cause();
  const uint32_t clock_hz = sysctl::clock_hz();

  watchdog::start(kWatchdogTimeout);
  uart::init(clock_hz, 115200, kPrioUart);
  gpio::init(kPrioGpio);
  flash::init(kPrioFlash);
  net::init(kPrioNet);
  systick::start(clock_hz / kTickHz, kPrioSysTick);
  sys::set_idle_hook(service);

  out_str("hilsim demo-m4 firmware ");
  out_str(kFirmwareVersion);
  out_str(" (reset: ");
  sysctl::describe_reset_cause(cause, out);
  out_line(")");

  runner::boot(cause);
  uint32_t next_poll = systick::ticks() + agent::kFirstPollMs;
  for (;;) {
    // Check for work with interrupts masked so an event cannot slip in between the check
    // and the WFI; a pending interrupt still wakes WFI, and runs at irq_on().
    cm4::irq_off();
    if (!console_pending()) cm4::wfi();
    cm4::irq_on();

    service();
    const uint32_t now = systick::ticks();
    runner::supervise(now);
    if (!runner::in_trial() && (g_update_requested || static_cast<int32_t>(now - next_poll) >= 0)) {
      g_update_requested = false;
      agent::poll();
      runner::supervise(systick::ticks());
      next_poll = systick::ticks() + kUpdatePollMs;
    }
  }
}
