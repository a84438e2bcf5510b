// SysTick, the ARMv7-M system timer (ARMv7-M ARM B3.3), exact to the cycle.
//
// The counter is never ticked: its value is computed from virtual time, and the only event
// is the next 1 -> 0 transition (period RVR+1 cycles, measured from the reload, so there is
// no drift however late the interrupt is delivered). CLKSOURCE=0 (external reference) is
// modelled as core clock / 8, the usual wiring. CALIB reports TENMS for that reference.
#pragma once

#include <cstdint>
#include <functional>

#include "emulator/clock.h"

namespace hilsim::emu {

class SysTick {
 public:
  SysTick(EventQueue& events, std::function<Ticks()> now, std::function<void()> pend,
          std::uint64_t clock_hz);

  void reset();
  std::uint32_t read_csr();  // clears COUNTFLAG
  std::uint32_t read_rvr() const { return rvr_; }
  std::uint32_t read_cvr();
  std::uint32_t read_calib() const;
  void write_csr(std::uint32_t v);
  void write_rvr(std::uint32_t v) { rvr_ = v & 0x00ffffff; }
  void write_cvr(std::uint32_t v);

  void describe(periph::StateVisitor& v);

 private:
  Ticks divider() const { return (csr_ & 4) ? 1 : 8; }
  void sync();  // applies every 1->0 transition due by now
  void arm();   // (re)schedules the event at the next transition
  void on_event();

  EventQueue& events_;
  std::function<Ticks()> now_;
  std::function<void()> pend_;
  std::uint64_t clock_hz_;
  EventId event_;

  // State: the counter held `base_value` at cycle `base_tick`; `next_zero` is when it next
  // reaches 0 (valid while enabled and counting).
  std::uint32_t csr_ = 0, rvr_ = 0;
  std::uint32_t base_value_ = 0;
  Ticks base_tick_ = 0;
  Ticks next_zero_ = 0;
  bool countflag_ = false;
};

}  // namespace hilsim::emu
