// wdt_reset: boot 1 (SCRATCH != kMagic) prints boot=1 and the reset cause, starts the watchdog
// with LOAD = kLoad ticks (~2 ms at 32768 Hz) and sleeps in WFI without feeding it. The
// watchdog resets the system; boot 2 (SCRATCH == kMagic, which survives resets) prints boot=2
// and the new cause, checks that it says "watchdog", clears SCRATCH and exits.
// Each boot clears the RSTCAUSE bits it read (W1C), so boot 2 sees only its own cause.
#include "test.h"

namespace {
constexpr uint32_t kMagic = 0x57440001u;  // "WD", boot 1 done
constexpr uint32_t kLoad = 64;
}  // namespace

int main() {
  demo_m4::Sysctl& sc = demo_m4::sysctl();
  const uint32_t cause = sc.RSTCAUSE;
  sc.RSTCAUSE = cause;
  const uint32_t bootcnt = sc.BOOTCNT;
  if (sc.SCRATCH != kMagic) {
    t::kv("boot", 1);
    t::kv_hex("cause", cause);
    t::kv("bootcnt", bootcnt);
    t::kv("wdt_load", kLoad);
    t::flush();
    sc.SCRATCH = kMagic;
    demo_m4::wdt().LOAD = kLoad;
    demo_m4::wdt().CTRL = demo_m4::WDT_CTRL_EN;
    for (;;) cm4::wfi();
  }
  sc.SCRATCH = 0;
  t::kv("boot", 2);
  t::kv_hex("cause", cause);
  t::kv("bootcnt", bootcnt);
  t::check((cause & demo_m4::RSTCAUSE_WATCHDOG) != 0, "cause_watchdog");
  return 0;
}
