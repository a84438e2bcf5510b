// watchdog: an independent down-counting watchdog on its own low-frequency clock, per
// docs/peripherals.md ("watchdog"): LOAD/CTRL/FEED/VALUE/STATUS, early-warning IRQ at LOAD/4
// remaining, expiry requests a system reset (reason Watchdog), a wrong FEED key resets at once.
// Once started it cannot be stopped except by a system reset. Leaves out a window mode, debug
// freeze (the counter also runs while a debugger halts the core) and clock drift/jitter.
#pragma once

#include <cstdint>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class Watchdog final : public Device {
 public:
  static constexpr std::uint32_t kEn = 1u << 0, kEwie = 1u << 1;  // CTRL
  static constexpr std::uint32_t kEwf = 1u << 0;                  // STATUS
  static constexpr std::uint32_t kFeedKey = 0x0000FEEDu;

  Watchdog(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "watchdog"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }  // for register views (peek)
  void post_load() override { update_irq(); }

  // Host side.
  bool running() const { return (s_.ctrl & kEn) != 0; }
  std::uint64_t wdt_clock_hz() const { return wdt_hz_; }
  // Core cycles until `wdt_ticks` watchdog ticks have elapsed since a start/feed: the exact
  // instant rounded up to the next whole core cycle (ceil(ticks * core_hz / wdt_hz)).
  Ticks cycles_for(std::uint64_t wdt_ticks) const;
  std::uint32_t value() const;  // ticks left (LOAD while stopped)

 private:
  struct State {
    std::uint32_t load = 0x8000;  // LOAD register (takes effect at start/feed)
    std::uint32_t ctrl = 0;
    std::uint32_t status = 0;
    std::uint32_t period_load = 0;   // LOAD latched at the last start/feed
    std::uint64_t period_start = 0;  // core cycle of the last start/feed
  };

  void start_period();  // latches LOAD, arms the warning and expiry events
  void feed(std::uint32_t key);
  void expire();
  void warn();
  void update_irq();

  std::uint64_t wdt_hz_;
  int irq_;
  EventId expire_event_, warn_event_;
  State s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
