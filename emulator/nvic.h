// The NVIC's exception state and priority rules (ARMv7-M ARM, B1.5 "Exception model").
//
// Exceptions are numbered as in the vector table: 1 Reset, 2 NMI, 3 HardFault, 4 MemManage,
// 5 BusFault, 6 UsageFault, 11 SVCall, 12 DebugMonitor, 14 PendSV, 15 SysTick, 16+n IRQn.
// Each has {priority, enabled, pending, active, level}. All 8 priority bits are kept unless
// the board says fewer (the low bits then read as zero, as on silicon). This file decides
// *which* exception runs; exceptions.cpp does the stacking. Registers live in system_control.cpp.
#pragma once

#include <array>
#include <cstdint>

#include "peripherals/device.h"

namespace hilsim::emu {

namespace exc {
inline constexpr int Reset = 1, Nmi = 2, HardFault = 3, MemManage = 4, BusFault = 5,
                     UsageFault = 6, SvCall = 11, DebugMonitor = 12, PendSv = 14, SysTick = 15,
                     FirstIrq = 16;
}  // namespace exc

inline constexpr int kMaxExceptions = 16 + 240;
inline constexpr int kNoException = 0;
inline constexpr int kThreadPriority = 256;  // priority of thread mode with no mask

// The special-purpose mask registers, read from the CPU when a decision is needed.
struct Masks {
  bool primask = false;
  std::uint8_t basepri = 0;
  bool faultmask = false;
};

class Nvic {
 public:
  explicit Nvic(int num_irqs = 64, int priority_bits = 8);

  int num_irqs() const { return num_irqs_; }
  int priority_bits() const { return priority_bits_; }
  std::uint8_t priority_mask() const { return static_cast<std::uint8_t>(0xff << (8 - priority_bits_)); }

  void reset();

  // --- state ---
  bool pending(int e) const { return ex_[e].pending; }
  bool active(int e) const { return ex_[e].active; }
  // Cheap test used on every exception return and loop turn.
  bool nothing_pending() const { return (pend_en_[0] | pend_en_[1] | pend_en_[2] | pend_en_[3]) == 0; }
  bool enabled(int e) const;
  int priority(int e) const;  // negative for Reset/NMI/HardFault
  void set_pending(int e, bool on);
  void set_active(int e, bool on) {
    ex_[e].active = on;
    sync(e);
  }
  void set_enabled(int e, bool on) {
    ex_[e].enabled = on;
    sync(e);
  }
  void set_priority(int e, std::uint8_t p);
  std::uint8_t raw_priority(int e) const { return ex_[e].priority; }
  // External interrupt input (level): while high the IRQ is pending, and it pends again
  // on exception return if still high.
  void set_irq_level(int irq, bool level);
  bool irq_level(int irq) const { return ex_[exc::FirstIrq + irq].level; }

  // PRIGROUP (AIRCR[10:8]): bits [PRIGROUP:0] of a priority are sub-priority.
  void set_prigroup(int g) { prigroup_ = g & 7; }
  int prigroup() const { return prigroup_; }
  int group_priority(int raw) const;

  // --- decisions ---
  int execution_priority(const Masks& m) const;
  // The pending exception that would be taken next (regardless of masks), or kNoException.
  int highest_pending() const;
  // The exception to take now, or kNoException.
  int should_take(const Masks& m) const;
  // True if something is pending+enabled but cannot be taken because of masks/priority.
  int active_count() const;
  // "RETTOBASE": exactly one exception active.
  bool rettobase() const { return active_count() <= 1; }

  // Bookkeeping for entry / return.
  void on_entry(int e);
  void on_return(int e);

  void describe(periph::StateVisitor& v);

 private:
  struct Exception {
    std::uint8_t priority = 0;
    bool enabled = false;
    bool pending = false;
    bool active = false;
    bool level = false;
  };
  // Bitsets mirroring ex_ so that decisions scan only set bits: pending-and-enabled, active.
  void sync(int e) {
    std::uint64_t bit = 1ull << (e & 63);
    int w = e >> 6;
    pend_en_[w] = (ex_[e].pending && ex_[e].enabled) ? (pend_en_[w] | bit) : (pend_en_[w] & ~bit);
    active_[w] = ex_[e].active ? (active_[w] | bit) : (active_[w] & ~bit);
  }
  void sync_all() {
    for (int e = 0; e < kMaxExceptions; ++e) sync(e);
  }

  int num_irqs_;
  int priority_bits_;
  std::array<std::uint64_t, 4> pend_en_{}, active_{};
  int prigroup_ = 0;
  std::array<Exception, kMaxExceptions> ex_{};
};

}  // namespace hilsim::emu
