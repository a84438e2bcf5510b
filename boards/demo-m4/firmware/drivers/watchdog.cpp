// Independent watchdog driver (see watchdog.h).
#include "drivers/watchdog.h"

#include "hw/demo_m4.h"

namespace watchdog {

void start(uint32_t timeout_ticks) {
  demo_m4::wdt().LOAD = timeout_ticks;
  demo_m4::wdt().CTRL = demo_m4::WDT_CTRL_EN;
}

void feed() { demo_m4::wdt().FEED = demo_m4::kWdtFeedKey; }
uint32_t remaining() { return demo_m4::wdt().VALUE; }

}  // namespace watchdog
