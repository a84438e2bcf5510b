// SCS register decode. Narrow accesses are merged into 32-bit registers by byte lanes,
// except the priority registers (IPR, SHPR), which are byte arrays by architecture.
#include "emulator/system_control.h"

#include <string>

#include "emulator/fp_context.h"

namespace hilsim::emu {

namespace {
constexpr std::uint32_t kCpuidM4 = 0x410FC241;  // Cortex-M4 r0p1
constexpr std::uint32_t kCpuidM3 = 0x412FC231;  // Cortex-M3 r2p1
}  // namespace

SystemControl::SystemControl(periph::DeviceHost& host, Nvic& nvic, SysTick& systick,
                             bool cortex_m4, Hooks hooks)
    : Device("scs", host), nvic_(nvic), systick_(systick), m4_(cortex_m4), hooks_(std::move(hooks)) {}

void SystemControl::reset(periph::ResetReason) { scb_ = ScbState{}; }

void SystemControl::describe(periph::StateVisitor& v) {
  v.field("vtor", scb_.vtor);
  v.field("scr", scb_.scr);
  v.field("ccr", scb_.ccr);
  v.field("shcsr", scb_.shcsr);
  v.field("cfsr", scb_.cfsr);
  v.field("hfsr", scb_.hfsr);
  v.field("mmfar", scb_.mmfar);
  v.field("bfar", scb_.bfar);
  v.field("cpacr", scb_.cpacr);
  v.field("fpccr", scb_.fpccr);
  v.field("fpcar", scb_.fpcar);
  v.field("fpdscr", scb_.fpdscr);
  v.field("actlr", scb_.actlr);
}

std::uint32_t SystemControl::icsr() const {
  std::uint32_t v = static_cast<std::uint32_t>(hooks_.vectactive()) & 0x1ff;
  if (nvic_.rettobase()) v |= 1u << 11;
  int pend = nvic_.highest_pending();
  if (pend) v |= static_cast<std::uint32_t>(pend & 0x1ff) << 12;
  for (int i = 0; i < nvic_.num_irqs(); ++i)
    if (nvic_.pending(exc::FirstIrq + i)) {
      v |= 1u << 22;  // ISRPENDING
      break;
    }
  if (nvic_.pending(exc::SysTick)) v |= 1u << 26;
  if (nvic_.pending(exc::PendSv)) v |= 1u << 28;
  if (nvic_.pending(exc::Nmi)) v |= 1u << 31;
  return v;
}

std::uint32_t SystemControl::shcsr() const {
  std::uint32_t v = scb_.shcsr & (7u << 16);
  auto bit = [&](bool on, int b) { v |= on ? 1u << b : 0; };
  bit(nvic_.active(exc::MemManage), 0);
  bit(nvic_.active(exc::BusFault), 1);
  bit(nvic_.active(exc::UsageFault), 3);
  bit(nvic_.active(exc::SvCall), 7);
  bit(nvic_.active(exc::DebugMonitor), 8);
  bit(nvic_.active(exc::PendSv), 10);
  bit(nvic_.active(exc::SysTick), 11);
  bit(nvic_.pending(exc::UsageFault), 12);
  bit(nvic_.pending(exc::MemManage), 13);
  bit(nvic_.pending(exc::BusFault), 14);
  bit(nvic_.pending(exc::SvCall), 15);
  return v;
}

std::uint32_t SystemControl::read(std::uint32_t offset, unsigned size) {
  std::uint32_t aligned = offset & ~3u;
  std::uint32_t shift = (offset & 3) * 8;
  // Byte-addressable priority arrays.
  if ((offset >= 0x400 && offset < 0x400 + static_cast<std::uint32_t>(nvic_.num_irqs())) ||
      (offset >= 0xD18 && offset < 0xD24)) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
      std::uint32_t o = offset + i;
      int e = o >= 0xD18 && o < 0xD24 ? static_cast<int>(o - 0xD18 + 4)
                                      : static_cast<int>(exc::FirstIrq + (o - 0x400));
      v |= static_cast<std::uint32_t>(nvic_.raw_priority(e)) << (8 * i);
    }
    return v;
  }
  std::uint32_t v = read32(aligned) >> shift;
  return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

