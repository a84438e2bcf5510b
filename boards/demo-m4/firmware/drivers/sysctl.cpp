// Reset controller driver (see sysctl.h).
#include "drivers/sysctl.h"

#include "hw/demo_m4.h"
#include "lib/fmt.h"

namespace sysctl {
namespace {
// Bit i of RSTCAUSE has name kCauseNames[i].
constexpr const char* kCauseNames[] = {"power-on", "watchdog", "software", "external", "lockup"};
}  // namespace

uint32_t take_reset_cause() {
  const uint32_t cause = demo_m4::sysctl().RSTCAUSE;
  demo_m4::sysctl().RSTCAUSE = cause;
  return cause;
}

void describe_reset_cause(uint32_t cause, void (*put)(char)) {
  bool first = true;
  for (uint32_t i = 0; i < sizeof(kCauseNames) / sizeof(kCauseNames[0]); ++i) {
    if ((cause & (1u << i)) == 0) continue;
    if (!first) put('+');
    fmt::str(put, kCauseNames[i]);
    first = false;
  }
  if (first) fmt::str(put, "none");
}

uint32_t boot_count() { return demo_m4::sysctl().BOOTCNT; }

uint32_t clock_hz() {
  const uint32_t hz = demo_m4::sysctl().CLOCKHZ;
  return hz != 0 ? hz : demo_m4::kDefaultClockHz;
}

}  // namespace sysctl
