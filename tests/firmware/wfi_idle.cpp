// wfi_idle: SysTick at 1 ms from the board clock (sysctl CLOCKHZ), sleep in WFI for 1000 ticks,
// i.e. one second of virtual time, then print ticks=1000. Almost no instructions run: an
// emulator that skips idle time to the next event finishes this instantly.
#include "test.h"

namespace {
volatile uint32_t g_ticks;
}

extern "C" void SysTick_Handler() { g_ticks = g_ticks + 1; }

int main() {
  uint32_t clock_hz = demo_m4::sysctl().CLOCKHZ;
  if (clock_hz == 0) clock_hz = demo_m4::kDefaultClockHz;
  t::kv("clock_hz", clock_hz);
  t::flush();

  cm4::SysTick& st = cm4::systick();
  st.LOAD = clock_hz / 1000 - 1;
  st.VAL = 0;
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_TICKINT | cm4::SYST_CTRL_CLKSOURCE;
  uint32_t wakeups = 0;
  while (g_ticks < 1000) {
    cm4::wfi();
    ++wakeups;
  }
  st.CTRL = 0;
  t::kv("ticks", g_ticks);
  t::kv("wakeups", wakeups);
  t::check(g_ticks == 1000, "ticks");
  return 0;
}
