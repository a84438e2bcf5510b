// idle_100hz: a device that does nothing but wait: SysTick every 1/TICK_HZ s, LED0 toggled
// once a second, WFI in between, forever. The idle-speed benchmark runs it for minutes of
// virtual time (hilsim-bench machine); a good emulator skips the sleeping time outright.
#include "test.h"

#ifndef TICK_HZ
#error "TICK_HZ must be defined"
#endif

namespace {
volatile uint32_t g_ticks;
}

extern "C" void SysTick_Handler() {
  uint32_t t = g_ticks + 1;
  g_ticks = t;
  if (t % TICK_HZ == 0) demo_m4::gpio0().OUTTGL = 1u << demo_m4::kPinLed0;
}

int main() {
  demo_m4::gpio0().DIR = 1u << demo_m4::kPinLed0;
  cm4::SysTick& st = cm4::systick();
  st.LOAD = demo_m4::kDefaultClockHz / TICK_HZ - 1;
  st.VAL = 0;
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_TICKINT | cm4::SYST_CTRL_CLKSOURCE;
  for (;;) cm4::wfi();
}
