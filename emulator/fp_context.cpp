// FP context control registers and the lazy-stacking steps of exception entry and return.
#include "emulator/fp_context.h"

namespace hilsim::emu {

void FpContext::pull() {
  if (!has_fpu_) return;
  scb_.fpccr = (scb_.fpccr & ~fpccr::kLspact) | (cpu_.engine_fpccr() & fpccr::kLspact);
}

void FpContext::push() {
  if (!has_fpu_) return;
  cpu_.set_fp_control({scb_.fpccr, scb_.fpcar, scb_.fpdscr, scb_.cpacr});
}

std::uint32_t FpContext::fpccr() {
  pull();
  return scb_.fpccr;
}

// Writes merge with LSPACT as the engine has it: ScbState's copy is only refreshed on demand.
void FpContext::write_fpccr(std::uint32_t value) {
  scb_.fpccr = value & fpccr::kWritable;
  push();
}

void FpContext::write_fpcar(std::uint32_t value) {
  pull();
  scb_.fpcar = value & ~7u;
  push();
}

void FpContext::write_fpdscr(std::uint32_t value) {
  pull();
  scb_.fpdscr = value & 0x07C00000u;  // AHP, DN, FZ, RMode
  push();
}

void FpContext::write_cpacr(std::uint32_t value) {
  pull();
  scb_.cpacr = value & (0xFu << 20);  // CP10, CP11
  push();
}

void FpContext::defer_save(std::uint32_t fp_area, std::uint32_t entry_state) {
  scb_.fpcar = fp_area & ~7u;
  scb_.fpccr = (scb_.fpccr & ~fpccr::kEntryState) | fpccr::kLspact | (entry_state & fpccr::kEntryState);
  push();
  ++deferred_saves_;
}

bool FpContext::cancel_deferred_save() {
  scb_.fpccr &= ~fpccr::kLspact;
  if (!cpu_.take_engine_lspact()) return false;
  ++skipped_saves_;
  return true;
}

}  // namespace hilsim::emu
