// SysTick driver (see systick.h).
#include "drivers/systick.h"

#include "hw/cortex_m4.h"

namespace systick {
namespace {
volatile uint32_t g_ticks;
}

void start(uint32_t period_cycles, uint8_t priority) {
  cm4::SysTick& st = cm4::systick();
  st.CTRL = 0;
  st.LOAD = (period_cycles - 1) & 0x00FFFFFFu;
  st.VAL = 0;
  cm4::exc_set_priority(cm4::kSysTick, priority);
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_TICKINT | cm4::SYST_CTRL_CLKSOURCE;
}

uint32_t ticks() { return g_ticks; }

uint32_t isr() {
  const uint32_t t = g_ticks + 1;
  g_ticks = t;
  return t;
}

}  // namespace systick
