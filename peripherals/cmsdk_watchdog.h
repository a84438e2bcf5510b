// cmsdk-watchdog: the ARM CMSDK APB watchdog (DDI0479 ch. 4.6; an SP805), as on QEMU's
// mps2-an385/an386 at 0x40008000 with its interrupt on NMI (option `nmi`, the default there).
// A 32-bit down counter at the core clock, enabled by CONTROL.INTEN: at 0 it raises the
// interrupt and reloads; reaching 0 again with the interrupt still set resets the system when
// CONTROL.RESEN. WDOGLOCK (0x1ACCE551 unlocks) guards every other register. Leaves out the
// integration test registers (ITCR/ITOP) beyond reading as 0.
#pragma once

#include <cstdint>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class CmsdkWatchdog final : public Device {
 public:
  static constexpr std::uint32_t kIntEn = 1u << 0, kResEn = 1u << 1;  // CONTROL
  static constexpr std::uint32_t kUnlockKey = 0x1ACCE551u;

  CmsdkWatchdog(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "cmsdk-watchdog"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override;
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  void post_load() override { update_irq(); }
  const RegisterBank& registers() const { return bank_; }

 private:
  struct State {
    std::uint32_t load = 0xFFFFFFFFu, control = 0, ris = 0, locked = 0;
    std::uint32_t start_value = 0xFFFFFFFFu;
    std::uint64_t start = 0;
  };
  std::uint32_t value() const;
  void reload();
  void expire();
  void update_irq();

  State s_;
  int irq_;
  EventId expire_event_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
