// mps2-fpgaio model: register table and pins. See mps2_fpgaio.h.
//
// Registers: LED0 0x00, BUTTON 0x08, CLK1HZ 0x10, CLK100HZ 0x14, COUNTER 0x18 (increments every
// PRESCALE+1 cycles), PRESCALE 0x1C, PSCNTR 0x20 (counts PRESCALE down to 0), MISC 0x4C.
// BUTTON bit n is the level of button pin n (1 = pressed on QEMU, which never presses them;
// the board's `active` key only affects display). Button levels survive resets (they are wires).
#include "peripherals/mps2_fpgaio.h"

namespace hilsim::periph {

Mps2FpgaIo::Mps2FpgaIo(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      leds_(static_cast<unsigned>(option_int(config, "leds"))),
      buttons_(static_cast<unsigned>(option_int(config, "buttons"))),
      bank_(config.name, host,
            {
                {.name = "LED0", .offset = 0x00, .access = Access::RW, .writable = (1u << leds_) - 1,
                 .storage = &s_.led,
                 .on_write = [this](std::uint32_t old, std::uint32_t now) {
                   if (!sink_) return;
                   for (unsigned i = 0; i < leds_; ++i)
                     if ((old ^ now) >> i & 1) sink_(this->host().now(), i, (now >> i) & 1);
                 }},
                {.name = "BUTTON", .offset = 0x08, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return s_.button; }},
                {.name = "CLK1HZ", .offset = 0x10, .access = Access::R, .on_read = [this](std::uint32_t) {
                   return static_cast<std::uint32_t>(cycles() / this->host().clock_hz());
                 }},
                {.name = "CLK100HZ", .offset = 0x14, .access = Access::R, .on_read = [this](std::uint32_t) {
                   return static_cast<std::uint32_t>(cycles() * 100 / this->host().clock_hz());
                 }},
                {.name = "COUNTER", .offset = 0x18, .access = Access::R, .on_read = [this](std::uint32_t) {
                   return static_cast<std::uint32_t>(cycles() / (std::uint64_t{s_.prescale} + 1));
                 }},
                {.name = "PRESCALE", .offset = 0x1C, .access = Access::RW, .storage = &s_.prescale},
                {.name = "PSCNTR", .offset = 0x20, .access = Access::R, .on_read = [this](std::uint32_t) {
                   std::uint64_t p = std::uint64_t{s_.prescale} + 1;
                   return static_cast<std::uint32_t>(s_.prescale - cycles() % p);
                 }},
                {.name = "MISC", .offset = 0x4C, .access = Access::RW, .storage = &s_.misc},
            }) {
  reset(ResetReason::PowerOn);
}

void Mps2FpgaIo::reset(ResetReason) {
  std::uint32_t buttons = s_.button;
  std::uint32_t old_led = s_.led;
  s_ = State{};
  s_.button = buttons;
  s_.reset_at = host().now();
  bank_.reset();
  if (sink_)
    for (unsigned i = 0; i < leds_; ++i)
      if ((old_led >> i) & 1) sink_(host().now(), i, false);
}

void Mps2FpgaIo::describe(StateVisitor& v) {
  v.field("led", s_.led);
  v.field("button", s_.button);
  v.field("prescale", s_.prescale);
  v.field("misc", s_.misc);
  v.field("reset_at", s_.reset_at);
}

void Mps2FpgaIo::set_input(unsigned pin, bool level) {
  if (pin < leds_ || pin >= pin_count()) return;
  unsigned bit = pin - leds_;
  s_.button = (s_.button & ~(1u << bit)) | (std::uint32_t{level} << bit);
}

bool Mps2FpgaIo::level(unsigned pin) const {
  if (pin < leds_) return (s_.led >> pin) & 1;
  if (pin < pin_count()) return (s_.button >> (pin - leds_)) & 1;
  return false;
}

}  // namespace hilsim::periph
