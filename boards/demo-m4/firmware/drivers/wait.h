// Sleeping until something happens, for drivers that wait on hardware (flash, network).
// wait_until() checks its condition with interrupts masked and only then executes WFI, so an
// interrupt that makes the condition true cannot slip in between the check and the sleep (a
// pending interrupt still wakes WFI while PRIMASK is set). After every wake-up it runs the
// idle hook: the application uses it to keep its script ticking and the watchdog fed while a
// long operation (an erase, a download) is in progress. SysTick wakes the core every 1 ms.
#pragma once
#include <cstdint>

#include "drivers/systick.h"
#include "hw/cortex_m4.h"

namespace sys {

using IdleHook = void (*)();
void set_idle_hook(IdleHook hook);
void run_idle_hook();  // no-op while already inside the hook (no recursion)

// Returns true when ready() became true, false after timeout_ms (0 = no timeout).
template <typename Ready>
bool wait_until(Ready ready, uint32_t timeout_ms) {
  const uint32_t start = systick::ticks();
  for (;;) {
    cm4::irq_off();
    const bool ok = ready();
    if (!ok) cm4::wfi();
    cm4::irq_on();
    if (ok) return true;
    run_idle_hook();
    if (timeout_ms != 0 && systick::ticks() - start >= timeout_ms) return ready();
  }
}

}  // namespace sys
