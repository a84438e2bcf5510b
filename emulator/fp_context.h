// The Cortex-M4 FP extension's context control (ARMv7-M ARM B1.5.7 "Context state stacking on
// exception entry with the FP extension", B3.2.20-B3.2.22): CPACR's CP10/CP11 access field,
// FPCCR (ASPEN, LSPEN, LSPACT, USER, THREAD, HFRDY, MMRDY, BFRDY, MONRDY), FPCAR and FPDSCR.
//
// The values live in ScbState (so snapshots and the SCS see them) and are mirrored into Unicorn,
// which then does the work that needs per-instruction precision by itself (cpu.h):
//  - lazy stacking: exception entry reserves the FP area and sets LSPACT and FPCAR
//    (defer_save); the handler's first FP instruction stores s0-s15 and FPSCR there and clears
//    LSPACT inside Unicorn, so LSPACT is read back from the engine whenever it matters;
//  - ASPEN: an FP instruction with CONTROL.FPCA = 0 starts a new context: FPSCR takes FPDSCR's
//    AHP/DN/FZ/RMode and FPCA is set;
//  - CPACR: FP instructions that CP10 denies raise NOCP (the machine turns it into UsageFault).
// On a Cortex-M3 (no FPU) the registers are stored but nothing is mirrored.
#pragma once

#include <cstdint>

#include "emulator/cpu.h"
#include "emulator/system_control.h"

namespace hilsim::emu {

namespace fpccr {
inline constexpr std::uint32_t kLspact = 1u << 0, kUser = 1u << 1, kThread = 1u << 3,
                               kHfrdy = 1u << 4, kMmrdy = 1u << 5, kBfrdy = 1u << 6,
                               kMonrdy = 1u << 8, kLspen = 1u << 30, kAspen = 1u << 31;
// The bits an exception entry with lazy stacking sets or clears (UpdateFPCCR).
inline constexpr std::uint32_t kEntryState = kLspact | kUser | kThread | kHfrdy | kMmrdy | kBfrdy | kMonrdy;
inline constexpr std::uint32_t kWritable = kEntryState | kLspen | kAspen;  // 0xC000017B
}  // namespace fpccr

class FpContext {
 public:
  FpContext(Cpu& cpu, ScbState& scb, bool has_fpu) : cpu_(cpu), scb_(scb), has_fpu_(has_fpu) {}

  bool present() const { return has_fpu_; }

  // SCS registers (system_control.cpp). Reads see LSPACT as the engine has it now.
  std::uint32_t fpccr();
  void write_fpccr(std::uint32_t value);
  void write_fpcar(std::uint32_t value);
  void write_fpdscr(std::uint32_t value);
  void write_cpacr(std::uint32_t value);

  bool lazy_stacking() const { return scb_.fpccr & fpccr::kLspen; }
  // Exception entry with CONTROL.FPCA = 1 and LSPEN = 1: the 18-word FP area at `fp_area`
  // (frame + 0x20) is reserved but not written. `entry_state` holds USER/THREAD/*RDY as
  // UpdateFPCCR computes them from the interrupted context.
  void defer_save(std::uint32_t fp_area, std::uint32_t entry_state);
  // Exception return to an extended frame. True if the deferred save never happened (LSPACT
  // still 1, now cleared): the FP registers still hold the interrupted context's values and
  // must not be reloaded. False: reload s0-s15 and FPSCR from the frame.
  bool cancel_deferred_save();

  // Before the SCS state is saved (snapshot): LSPACT from the engine into ScbState.
  void pull();
  // After reset or a snapshot restore: ScbState into the engine.
  void push();

  // Since this object was built (statistics, not machine state: not in snapshots). Entries
  // that deferred the save, and returns that found it still deferred; the difference is the
  // number of saves done by a handler's first FP instruction (or still pending).
  std::uint64_t deferred_saves() const { return deferred_saves_; }
  std::uint64_t skipped_saves() const { return skipped_saves_; }

 private:
  Cpu& cpu_;
  ScbState& scb_;
  bool has_fpu_;
  std::uint64_t deferred_saves_ = 0, skipped_saves_ = 0;
};

}  // namespace hilsim::emu
