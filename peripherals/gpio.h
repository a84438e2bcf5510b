// gpio: up to 32 pins with direction, output latch (set/clear/toggle), pull-ups and latched
// edge interrupts, per docs/peripherals.md ("gpio"). Pin levels are plain logic levels; an
// input is driven from outside (scenario, GUI) or, while undriven, reads its PULLUP bit.
// Leaves out drive strength, open-drain, analog, debouncing and contention between an output
// and an external driver (the output wins).
#pragma once

#include <cstdint>
#include <functional>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class Gpio final : public Device {
 public:
  // Called on every change of a pin's level while the pin is an output before or after the
  // change (so a pin switched back to input reports the level it falls to).
  using OutputSink = std::function<void(Ticks when, unsigned pin, bool level)>;

  Gpio(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "gpio"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }  // for register views (peek)
  void post_load() override { update_irq(); }

  // Host side. Pins >= pin_count() are ignored (and return false / level 0).
  unsigned pin_count() const { return pins_; }
  bool set_input(unsigned pin, bool level);  // drives the pin from outside
  bool release_input(unsigned pin);           // stops driving it; PULLUP applies again
  bool level(unsigned pin) const { return pin < pins_ && ((levels() >> pin) & 1u); }
  std::uint32_t levels() const;  // bit n = level of pin n
  std::uint32_t outputs() const { return s_.dir; }
  void set_output_sink(OutputSink sink) { sink_ = std::move(sink); }

 private:
  struct State {
    std::uint32_t out = 0, dir = 0, riseie = 0, fallie = 0, irqstat = 0, pullup = 0;
    std::uint32_t ext_level = 0;   // level driven from outside, for pins in ext_driven
    std::uint32_t ext_driven = 0;  // pins driven from outside (survives reset: it is off-chip)
    std::uint32_t last_level = 0;  // levels as of the last apply(), for edges and the sink
    std::uint32_t last_dir = 0;    // DIR as of the last apply()
  };

  // Recomputes levels after any change: latches input edges, reports output changes, IRQ.
  void apply();
  void update_irq();

  std::uint32_t pins_;
  std::uint32_t mask_;
  int irq_;
  State s_;
  OutputSink sink_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
