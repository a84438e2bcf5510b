// fault_*: one source, one ELF per fault kind (FAULT_KIND, set by CMakeLists.txt):
//   1 fault_read   load from 0x30000000 (nothing mapped)      -> HardFault, exit code 3
//   2 fault_write  store to 0x30000000                         -> HardFault, exit code 3
//   3 fault_exec   branch to 0x30000001 (fetch from unmapped)  -> HardFault, exit code 3
//   4 fault_undef  udf #0 (UsageFault escalated)               -> HardFault, exit code 3
//   5 fault_lockup load from 0x30000000, and the HardFault handler faults again -> lockup
// The fault happens in fault_now(), reached through main -> level1 -> level2 (never inlined,
// never tail calls) so a backtrace has three frames to show. Before faulting it prints
// `fault=<kind>`; the default HardFault handler (common/test.cpp) prints hardfault_pc etc.
#include "test.h"

#ifndef FAULT_KIND
#error "FAULT_KIND must be defined"
#endif

namespace {

volatile uint32_t g_depth;
constexpr uint32_t kUnmapped = 0x30000000u;

#if FAULT_KIND == 1
constexpr const char* kKind = "read";
#elif FAULT_KIND == 2
constexpr const char* kKind = "write";
#elif FAULT_KIND == 3
constexpr const char* kKind = "exec";
#elif FAULT_KIND == 4
constexpr const char* kKind = "undef";
#elif FAULT_KIND == 5
constexpr const char* kKind = "lockup";
#endif

}  // namespace

extern "C" __attribute__((noinline)) void fault_now() {
  g_depth = 3;
#if FAULT_KIND == 1 || FAULT_KIND == 5
  (void)*reinterpret_cast<volatile uint32_t*>(kUnmapped);
#elif FAULT_KIND == 2
  *reinterpret_cast<volatile uint32_t*>(kUnmapped) = 0xDEADBEEFu;
#elif FAULT_KIND == 3
  reinterpret_cast<void (*)()>(kUnmapped | 1u)();
#elif FAULT_KIND == 4
  asm volatile("udf #0");
#endif
  g_depth = 0x33;
}

extern "C" __attribute__((noinline)) void level2() {
  g_depth = 2;
  fault_now();
  g_depth = 0x22;
}

extern "C" __attribute__((noinline)) void level1() {
  g_depth = 1;
  level2();
  g_depth = 0x11;
}

#if FAULT_KIND == 5
// Faults again inside HardFault: the core locks up (ARMv7-M ARM B1.5.15). hilsim may stop
// there or reset with RSTCAUSE.lockup; after such a reset main() reports it and exits 0.
extern "C" void HardFault_Handler() {
  t::kv("hardfault", 1);
  t::flush();
  (void)*reinterpret_cast<volatile uint32_t*>(kUnmapped);
  t::kv_str("lockup", "not-taken");
  t::exit(t::kExitCheckFailed);
}
#endif

int main() {
#if FAULT_KIND == 5
  const uint32_t cause = demo_m4::sysctl().RSTCAUSE;
  demo_m4::sysctl().RSTCAUSE = cause;
  t::kv_hex("rstcause", cause);
  if ((cause & demo_m4::RSTCAUSE_LOCKUP) != 0) {
    t::kv("boot_after_lockup", 1);
    return 0;
  }
#endif
  t::kv_str("fault", kKind);
  t::kv_hex("fault_now", reinterpret_cast<uint32_t>(&fault_now) & ~1u);
  t::flush();
  level1();
  t::kv_str("fault", "not-taken");
  t::exit(t::kExitCheckFailed);
}
