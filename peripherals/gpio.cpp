// gpio model: register table and level/edge bookkeeping. See gpio.h.
//
// Edges: IRQSTAT latches a rising edge of an input pin whose RISEIE bit is set and a falling
// edge of one whose FALLIE bit is set, from any cause (external drive, PULLUP change, release,
// direction change); the IRQ line is IRQSTAT != 0. Reset clears the registers but not the
// external drive; it reports outputs falling back to input levels.
#include "peripherals/gpio.h"

namespace hilsim::periph {

namespace {
std::uint32_t pin_mask(std::uint32_t pins) { return pins >= 32 ? 0xFFFFFFFFu : ((1u << pins) - 1u); }
}  // namespace

Gpio::Gpio(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      pins_(static_cast<std::uint32_t>(option_int(config, "pins"))),
      mask_(pin_mask(pins_)),
      irq_(config.irq),
      bank_(config.name, host,
            {
                {.name = "IN", .offset = 0x00, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return levels(); }},
                {.name = "OUT", .offset = 0x04, .access = Access::RW, .writable = mask_, .storage = &s_.out,
                 .on_write = [this](std::uint32_t, std::uint32_t) { apply(); }},
                {.name = "DIR", .offset = 0x08, .access = Access::RW, .writable = mask_, .storage = &s_.dir,
                 .on_write = [this](std::uint32_t, std::uint32_t) { apply(); }},
                {.name = "OUTSET", .offset = 0x0C, .access = Access::W, .writable = mask_,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { s_.out |= v; apply(); }},
                {.name = "OUTCLR", .offset = 0x10, .access = Access::W, .writable = mask_,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { s_.out &= ~v; apply(); }},
                {.name = "OUTTGL", .offset = 0x14, .access = Access::W, .writable = mask_,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { s_.out ^= v; apply(); }},
                {.name = "RISEIE", .offset = 0x18, .access = Access::RW, .writable = mask_, .storage = &s_.riseie,
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                {.name = "FALLIE", .offset = 0x1C, .access = Access::RW, .writable = mask_, .storage = &s_.fallie,
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                // "Write all ones to clear" is the usual idiom: 1s above the pin count are accepted.
                {.name = "IRQSTAT", .offset = 0x20, .access = Access::W1C, .writable = 0xFFFFFFFFu,
                 .storage = &s_.irqstat, .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                {.name = "PULLUP", .offset = 0x24, .access = Access::RW, .writable = mask_, .storage = &s_.pullup,
                 .on_write = [this](std::uint32_t, std::uint32_t) { apply(); }},
            }) {
  s_.last_level = levels();
  reset(ResetReason::PowerOn);
}

std::uint32_t Gpio::levels() const {
  std::uint32_t in = (s_.ext_level & s_.ext_driven) | (s_.pullup & ~s_.ext_driven);
  return ((s_.out & s_.dir) | (in & ~s_.dir)) & mask_;
}

void Gpio::apply() {
  std::uint32_t now = levels();
  std::uint32_t changed = now ^ s_.last_level;
  std::uint32_t rising = changed & now, falling = changed & ~now;
  s_.irqstat |= ((rising & s_.riseie) | (falling & s_.fallie)) & ~s_.dir & mask_;
  std::uint32_t reported = changed & (s_.dir | s_.last_dir);
  s_.last_level = now;
  s_.last_dir = s_.dir;
  if (sink_ && reported) {
    for (unsigned pin = 0; pin < pins_; ++pin)
      if ((reported >> pin) & 1u) sink_(host().now(), pin, (now >> pin) & 1u);
  }
  update_irq();
}

void Gpio::reset(ResetReason) {
  std::uint32_t ext_level = s_.ext_level, ext_driven = s_.ext_driven;
  std::uint32_t last_level = s_.last_level, last_dir = s_.last_dir;
  s_ = State{};
  bank_.reset();
  s_.ext_level = ext_level;
  s_.ext_driven = ext_driven;
  s_.last_level = last_level;
  s_.last_dir = last_dir;
  apply();
  s_.irqstat = 0;  // a reset is not an edge
  update_irq();
}

void Gpio::describe(StateVisitor& v) {
  v.field("out", s_.out);
  v.field("dir", s_.dir);
  v.field("riseie", s_.riseie);
  v.field("fallie", s_.fallie);
  v.field("irqstat", s_.irqstat);
  v.field("pullup", s_.pullup);
  v.field("ext_level", s_.ext_level);
  v.field("ext_driven", s_.ext_driven);
  v.field("last_level", s_.last_level);
  v.field("last_dir", s_.last_dir);
}

bool Gpio::set_input(unsigned pin, bool level) {
  if (pin >= pins_) return false;
  std::uint32_t bit = 1u << pin;
  s_.ext_driven |= bit;
  s_.ext_level = level ? (s_.ext_level | bit) : (s_.ext_level & ~bit);
  apply();
  return true;
}

bool Gpio::release_input(unsigned pin) {
  if (pin >= pins_) return false;
  s_.ext_driven &= ~(1u << pin);
  s_.ext_level &= ~(1u << pin);
  apply();
  return true;
}

void Gpio::update_irq() {
  if (irq_ < 0) return;
  host().set_irq(irq_, s_.irqstat != 0);
}

}  // namespace hilsim::periph
