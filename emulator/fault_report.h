// What the user is told when the firmware does something the hardware would fault on (or
// runs away): the kind, when, where (PC with symbol), every register, the exception state
// and a best-effort backtrace. The simulator never crashes because of the firmware; it
// builds one of these instead.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "emulator/clock.h"

namespace hilsim::emu {

class SymbolTable;

struct FaultReport {
  std::string kind;    // "bad read", "bad write", "bad fetch", "undefined instruction",
                       // "lockup", "instruction budget exhausted", "breakpoint", ...
  std::string detail;  // one sentence, e.g. "read of 4 bytes at 0x30000000 (unmapped)"
  Ticks at = 0;        // instruction count
  double seconds = 0;  // virtual time
  std::uint32_t pc = 0;
  bool pc_exact = true;  // false when only the enclosing block start is known
  std::array<std::uint32_t, 16> r{};  // r0..r12, sp, lr, pc
  std::uint32_t xpsr = 0, msp = 0, psp = 0, control = 0, primask = 0, basepri = 0, faultmask = 0;
  int exception = 0;                    // IPSR at the time
  std::vector<std::uint32_t> backtrace;  // return addresses, innermost first
};

// Multi-line human-readable form. `symbols` may be null.
std::string format_fault(const FaultReport& report, const SymbolTable* symbols);

}  // namespace hilsim::emu
