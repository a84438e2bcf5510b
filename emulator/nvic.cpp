// NVIC priority arithmetic and pending/active bookkeeping.
#include "emulator/nvic.h"

#include <string>

namespace hilsim::emu {

Nvic::Nvic(int num_irqs, int priority_bits) : num_irqs_(num_irqs), priority_bits_(priority_bits) {
  reset();
}

void Nvic::reset() {
  for (Exception& e : ex_) e = Exception{};
  prigroup_ = 0;
  // Exceptions that cannot be disabled.
  for (int e : {exc::Reset, exc::Nmi, exc::HardFault, exc::SvCall, exc::PendSv, exc::SysTick,
                exc::DebugMonitor})
    ex_[e].enabled = true;
  sync_all();
}

bool Nvic::enabled(int e) const { return ex_[e].enabled; }

int Nvic::priority(int e) const {
  if (e == exc::Reset) return -3;
  if (e == exc::Nmi) return -2;
  if (e == exc::HardFault) return -1;
  return ex_[e].priority;
}

void Nvic::set_priority(int e, std::uint8_t p) {
  if (e <= exc::HardFault) return;  // fixed priorities
  ex_[e].priority = p & priority_mask();
}

void Nvic::set_pending(int e, bool on) {
  ex_[e].pending = on;
  // Clearing the pending bit of an IRQ whose line is still asserted re-pends it.
  if (!on && e >= exc::FirstIrq && ex_[e].level && !ex_[e].active) ex_[e].pending = true;
  sync(e);
}

void Nvic::set_irq_level(int irq, bool level) {
  if (irq < 0 || irq >= num_irqs_) return;
  Exception& e = ex_[exc::FirstIrq + irq];
  e.level = level;
  if (level) e.pending = true;
  sync(exc::FirstIrq + irq);
}

int Nvic::group_priority(int raw) const {
  if (raw < 0) return raw;
  int sub_bits = prigroup_ + 1;
  return raw & ~((1 << sub_bits) - 1) & 0xff;
}

int Nvic::execution_priority(const Masks& m) const {
  int p = kThreadPriority;
  for (int w = 0; w < 4; ++w)
    for (std::uint64_t bits = active_[w]; bits; bits &= bits - 1) {
      int e = w * 64 + __builtin_ctzll(bits);
      int g = group_priority(priority(e));
      if (g < p) p = g;
    }
  if (m.basepri && (m.basepri & priority_mask())) {
    int g = group_priority(m.basepri & priority_mask());
    if (g < p) p = g;
  }
  if (m.primask && p > 0) p = 0;
  if (m.faultmask && p > -1) p = -1;
  return p;
}

int Nvic::highest_pending() const {
  int best = kNoException;
  int best_group = 1 << 10, best_raw = 1 << 10;
  for (int w = 0; w < 4; ++w)
    for (std::uint64_t bits = pend_en_[w]; bits; bits &= bits - 1) {
    int e = w * 64 + __builtin_ctzll(bits);
    if (e < 2) continue;
    int raw = priority(e);
    int g = group_priority(raw);
    // Lowest group priority wins, then lowest sub-priority, then lowest number.
    if (g < best_group || (g == best_group && raw < best_raw)) {
      best = e;
      best_group = g;
      best_raw = raw;
    }
    }
  return best;
}

int Nvic::should_take(const Masks& m) const {
  if (nothing_pending()) return kNoException;
  int e = highest_pending();
  if (e == kNoException) return kNoException;
  return group_priority(priority(e)) < execution_priority(m) ? e : kNoException;
}

int Nvic::active_count() const {
  int n = 0;
  for (std::uint64_t w : active_) n += __builtin_popcountll(w);
  return n;
}

void Nvic::on_entry(int e) {
  ex_[e].pending = false;
  ex_[e].active = true;
  sync(e);
}

void Nvic::on_return(int e) {
  ex_[e].active = false;
  if (e >= exc::FirstIrq && ex_[e].level) ex_[e].pending = true;
  sync(e);
}

void Nvic::describe(periph::StateVisitor& v) {
  std::uint32_t pg = static_cast<std::uint32_t>(prigroup_);
  v.field("prigroup", pg);
  prigroup_ = static_cast<int>(pg & 7);
  // One packed byte per exception keeps snapshots small and the field list fixed.
  std::vector<std::uint8_t> flags(kMaxExceptions), prio(kMaxExceptions);
  for (int e = 0; e < kMaxExceptions; ++e) {
    flags[e] = ex_[e].enabled | ex_[e].pending << 1 | ex_[e].active << 2 | ex_[e].level << 3;
    prio[e] = ex_[e].priority;
  }
  v.field("exception_flags", flags);
  v.field("exception_priority", prio);
  if (flags.size() == kMaxExceptions && prio.size() == kMaxExceptions)
    for (int e = 0; e < kMaxExceptions; ++e) {
      ex_[e].enabled = flags[e] & 1;
      ex_[e].pending = flags[e] & 2;
      ex_[e].active = flags[e] & 4;
      ex_[e].level = flags[e] & 8;
      ex_[e].priority = prio[e];
    }
  sync_all();
}

}  // namespace hilsim::emu
