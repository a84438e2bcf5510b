// Locating and patching Unicorn 2.0.1's hidden Cortex-M FP state (see the header for why).
#include "emulator/unicorn_hidden_state.h"

#include <unicorn/arm.h>

#include <cstring>

namespace hilsim::emu {

namespace {
// CPUARMState (QEMU 5.0 target/arm/cpu.h): regs[16], xregs[32] (u64), pc (u64), pstate,
// aarch64, then hflags.
constexpr std::size_t kHflagsAfterRegs = 16 * 4 + 32 * 8 + 8 + 4 + 4;
// TBFLAG_ANY.FPEXC_EL (bits 23:22) and TBFLAG_M32.HANDLER (bit 9) of hflags.
constexpr std::uint32_t kFpexcEl1 = 1u << 22, kFpexcElMask = 3u << 22, kHandler = 1u << 9;
// struct v7m, counted from primask[0]: primask[2], faultmask[2], aircr, secure, csselr[2],
// scr[2], msplim[2], psplim[2], fpcar[2], fpccr[2], fpdscr[2], cpacr[2], nsacr.
constexpr std::size_t kFaultmask = 8, kAircr = 16, kFpcar = 56, kFpccr = 64, kFpdscr = 72,
                      kCpacr = 80, kNsacr = 88;
// Reset values of a Cortex-M4 without the Security Extension (QEMU arm_cpu_reset).
constexpr std::uint32_t kAircrReset = 0x2000;        // BFHFNMINS
constexpr std::uint32_t kFpccrNsReset = 0x80000000;  // ASPEN
constexpr std::uint32_t kNsacrReset = 0xcff;
constexpr std::uint32_t kFpccrS = 1u << 2;  // v8-M FPCCR.S: selects the Secure bank when set

void rebuild(uc_engine* uc) {
  std::uint32_t nzcv = 0;
  uc_reg_read(uc, UC_ARM_REG_APSR_NZCV, &nzcv);
  uc_reg_write(uc, UC_ARM_REG_APSR_NZCV, &nzcv);
}
}  // namespace

UnicornHiddenState::~UnicornHiddenState() {
  if (ctx_) uc_context_free(ctx_);
}

std::uint32_t UnicornHiddenState::word(std::size_t offset) const {
  std::uint32_t v = 0;
  std::memcpy(&v, reinterpret_cast<const std::uint8_t*>(ctx_) + offset, 4);
  return v;
}

void UnicornHiddenState::set_word(std::size_t offset, std::uint32_t value) {
  std::memcpy(reinterpret_cast<std::uint8_t*>(ctx_) + offset, &value, 4);
}

void UnicornHiddenState::set_both_banks(std::size_t first, std::uint32_t value) {
  set_word(v7m_ + first, value);
  set_word(v7m_ + first + 4, value);
}

std::string UnicornHiddenState::locate(uc_engine* uc) {
  uc_ = uc;
  if (uc_context_alloc(uc, &ctx_) != UC_ERR_OK) return "uc_context_alloc failed";
  size_ = uc_context_size(uc);

  // r0-r3: four values that appear nowhere else find regs[0]; hflags is at a fixed distance.
  const std::uint32_t marks[4] = {0x13579bdf, 0x2468ace0, 0xfedcba98, 0x0badcafe};
  for (int i = 0; i < 4; ++i) uc_reg_write(uc, UC_ARM_REG_R0 + i, &marks[i]);
  // PRIMASK = FAULTMASK = 1 plus the reset values around them find v7m.primask[0].
  const std::uint32_t one = 1;
  uc_reg_write(uc, UC_ARM_REG_PRIMASK, &one);
  uc_reg_write(uc, UC_ARM_REG_FAULTMASK, &one);
  load();
  std::size_t regs = 0, v7m = 0;
  int regs_found = 0, v7m_found = 0;
  for (std::size_t o = 0; o + kNsacr + 4 <= size_; o += 4) {
    if (word(o) == marks[0] && word(o + 4) == marks[1] && word(o + 8) == marks[2] &&
        word(o + 12) == marks[3]) {
      regs = o;
      ++regs_found;
    }
    if (word(o) == 1 && word(o + kFaultmask) == 1 && word(o + kAircr) == kAircrReset &&
        word(o + kFpccr) == kFpccrNsReset && word(o + kNsacr) == kNsacrReset) {
      v7m = o;
      ++v7m_found;
    }
  }
  if (regs_found != 1 || v7m_found != 1)
    return "cannot find Unicorn's Cortex-M FP state in its CPU context (found r0-r3 " +
           std::to_string(regs_found) + " times, v7m " + std::to_string(v7m_found) +
           " times; this is not the Unicorn 2.0.1 layout)";

  // hflags: the HANDLER flag must follow IPSR through a rebuild, and FPEXC_EL must be clear.
  std::size_t hflags = regs + kHflagsAfterRegs;
  std::uint32_t ipsr = 3;
  uc_reg_write(uc, UC_ARM_REG_IPSR, &ipsr);
  rebuild(uc);
  load();
  std::uint32_t in_handler = word(hflags);
  ipsr = 0;
  uc_reg_write(uc, UC_ARM_REG_IPSR, &ipsr);
  rebuild(uc);
  load();
  std::uint32_t in_thread = word(hflags);
  if (!(in_handler & kHandler) || (in_thread & kHandler) || ((in_handler ^ in_thread) != kHandler) ||
      (in_thread & kFpexcElMask))
    return "cannot verify Unicorn's cached translation flags (hflags) in its CPU context";
  hflags_ = hflags;
  v7m_ = v7m;
  return {};
}

void UnicornHiddenState::load() { uc_context_save(uc_, ctx_); }
void UnicornHiddenState::store() { uc_context_restore(uc_, ctx_); }

std::uint32_t UnicornHiddenState::fpccr() const { return word(v7m_ + kFpccr); }
void UnicornHiddenState::set_fpccr(std::uint32_t value) { set_both_banks(kFpccr, value & ~kFpccrS); }
void UnicornHiddenState::set_fpcar(std::uint32_t value) { set_both_banks(kFpcar, value); }
void UnicornHiddenState::set_fpdscr(std::uint32_t value) { set_both_banks(kFpdscr, value); }
void UnicornHiddenState::set_cpacr(std::uint32_t value) { set_both_banks(kCpacr, value); }

void UnicornHiddenState::set_fp_trap(bool on) {
  set_word(hflags_, (word(hflags_) & ~kFpexcElMask) | (on ? kFpexcEl1 : 0));
}

}  // namespace hilsim::emu
