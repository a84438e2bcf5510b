// gpio: output latch ops, output sink, input edges latching IRQSTAT (W1C), IRQ level, pull-ups.
#include "peripherals/gpio.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t IN = 0x00, OUT = 0x04, DIR = 0x08, OUTSET = 0x0C, OUTCLR = 0x10, OUTTGL = 0x14,
                        RISEIE = 0x18, FALLIE = 0x1C, IRQSTAT = 0x20, PULLUP = 0x24;

struct Change {
  Ticks when;
  unsigned pin;
  bool level;
  bool operator==(const Change&) const = default;
};

struct Fixture {
  FakeHost host;
  Gpio gpio{make_config("gpio0", "gpio", 1, {{"pins", "8"}}), host};
  std::vector<Change> changes;
  Fixture() {
    gpio.set_output_sink([this](Ticks t, unsigned pin, bool level) { changes.push_back({t, pin, level}); });
  }
};
}  // namespace

TEST_CASE("gpio: OUTSET/OUTCLR/OUTTGL drive outputs and report each level change") {
  Fixture f;
  f.gpio.write(DIR, 4, 0x03);
  CHECK(f.changes.empty());  // outputs at 0, inputs undriven at 0: no level change
  f.host.step(10);
  f.gpio.write(OUTSET, 4, 0x01);
  CHECK(f.gpio.read(OUT, 4) == 0x01);
  CHECK(f.gpio.read(IN, 4) == 0x01);
  f.gpio.write(OUTTGL, 4, 0x03);
  CHECK(f.gpio.read(OUT, 4) == 0x02);
  f.gpio.write(OUTCLR, 4, 0x02);
  CHECK(f.gpio.read(OUT, 4) == 0);
  f.gpio.write(OUTSET, 4, 0x04);  // pin 2 is an input: latch changes, level does not
  CHECK(f.gpio.read(OUT, 4) == 0x04);
  CHECK(f.gpio.level(2) == false);
  std::vector<Change> expect = {{10, 0, true}, {10, 0, false}, {10, 1, true}, {10, 1, false}};
  CHECK(f.changes == expect);
  f.changes.clear();
  f.gpio.write(DIR, 4, 0x07);  // pin 2 becomes an output driving its latch (1)
  CHECK(f.changes == std::vector<Change>{{10, 2, true}});
  f.gpio.write(DIR, 4, 0x03);  // and back to input: falls to 0 (undriven, no pull-up)
  CHECK(f.changes == std::vector<Change>{{10, 2, true}, {10, 2, false}});
}

TEST_CASE("gpio: enabled edges latch IRQSTAT; IRQ = IRQSTAT != 0; W1C") {
  Fixture f;
  f.gpio.set_input(2, true);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);  // rising edge, but RISEIE is clear: not latched
  CHECK_FALSE(f.host.irq(1));
  f.gpio.write(RISEIE, 4, 0x04);
  f.gpio.set_input(2, false);  // falling edge with only RISEIE: not latched
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);
  f.gpio.set_input(2, true);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0x04);
  CHECK(f.host.irq(1));
  f.gpio.write(IRQSTAT, 4, 0x04);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);
  CHECK_FALSE(f.host.irq(1));
  f.gpio.set_input(2, true);  // no change, no edge
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);
  f.gpio.write(RISEIE, 4, 0);
  f.gpio.write(FALLIE, 4, 0x04);
  f.gpio.set_input(2, false);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0x04);
  CHECK(f.host.irq(1));
  f.gpio.write(IRQSTAT, 1, 0xFF);
  CHECK_FALSE(f.host.irq(1));
  CHECK(f.changes.empty());  // inputs never reach the output sink
}

TEST_CASE("gpio: PULLUP sets undriven inputs; external drive overrides; release returns to pull") {
  Fixture f;
  CHECK(f.gpio.levels() == 0);
  f.gpio.write(PULLUP, 4, 0x04);
  CHECK(f.gpio.level(2));
  CHECK(f.gpio.read(IN, 4) == 0x04);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);  // a rising edge, but no edge interrupt enabled
  f.gpio.write(IRQSTAT, 4, 0xFF);
  f.gpio.set_input(2, false);  // button pressed
  CHECK_FALSE(f.gpio.level(2));
  f.gpio.write(PULLUP, 4, 0x0C);
  CHECK_FALSE(f.gpio.level(2));  // driven pins ignore the pull
  CHECK(f.gpio.level(3));
  f.gpio.release_input(2);
  CHECK(f.gpio.level(2));
  CHECK(f.gpio.levels() == 0x0C);
}

TEST_CASE("gpio: pin count masks registers; host calls beyond it are refused") {
  Fixture f;
  CHECK(f.gpio.pin_count() == 8);
  f.gpio.write(OUT, 4, 0x1FF);
  CHECK(f.gpio.read(OUT, 4) == 0xFF);
  REQUIRE(f.host.errors.size() == 1);
  CHECK_FALSE(f.gpio.set_input(8, true));
  CHECK_FALSE(f.gpio.level(8));
  FakeHost host;
  Gpio wide(make_config("g", "gpio"), host);
  CHECK(wide.pin_count() == 32);
  wide.write(DIR, 4, 0xFFFFFFFF);
  wide.write(OUT, 4, 0x80000001);
  CHECK(wide.levels() == 0x80000001);
}

TEST_CASE("gpio: reset clears registers, keeps external drive, reports released outputs") {
  Fixture f;
  f.gpio.set_input(5, true);
  f.gpio.write(DIR, 4, 0x01);
  f.gpio.write(OUTSET, 4, 0x01);
  f.gpio.write(RISEIE, 4, 0xFF);
  f.changes.clear();
  f.gpio.reset(ResetReason::Watchdog);
  CHECK(f.gpio.read(DIR, 4) == 0);
  CHECK(f.gpio.read(OUT, 4) == 0);
  CHECK(f.gpio.read(IRQSTAT, 4) == 0);
  CHECK(f.gpio.level(5));
  CHECK(f.changes == std::vector<Change>{{0, 0, false}});
  CHECK_FALSE(f.host.irq(1));
}
