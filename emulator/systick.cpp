// SysTick counter arithmetic. With divider d (1 or 8) the counter steps every d cycles;
// from value v > 0 it reaches 0 after v steps, then every RVR+1 steps (a step from 0 reloads).
#include "emulator/systick.h"

namespace hilsim::emu {

SysTick::SysTick(EventQueue& events, std::function<Ticks()> now, std::function<void()> pend,
                 std::uint64_t clock_hz)
    : events_(events), now_(std::move(now)), pend_(std::move(pend)), clock_hz_(clock_hz) {
  event_ = events_.add("systick.wrap", [this] { on_event(); });
}

void SysTick::reset() {
  csr_ = 0;
  rvr_ = 0;
  base_value_ = 0;
  base_tick_ = 0;
  next_zero_ = 0;
  countflag_ = false;
  events_.cancel(event_);
}

std::uint32_t SysTick::read_calib() const {
  // TENMS = reference (core/8) ticks in 10 ms; NOREF=0, SKEW=0.
  return static_cast<std::uint32_t>((clock_hz_ / 8 / 100) & 0x00ffffff);
}

namespace {
// Value of the counter at `t`, given it held base_value at base_tick.
std::uint32_t value_at(std::uint32_t base_value, Ticks base_tick, std::uint32_t rvr, Ticks div,
                       Ticks t) {
  Ticks steps = (t - base_tick) / div;
  if (steps < base_value) return static_cast<std::uint32_t>(base_value - steps);
  steps -= base_value;
  Ticks period = Ticks(rvr) + 1;
  Ticks k = steps % period;
  return k == 0 ? 0 : static_cast<std::uint32_t>(period - k);
}
}  // namespace

std::uint32_t SysTick::read_cvr() {
  if (!(csr_ & 1)) return base_value_;
  return value_at(base_value_, base_tick_, rvr_, divider(), now_());
}

void SysTick::sync() {
  // A transition that is due but whose event has not been dispatched yet (the CPU is in
  // the middle of a block) must already be visible to the firmware reading CSR.
  while ((csr_ & 1) && events_.is_scheduled(event_) && next_zero_ <= now_()) {
    events_.cancel(event_);
    on_event();
  }
}

std::uint32_t SysTick::read_csr() {
  sync();
  std::uint32_t v = csr_ | (countflag_ ? 1u << 16 : 0);
  countflag_ = false;
  return v;
}

void SysTick::write_csr(std::uint32_t v) {
  sync();
  // Re-base at the current value whenever the mode changes: counting resumes from it.
  base_value_ = read_cvr();
  base_tick_ = now_();
  csr_ = v & 7;
  arm();
}

void SysTick::write_cvr(std::uint32_t) {
  // Any write clears the counter to 0 and clears COUNTFLAG; the next step reloads.
  sync();
  base_value_ = 0;
  base_tick_ = now_();
  countflag_ = false;
  arm();
}

void SysTick::arm() {
  events_.cancel(event_);
  if (!(csr_ & 1)) return;
  Ticks div = divider();
  Ticks steps_done = (now_() - base_tick_) / div;
  Ticks zero_step;
  if (steps_done < base_value_) {
    zero_step = base_value_;
  } else {
    if (rvr_ == 0) return;  // RVR=0: the counter stays at 0, no more wraps
    Ticks period = Ticks(rvr_) + 1;
    zero_step = base_value_ + ((steps_done - base_value_) / period + 1) * period;
  }
  next_zero_ = base_tick_ + zero_step * div;
  events_.schedule_at(event_, next_zero_);
}

void SysTick::on_event() {
  if (!(csr_ & 1)) return;
  countflag_ = true;
  if (csr_ & 2) pend_();
  // The next period is measured from the transition itself, not from when it was seen.
  base_tick_ = next_zero_;
  base_value_ = 0;
  arm();
}

void SysTick::describe(periph::StateVisitor& v) {
  v.field("csr", csr_);
  v.field("rvr", rvr_);
  v.field("base_value", base_value_);
  v.field("base_tick", base_tick_);
  v.field("next_zero", next_zero_);
  v.field("countflag", countflag_);
}

}  // namespace hilsim::emu
