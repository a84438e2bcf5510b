// The parts of Unicorn 2.0.1's Cortex-M CPU state that no UC_ARM_REG_* id reaches, but that the
// FPU model needs to drive (measured; docs/architecture.md "The FPU"):
//
//  - v7m.fpccr / fpcar / fpdscr / cpacr. Unicorn's translator already implements two pieces of
//    the FP context machinery and reads these fields for them: lazy state preservation (an FP
//    instruction executed with FPCCR.LSPACT = 1 first stores s0-s15 and FPSCR at FPCAR, then
//    clears LSPACT) and new-context creation (with FPCCR.ASPEN = 1 and CONTROL.FPCA = 0, an FP
//    instruction loads FPSCR from FPDSCR and sets FPCA). Only QEMU's NVIC, which Unicorn does not
//    build, would ever write the fields; here the SCS model mirrors its registers into them.
//  - the FP-disabled field of the cached translation flags (hflags.FPEXC_EL). Unicorn's
//    fp_exception_el() always returns 0, so CPACR is never enforced; with the field set, the
//    translator turns every FP instruction into a precise NOCP exception (UC_HOOK_INTR intno 17,
//    PC at the instruction). Unicorn recomputes hflags, dropping the field, whenever it rebuilds
//    them: on MSR and CPS, and on our own rebuilds (Cpu::rebuild_hflags).
//
// Access goes through one preallocated uc_context: load (uc_context_save), patch words, store
// (uc_context_restore); about 0.1 us, never on the per-block path. The byte offsets are found
// once per engine by writing known register values and searching for them, then verified
// (the fields sit at fixed distances from those values in CPUARMState of QEMU 5.0, which
// Unicorn 2.0.1 is built from).
#pragma once

#include <unicorn/unicorn.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace hilsim::emu {

class UnicornHiddenState {
 public:
  UnicornHiddenState() = default;
  ~UnicornHiddenState();
  UnicornHiddenState(const UnicornHiddenState&) = delete;
  UnicornHiddenState& operator=(const UnicornHiddenState&) = delete;

  // Finds the fields in `uc` (a freshly opened Cortex-M4 engine; its registers are changed and
  // must be reset by the caller afterwards). Returns "" or why they could not be found.
  std::string locate(uc_engine* uc);
  bool located() const { return v7m_ != 0; }

  void load();   // engine -> buffer
  void store();  // buffer -> engine

  // Between load() and store(). The M4 has no Security Extension, so Unicorn uses the
  // Non-secure bank as long as FPCCR.S (bit 2 of the Secure bank, set by Unicorn's reset) is
  // clear; both banks are written, with S clear.
  std::uint32_t fpccr() const;
  void set_fpccr(std::uint32_t value);
  void set_fpcar(std::uint32_t value);
  void set_fpdscr(std::uint32_t value);
  void set_cpacr(std::uint32_t value);
  void set_fp_trap(bool on);  // hflags.FPEXC_EL = 1 (FP instructions raise NOCP) or 0

 private:
  std::uint32_t word(std::size_t offset) const;
  void set_word(std::size_t offset, std::uint32_t value);
  void set_both_banks(std::size_t first, std::uint32_t value);

  uc_engine* uc_ = nullptr;
  uc_context* ctx_ = nullptr;
  std::size_t size_ = 0;    // bytes of the context allocation
  std::size_t hflags_ = 0;  // offset of env->hflags
  std::size_t v7m_ = 0;     // offset of env->v7m.primask[0]; the FP fields follow it
};

}  // namespace hilsim::emu
