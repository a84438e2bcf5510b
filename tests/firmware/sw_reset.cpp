// sw_reset: boot 1 (SCRATCH != kMagic) prints boot=1 and the reset cause, sets SCRATCH and
// requests a reset through SCB AIRCR (VECTKEY | SYSRESETREQ). Boot 2 prints boot=2 and the new
// cause, checks that it says "software", clears SCRATCH and exits.
#include "test.h"

namespace {
constexpr uint32_t kMagic = 0x53570001u;  // "SW", boot 1 done
}

int main() {
  demo_m4::Sysctl& sc = demo_m4::sysctl();
  const uint32_t cause = sc.RSTCAUSE;
  sc.RSTCAUSE = cause;
  const uint32_t bootcnt = sc.BOOTCNT;
  if (sc.SCRATCH != kMagic) {
    t::kv("boot", 1);
    t::kv_hex("cause", cause);
    t::kv("bootcnt", bootcnt);
    t::flush();
    sc.SCRATCH = kMagic;
    cm4::system_reset();
  }
  sc.SCRATCH = 0;
  t::kv("boot", 2);
  t::kv_hex("cause", cause);
  t::kv("bootcnt", bootcnt);
  t::check((cause & demo_m4::RSTCAUSE_SOFTWARE) != 0, "cause_software");
  return 0;
}