std::uint32_t SystemControl::read32(std::uint32_t off) {
  const int n = nvic_.num_irqs();
  auto irq_bits = [&](std::uint32_t base, auto pred) {
    std::uint32_t word = (off - base) / 4, v = 0;
    for (int b = 0; b < 32; ++b) {
      int irq = static_cast<int>(word * 32 + b);
      if (irq < n && pred(exc::FirstIrq + irq)) v |= 1u << b;
    }
    return v;
  };
  if (off >= 0x100 && off < 0x140) return irq_bits(0x100, [&](int e) { return nvic_.enabled(e); });
  if (off >= 0x180 && off < 0x1C0) return irq_bits(0x180, [&](int e) { return nvic_.enabled(e); });
  if (off >= 0x200 && off < 0x240) return irq_bits(0x200, [&](int e) { return nvic_.pending(e); });
  if (off >= 0x280 && off < 0x2C0) return irq_bits(0x280, [&](int e) { return nvic_.pending(e); });
  if (off >= 0x300 && off < 0x340) return irq_bits(0x300, [&](int e) { return nvic_.active(e); });
  if (off >= 0x400 && off < 0x5F0) return 0;  // beyond implemented IRQs
  switch (off) {
    case 0x004: return static_cast<std::uint32_t>((n + 31) / 32 - 1);  // ICTR
    case 0x008: return scb_.actlr;
    case 0x010: return systick_.read_csr();
    case 0x014: return systick_.read_rvr();
    case 0x018: return systick_.read_cvr();
    case 0x01C: return systick_.read_calib();
    case 0xD00: return m4_ ? kCpuidM4 : kCpuidM3;
    case 0xD04: return icsr();
    case 0xD08: return scb_.vtor;
    case 0xD0C: return 0xFA050000u | static_cast<std::uint32_t>(nvic_.prigroup()) << 8;
    case 0xD10: return scb_.scr;
    case 0xD14: return scb_.ccr;
    case 0xD24: return shcsr();
    case 0xD28: return scb_.cfsr;
    case 0xD2C: return scb_.hfsr;
    case 0xD30: return 0;  // DFSR
    case 0xD34: return scb_.mmfar;
    case 0xD38: return scb_.bfar;
    case 0xD3C: return 0;  // AFSR
    case 0xD40: return 0x00000030;  // ID_PFR0: Thumb + Thumb-2
    case 0xD44: return 0x00000200;  // ID_PFR1: M-profile programmer's model
    case 0xD88: return m4_ ? scb_.cpacr : 0;  // RAZ/WI without an FPU (as QEMU's M3)
    case 0xD90: return 0;  // MPU_TYPE: no MPU regions
    case 0xF34: return m4_ ? fp_->fpccr() : 0;
    case 0xF38: return m4_ ? scb_.fpcar : 0;
    case 0xF3C: return m4_ ? scb_.fpdscr : 0;
    case 0xF40: return m4_ ? 0x10110021u : 0;  // MVFR0: single precision VFPv4
    case 0xF44: return m4_ ? 0x11000011u : 0;  // MVFR1
    default: break;
  }
  host().guest_error(name(), off, "read of an unimplemented System Control Space register");
  return 0;
}

void SystemControl::write(std::uint32_t offset, unsigned size, std::uint32_t value) {
  if ((offset >= 0x400 && offset < 0x400 + static_cast<std::uint32_t>(nvic_.num_irqs())) ||
      (offset >= 0xD18 && offset < 0xD24)) {
    for (unsigned i = 0; i < size; ++i) {
      std::uint32_t o = offset + i;
      int e = o >= 0xD18 && o < 0xD24 ? static_cast<int>(o - 0xD18 + 4)
                                      : static_cast<int>(exc::FirstIrq + (o - 0x400));
      nvic_.set_priority(e, static_cast<std::uint8_t>(value >> (8 * i)));
    }
    hooks_.changed();
    return;
  }
  std::uint32_t shift = (offset & 3) * 8;
  std::uint32_t mask = size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1) << shift;
  write32(offset & ~3u, value << shift, mask);
}

