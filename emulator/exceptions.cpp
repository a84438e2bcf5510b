// Stack frames and mode switches for exception entry/return.
#include "emulator/exceptions.h"

#include <unicorn/arm.h>

#include <cstdio>

#include "emulator/text.h"

namespace hilsim::emu {

namespace {
constexpr std::uint32_t kControlSpsel = 2, kControlFpca = 4;
constexpr std::uint32_t kBasicFrame = 0x20, kExtendedFrame = 0x68;

}  // namespace

Masks ExceptionUnit::masks() const {
  Masks m;
  m.primask = cpu_.reg(UC_ARM_REG_PRIMASK) & 1;
  m.basepri = static_cast<std::uint8_t>(cpu_.reg(UC_ARM_REG_BASEPRI));
  m.faultmask = cpu_.reg(UC_ARM_REG_FAULTMASK) & 1;
  return m;
}

int ExceptionUnit::current() const { return static_cast<int>(cpu_.reg(UC_ARM_REG_IPSR) & 0x1ff); }

std::string ExceptionUnit::enter(int e, std::uint32_t return_address) {
  // Check the vector before touching any state: a missing handler is reported as such.
  std::uint32_t vector = 0;
  std::uint32_t slot = scs_.scb().vtor + 4 * static_cast<std::uint32_t>(e);
  if (!cpu_.fast_read(slot, &vector, 4))
    return "exception entry: vector table entry " + std::to_string(e) + " at " + hex(slot) +
           " is not readable";
  if (!(vector & 1) || !cpu_.is_host_memory(vector & ~1u))
    return "no handler for exception " + std::to_string(e) + ": vector table entry at " + hex(slot) +
           " holds " + hex(vector) + (vector & 1 ? " (not in memory)" : " (not a Thumb address)");
  std::uint32_t control = cpu_.reg(UC_ARM_REG_CONTROL);
  bool handler = current() != 0;
  bool on_psp = !handler && (control & kControlSpsel);
  bool fp_frame = fp_.present() && (control & kControlFpca);
  bool lazy = fp_frame && fp_.lazy_stacking();
  std::uint32_t sp = cpu_.reg(UC_ARM_REG_SP);
  std::uint32_t xpsr = cpu_.reg(UC_ARM_REG_XPSR);
  std::uint32_t frame_size = fp_frame ? kExtendedFrame : kBasicFrame;
  // PushStack: an extended frame is always 8-byte aligned, a basic one only with CCR.STKALIGN.
  bool force_align = fp_frame || (scs_.scb().ccr & 0x200);
  std::uint32_t align = force_align ? (sp >> 2) & 1 : 0;
  std::uint32_t frame = (sp - frame_size) & ~(align << 2);

  std::uint32_t words[25] = {
      cpu_.reg(UC_ARM_REG_R0),  cpu_.reg(UC_ARM_REG_R1), cpu_.reg(UC_ARM_REG_R2),
      cpu_.reg(UC_ARM_REG_R3),  cpu_.reg(UC_ARM_REG_R12), cpu_.reg(UC_ARM_REG_LR),
      return_address & ~1u,     (xpsr & ~(1u << 9)) | (align << 9) | (1u << 24)};
  if (fp_frame && !lazy) {  // FPCCR.LSPEN = 0: s0-s15 and FPSCR now; FPCAR is not touched
    for (int i = 0; i < 16; ++i) words[8 + i] = cpu_.reg(UC_ARM_REG_S0 + i);
    words[24] = cpu_.reg(UC_ARM_REG_FPSCR);
  }
  // With lazy stacking the FP area is reserved, not written (its contents stay UNKNOWN until
  // the handler's first FP instruction stores them). The frame's last word is reserved and
  // never written (PushStack).
  std::uint32_t written = lazy ? kBasicFrame : fp_frame ? frame_size - 4 : frame_size;
  if (!cpu_.fast_write(frame, words, written))
    return "exception entry: cannot push the " + std::to_string(frame_size) +
           "-byte frame at " + hex(frame) + " (stack outside RAM)";
  if (lazy) fp_.defer_save(frame + kBasicFrame, fp_entry_state(handler, control));
  cpu_.set_reg(UC_ARM_REG_SP, frame);  // the active SP (PSP when on_psp)
  if (on_psp) cpu_.set_reg(UC_ARM_REG_CONTROL, control & ~kControlSpsel);  // R13 := MSP
  control = cpu_.reg(UC_ARM_REG_CONTROL);
  if (fp_frame) cpu_.set_reg(UC_ARM_REG_CONTROL, control & ~kControlFpca);
  cpu_.set_reg(UC_ARM_REG_IPSR, static_cast<std::uint32_t>(e));
  std::uint32_t exc_return = handler ? 0xFFFFFFF1u : on_psp ? 0xFFFFFFFDu : 0xFFFFFFF9u;
  if (fp_frame) exc_return &= ~0x10u;
  cpu_.set_reg(UC_ARM_REG_LR, exc_return);
  cpu_.set_reg(UC_ARM_REG_EPSR, 1u << 24);  // clear IT state, keep Thumb

  cpu_.set_reg(UC_ARM_REG_PC, vector | 1u);
  cpu_.rebuild_hflags();
  nvic_.on_entry(e);
  return {};
}

// UpdateFPCCR (B1.5.7): USER and THREAD describe the interrupted context; a *RDY bit says
// whether that fault could have been taken at its execution priority (for a fault during the
// deferred save). DebugMonitor is not modelled (DEMCR.MON_EN reads 0), so MONRDY stays 0.
std::uint32_t ExceptionUnit::fp_entry_state(bool handler, std::uint32_t control) const {
  int prio = nvic_.execution_priority(masks());
  auto ready = [&](int e) { return nvic_.enabled(e) && prio > nvic_.group_priority(nvic_.priority(e)); };
  std::uint32_t bits = 0;
  if (!handler && (control & 1)) bits |= fpccr::kUser;  // unprivileged thread
  if (!handler) bits |= fpccr::kThread;
  if (prio > -1) bits |= fpccr::kHfrdy;
  if (ready(exc::MemManage)) bits |= fpccr::kMmrdy;
  if (ready(exc::BusFault)) bits |= fpccr::kBfrdy;
  return bits;
}

std::string ExceptionUnit::exception_return(std::uint32_t exc_return) {
  int e = current();
  if (e == 0) return "EXC_RETURN " + hex(exc_return) + " branched to in thread mode";
  std::uint32_t low = exc_return & 0x0F;
  bool fp_frame = !(exc_return & 0x10);
  if ((exc_return >> 5) != 0x7FFFFFF || (low != 0x1 && low != 0x9 && low != 0xD) ||
      (fp_frame && !fp_.present()))
    return "invalid EXC_RETURN " + hex(exc_return);
  if (!nvic_.active(e)) return "exception return from inactive exception " + std::to_string(e);
  bool to_thread = exc_return & 8, to_psp = exc_return & 4;
  if (to_thread && nvic_.active_count() > 1)
    return "return to thread mode with " + std::to_string(nvic_.active_count() - 1) +
           " other exceptions still active (CCR.NONBASETHRDENA is not set)";

  nvic_.on_return(e);
  if (e != exc::Nmi) cpu_.set_reg(UC_ARM_REG_FAULTMASK, 0);

  std::uint32_t sp = to_psp ? cpu_.reg(UC_ARM_REG_PSP) : cpu_.reg(UC_ARM_REG_MSP);
  std::uint32_t frame_size = fp_frame ? kExtendedFrame : kBasicFrame;
  std::uint32_t f[26] = {};
  if (!cpu_.fast_read(sp, f, frame_size))
    return "exception return: cannot pop the frame at " + hex(sp) + " (stack outside RAM)";
  std::uint32_t new_sp = sp + frame_size + (((f[7] >> 9) & 1) ? 4 : 0);
  cpu_.set_reg(to_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, new_sp);
  static const int regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,
                             UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
  for (int i = 0; i < 6; ++i) cpu_.set_reg(regs[i], f[i]);
  // A lazy save that never happened (the handler used no FP instruction) leaves the
  // interrupted context's values in the registers; the reserved area holds nothing.
  if (fp_frame && !fp_.cancel_deferred_save()) {
    for (int i = 0; i < 16; ++i) cpu_.set_reg(UC_ARM_REG_S0 + i, f[8 + i]);
    cpu_.set_reg(UC_ARM_REG_FPSCR, f[24]);
  }
  // Flags, GE, IT/T and IPSR (the mode switch) in one write, as measured in the notes.
  std::uint32_t xpsr = (f[7] & ~0x1ffu) | (to_thread ? 0 : (f[7] & 0x1ff));
  cpu_.set_reg(UC_ARM_REG_XPSR_NZCVQG, xpsr);
  cpu_.set_reg(UC_ARM_REG_IPSR, to_thread ? 0 : (f[7] & 0x1ff));
  std::uint32_t control = cpu_.reg(UC_ARM_REG_CONTROL);
  if (to_thread && to_psp) control |= kControlSpsel;
  if (fp_.present()) control = fp_frame ? (control | kControlFpca) : (control & ~kControlFpca);
  cpu_.set_reg(UC_ARM_REG_CONTROL, control);
  cpu_.set_reg(UC_ARM_REG_EPSR, (f[7] & 0x0600FC00u) | (1u << 24));
  cpu_.set_reg(UC_ARM_REG_PC, f[6] | 1u);
  cpu_.rebuild_hflags();
  return {};
}

}  // namespace hilsim::emu
