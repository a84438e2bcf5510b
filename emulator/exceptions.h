// Exception entry and return for ARMv7-M on Unicorn 2.0.1, which does neither
// (ARMv7-M ARM B1.5.6 "Exception entry behavior", B1.5.8 "Exception return behavior").
//
// Entry pushes the basic frame (r0-r3, r12, lr, return address, xPSR with the alignment
// bit) or, when CONTROL.FPCA is set, the extended frame with s0-s15 and FPSCR (stacked
// eagerly: lazy stacking gives the same architectural result; FPCAR still records where
// the FP space is). Return validates EXC_RETURN, pops, switches stack and mode, and
// rebuilds Unicorn's cached mode flags (notes §3a). Tail-chaining falls out of the run
// loop: after a return it stops at the next block and takes whatever is pending.
#pragma once

#include <cstdint>
#include <string>

#include "emulator/cpu.h"
#include "emulator/nvic.h"
#include "emulator/system_control.h"

namespace hilsim::emu {

class ExceptionUnit {
 public:
  ExceptionUnit(Cpu& cpu, Nvic& nvic, SystemControl& scs, bool has_fpu)
      : cpu_(cpu), nvic_(nvic), scs_(scs), has_fpu_(has_fpu) {}

  Masks masks() const;
  int current() const;  // IPSR
  // Pushes the frame and switches to the handler of `e`. Returns "" or why the entry
  // itself failed (stack outside memory: the caller treats that as a lockup).
  std::string enter(int e, std::uint32_t return_address);
  // Handles a branch to EXC_RETURN. Returns "" or why it is invalid.
  std::string exception_return(std::uint32_t exc_return);

 private:
  Cpu& cpu_;
  Nvic& nvic_;
  SystemControl& scs_;
  bool has_fpu_;
};

}  // namespace hilsim::emu