void SystemControl::write32(std::uint32_t off, std::uint32_t v, std::uint32_t mask) {
  const int n = nvic_.num_irqs();
  auto merge = [&](std::uint32_t old) { return (old & ~mask) | (v & mask); };
  auto each_irq = [&](std::uint32_t base, auto action) {
    std::uint32_t word = (off - base) / 4;
    for (int b = 0; b < 32; ++b) {
      int irq = static_cast<int>(word * 32 + b);
      if (irq < n && (v & mask & (1u << b))) action(exc::FirstIrq + irq);
    }
    hooks_.changed();
  };
  if (off >= 0x100 && off < 0x140) return each_irq(0x100, [&](int e) { nvic_.set_enabled(e, true); });
  if (off >= 0x180 && off < 0x1C0) return each_irq(0x180, [&](int e) { nvic_.set_enabled(e, false); });
  if (off >= 0x200 && off < 0x240) return each_irq(0x200, [&](int e) { nvic_.set_pending(e, true); });
  if (off >= 0x280 && off < 0x2C0) return each_irq(0x280, [&](int e) { nvic_.set_pending(e, false); });
  if (off >= 0x400 && off < 0x5F0) return;  // priorities of unimplemented IRQs: RAZ/WI
  switch (off) {
    case 0x008: scb_.actlr = merge(scb_.actlr); return;
    case 0x010: systick_.write_csr(merge(systick_.read_csr() & 7)); hooks_.changed(); return;
    case 0x014: systick_.write_rvr(merge(systick_.read_rvr())); return;
    case 0x018: systick_.write_cvr(v); return;
    case 0xD04: {  // ICSR: set/clear pending of NMI, PendSV, SysTick
      std::uint32_t w = v & mask;
      if (w & (1u << 31)) nvic_.set_pending(exc::Nmi, true);
      if (w & (1u << 28)) nvic_.set_pending(exc::PendSv, true);
      if (w & (1u << 27)) nvic_.set_pending(exc::PendSv, false);
      if (w & (1u << 26)) nvic_.set_pending(exc::SysTick, true);
      if (w & (1u << 25)) nvic_.set_pending(exc::SysTick, false);
      hooks_.changed();
      return;
    }
    case 0xD08: scb_.vtor = merge(scb_.vtor) & 0xFFFFFF80u; return;
    case 0xD0C: {  // AIRCR: needs VECTKEY 0x05FA in [31:16]
      std::uint32_t w = merge(0);
      if ((w >> 16) != 0x05FA) {
        host().guest_error(name(), off, "AIRCR write without VECTKEY 0x05FA ignored");
        return;
      }
      nvic_.set_prigroup(static_cast<int>((w >> 8) & 7));
      hooks_.changed();
      if (w & 4) hooks_.system_reset_request();
      return;
    }
    case 0xD10: scb_.scr = merge(scb_.scr) & 0x16; return;
    case 0xD14: scb_.ccr = (merge(scb_.ccr) & 0x31B) | 0x200; return;
    case 0xD24: {
      std::uint32_t w = merge(shcsr());
      scb_.shcsr = w & (7u << 16);
      nvic_.set_enabled(exc::MemManage, w & (1u << 16));
      nvic_.set_enabled(exc::BusFault, w & (1u << 17));
      nvic_.set_enabled(exc::UsageFault, w & (1u << 18));
      hooks_.changed();
      return;
    }
    case 0xD28: scb_.cfsr &= ~(v & mask); return;  // W1C
    case 0xD2C: scb_.hfsr &= ~(v & mask); return;  // W1C
    case 0xD34: scb_.mmfar = merge(scb_.mmfar); return;
    case 0xD38: scb_.bfar = merge(scb_.bfar); return;
    // CPACR and the FP registers change what Unicorn does with FP instructions; blocks chained
    // to this one were looked up with the old state, so stop at the next block (cpu.h).
    case 0xD88: if (m4_) fp_->write_cpacr(merge(scb_.cpacr)); hooks_.changed(); return;
    case 0xF00: {  // STIR
      std::uint32_t irq = (v & mask) & 0x1ff;
      if (irq < static_cast<std::uint32_t>(n)) nvic_.set_pending(exc::FirstIrq + static_cast<int>(irq), true);
      hooks_.changed();
      return;
    }
    case 0xF34: if (m4_) fp_->write_fpccr(merge(fp_->fpccr())); hooks_.changed(); return;
    case 0xF38: if (m4_) fp_->write_fpcar(merge(scb_.fpcar)); hooks_.changed(); return;
    case 0xF3C: if (m4_) fp_->write_fpdscr(merge(scb_.fpdscr)); hooks_.changed(); return;
    default: break;
  }
  host().guest_error(name(), off, "write to an unimplemented or read-only System Control Space register");
}

}  // namespace hilsim::emu
