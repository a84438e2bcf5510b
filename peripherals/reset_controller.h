// reset-controller: the system controller that tells the firmware why it (re)started, per
// docs/peripherals.md ("reset-controller"): sticky RSTCAUSE bits, BOOTCNT since power-on, the
// core clock, a keyed software reset and a SCRATCH word that survives resets but not power loss.
// It learns each reset's reason through reset(ResetReason). Leaves out brown-out detection,
// clock configuration and low-power modes.
#pragma once

#include <cstdint>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class ResetController final : public Device {
 public:
  static constexpr std::uint32_t kSwResetKey = 0x5AFE0001u;
  static constexpr std::uint32_t kCauseMask = 0x1Fu;

  ResetController(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "reset-controller"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  // PowerOn: RSTCAUSE = power-on only, BOOTCNT = 0, SCRATCH = 0. Any other reason: its
  // RSTCAUSE bit is added, BOOTCNT counts up, SCRATCH is kept.
  void reset(ResetReason reason) override;
  void power_off() override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }  // for register views (peek)

  // Host side.
  std::uint32_t reset_causes() const { return s_.rstcause; }
  std::uint32_t boot_count() const { return s_.bootcnt; }
  std::uint32_t scratch() const { return s_.scratch; }

 private:
  struct State {
    std::uint32_t rstcause = static_cast<std::uint32_t>(ResetReason::PowerOn);
    std::uint32_t bootcnt = 0;
    std::uint32_t scratch = 0;
  };

  State s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
