// cmsdk-timer: the ARM CMSDK APB timer (Cortex-M System Design Kit TRM, DDI0479, ch. 4.4), as
// wired on QEMU's mps2-an385/an386 (TIMER0 at 0x40000000 IRQ 8, TIMER1 at 0x40001000 IRQ 9).
// A 32-bit down counter at the core clock: it reaches 0, raises INTSTATUS (when CTRL.IRQEN),
// and reloads RELOAD on the next cycle (period RELOAD+1). VALUE is computed from virtual time,
// one event per zero crossing. Leaves out the external input (SELEXTEN/SELEXTCLK are stored only).
#pragma once

#include <cstdint>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

// A down counter computed from virtual time (shared with cmsdk-dualtimer). Counting started at
// `start` from `start_value`, one step every `div` cycles; after 0 it continues with `after_zero`
// (reload for periodic, 0xFFFFFFFF/0xFFFF for free-running) with period after_zero+1, or stays at
// 0 when `one_shot`.
struct DownCounter {
  std::uint32_t start_value = 0;
  std::uint64_t start = 0;
  bool running = false;

  std::uint32_t value(std::uint64_t now, std::uint32_t div, std::uint32_t after_zero, bool one_shot) const {
    if (!running) return start_value;
    std::uint64_t steps = (now - start) / div;
    if (steps <= start_value) return static_cast<std::uint32_t>(start_value - steps);
    if (one_shot) return 0;
    std::uint64_t period = std::uint64_t{after_zero} + 1;
    return static_cast<std::uint32_t>(after_zero - (steps - start_value - 1) % period);
  }
  // Cycles from `now` until the next time the counter becomes 0 (strictly after now), or 0 if never.
  std::uint64_t until_zero(std::uint64_t now, std::uint32_t div, std::uint32_t after_zero, bool one_shot) const {
    if (!running) return 0;
    std::uint64_t first = start + std::uint64_t{start_value} * div;
    if (first > now) return first - now;
    if (one_shot || after_zero == 0) return 0;
    std::uint64_t period = (std::uint64_t{after_zero} + 1) * div;
    std::uint64_t n = (now - first) / period + 1;
    return first + n * period - now;
  }
  void restart(std::uint64_t now, std::uint32_t value_now) {
    start = now;
    start_value = value_now;
  }
};

// The PrimeCell/CMSDK identification registers PID4..7, PID0..3, CID0..3 at 0xFD0..0xFFC,
// given PID4..7,PID0..3 in that order (CID is always 0d f0 05 b1). Shared by the CMSDK models.
std::vector<Register> cmsdk_id_registers(const std::uint8_t (&pid)[8]);

class CmsdkTimer final : public Device {
 public:
  static constexpr std::uint32_t kEnable = 1u << 0, kIrqEnable = 1u << 3;  // CTRL

  CmsdkTimer(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "cmsdk-timer"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  void post_load() override { update_irq(); }
  const RegisterBank& registers() const { return bank_; }

 private:
  struct State {
    std::uint32_t ctrl = 0, reload = 0, intstatus = 0;
    DownCounter counter;
  };
  std::uint32_t value() const;
  void set_value(std::uint32_t v);  // restarts counting from v now
  void reschedule();
  void zero();
  void update_irq();

  State s_;
  int irq_;
  EventId zero_event_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
