// mps2-fpgaio: the FPGA I/O block of the MPS2 AN385/AN386 images (AN385 "FPGA system control
// and I/O", 0x40028000), as QEMU's hw/misc/mps2-fpgaio.c models it: LED0 (user LEDs, RW),
// BUTTON (push buttons, R), CLK1HZ/CLK100HZ (counters since reset), COUNTER/PRESCALE/PSCNTR
// (a prescaled cycle counter) and MISC (RW, stored only). LEDs and buttons are pins: pin n <
// `leds` is LED n (output), then the buttons (inputs). Leaves out the AN505 switches register.
#pragma once

#include <cstdint>
#include <functional>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class Mps2FpgaIo final : public Device {
 public:
  using OutputSink = std::function<void(Ticks when, unsigned pin, bool level)>;

  Mps2FpgaIo(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "mps2-fpgaio"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }

  // Pins: LEDs first, then buttons.
  unsigned pin_count() const { return leds_ + buttons_; }
  void set_input(unsigned pin, bool level);  // buttons only
  bool level(unsigned pin) const;
  void set_output_sink(OutputSink sink) { sink_ = std::move(sink); }

 private:
  struct State {
    std::uint32_t led = 0, button = 0, prescale = 0, misc = 0;
    std::uint64_t reset_at = 0;  // time of the last reset: the clocks count from there
  };
  std::uint64_t cycles() const { return host().now() - s_.reset_at; }

  State s_;
  unsigned leds_, buttons_;
  OutputSink sink_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
