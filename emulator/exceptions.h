// Exception entry and return for ARMv7-M on Unicorn 2.0.1, which does neither
// (ARMv7-M ARM B1.5.6 "Exception entry behavior", B1.5.8 "Exception return behavior").
//
// Entry pushes the basic frame (r0-r3, r12, lr, return address, xPSR with the alignment
// bit) or, when CONTROL.FPCA is set, the extended frame, whose s0-s15/FPSCR area is either
// written at once (FPCCR.LSPEN = 0) or only reserved, with FPCCR.LSPACT/FPCAR set so that the
// handler's first FP instruction fills it (lazy stacking, B1.5.7; fp_context.h). Return
// validates EXC_RETURN, pops (the FP area only if the lazy save happened), switches stack and
// mode, and rebuilds Unicorn's cached mode flags (notes §3a). Tail-chaining falls out of the
// run loop: after a return it stops at the next block and takes whatever is pending.
#pragma once

#include <cstdint>
#include <string>

#include "emulator/cpu.h"
#include "emulator/fp_context.h"
#include "emulator/nvic.h"
#include "emulator/system_control.h"

namespace hilsim::emu {

class ExceptionUnit {
 public:
  ExceptionUnit(Cpu& cpu, Nvic& nvic, SystemControl& scs, FpContext& fp)
      : cpu_(cpu), nvic_(nvic), scs_(scs), fp_(fp) {}

  Masks masks() const;
  int current() const;  // IPSR
  // Pushes the frame and switches to the handler of `e`. Returns "" or why the entry
  // itself failed (stack outside memory: the caller treats that as a lockup).
  std::string enter(int e, std::uint32_t return_address);
  // Handles a branch to EXC_RETURN. Returns "" or why it is invalid.
  std::string exception_return(std::uint32_t exc_return);

 private:
  // FPCCR's USER/THREAD/*RDY bits for a lazy entry, from the state being interrupted.
  std::uint32_t fp_entry_state(bool handler, std::uint32_t control) const;

  Cpu& cpu_;
  Nvic& nvic_;
  SystemControl& scs_;
  FpContext& fp_;
};

}  // namespace hilsim::emu
