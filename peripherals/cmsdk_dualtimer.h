// cmsdk-dualtimer: the ARM CMSDK APB dual-input timer (DDI0479 ch. 4.5; an SP804 in all but
// name), as on QEMU's mps2-an385/an386 at 0x40002000 with the combined interrupt on IRQ 10.
// Two counters (at 0x00 and 0x20): LOAD, VALUE, CONTROL (one-shot, 32-bit, prescale 1/16/256,
// IE, periodic, enable), INTCLR, RIS, MIS, BGLOAD. Counters run at the core clock divided by
// the prescaler; VALUE is computed from virtual time. Leaves out the per-timer interrupt
// outputs (only TIMINTC is wired) and the integration test registers.
#pragma once

#include <cstdint>

#include "peripherals/cmsdk_timer.h"

namespace hilsim::periph {

class CmsdkDualTimer final : public Device {
 public:
  // CONTROL
  static constexpr std::uint32_t kOneShot = 1u << 0, kSize32 = 1u << 1, kIntEnable = 1u << 5,
                                 kPeriodic = 1u << 6, kEnable = 1u << 7;

  CmsdkDualTimer(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "cmsdk-dualtimer"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  void post_load() override { update_irq(); }
  const RegisterBank& registers() const { return bank_; }

 private:
  struct Channel {
    std::uint32_t load = 0, control = kIntEnable, ris = 0;
    DownCounter counter;
  };
  struct Timing {
    std::uint32_t div, after_zero;
    bool one_shot;
  };
  Timing timing(const Channel& c) const;
  std::uint32_t value(int i) const;
  void restart(int i, std::uint32_t v);
  void reschedule(int i);
  void zero(int i);
  void update_irq();
  std::vector<Register> channel_registers(int i);

  Channel ch_[2];
  int irq_;
  EventId zero_event_[2];
  RegisterBank bank_;
};

}  // namespace hilsim::periph
