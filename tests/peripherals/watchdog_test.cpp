// watchdog: exact expiry cycle, feeding, wrong key, early warning, cannot be stopped.
#include "peripherals/watchdog.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t LOAD = 0x00, CTRL = 0x04, FEED = 0x08, VALUE = 0x0C, STATUS = 0x10;
// 64 MHz core, 32768 Hz watchdog: 1953.125 core cycles per watchdog tick; 8 ticks = 15625.
struct Fixture {
  FakeHost host{64'000'000};
  Watchdog wdt{make_config("wdt", "watchdog", 2), host};
};
}  // namespace

TEST_CASE("watchdog: reset values; stopped VALUE reads LOAD") {
  Fixture f;
  CHECK(f.wdt.read(LOAD, 4) == 0x8000);
  CHECK(f.wdt.read(CTRL, 4) == 0);
  CHECK(f.wdt.read(VALUE, 4) == 0x8000);
  CHECK(f.wdt.read(STATUS, 4) == 0);
  f.host.step(1'000'000'000);
  CHECK(f.host.resets.empty());
}

TEST_CASE("watchdog: default LOAD expires after exactly one second of core cycles") {
  Fixture f;
  f.host.step(5);
  f.wdt.write(CTRL, 4, Watchdog::kEn);
  f.host.step(64'000'000 - 1);
  CHECK(f.host.resets.empty());
  CHECK(f.wdt.read(VALUE, 4) == 1);
  f.host.step(1);
  REQUIRE(f.host.resets.size() == 1);
  CHECK(f.host.resets[0].when == 64'000'005);
  CHECK(f.host.resets[0].reason == ResetReason::Watchdog);
  CHECK(f.wdt.read(VALUE, 4) == 0);
}

TEST_CASE("watchdog: fractional tick periods round up to whole core cycles") {
  Fixture f;
  CHECK(f.wdt.cycles_for(1) == 1954);
  CHECK(f.wdt.cycles_for(8) == 15625);
  f.wdt.write(LOAD, 4, 3);  // 5859.375 cycles -> 5860
  f.wdt.write(CTRL, 4, Watchdog::kEn);
  f.host.step(5859);
  CHECK(f.host.resets.empty());
  CHECK(f.wdt.read(VALUE, 4) == 1);
  f.host.step(1);
  CHECK(f.host.resets.size() == 1);
}

TEST_CASE("watchdog: feeding reloads; a new LOAD takes effect at the next feed") {
  Fixture f;
  f.wdt.write(LOAD, 4, 8);
  f.wdt.write(CTRL, 4, Watchdog::kEn);
  f.host.step(15000);
  CHECK(f.wdt.read(VALUE, 4) == 1);
  f.wdt.write(FEED, 4, Watchdog::kFeedKey);
  CHECK(f.wdt.read(VALUE, 4) == 8);
  f.wdt.write(LOAD, 4, 16);  // allowed while running, latched at the next feed
  f.host.step(15624);
  CHECK(f.host.resets.empty());
  f.wdt.write(FEED, 4, Watchdog::kFeedKey);
  CHECK(f.wdt.read(VALUE, 4) == 16);
  f.host.step(31249);
  CHECK(f.host.resets.empty());
  f.host.step(1);
  REQUIRE(f.host.resets.size() == 1);
  CHECK(f.host.resets[0].when == 15000 + 15624 + 31250);
}

TEST_CASE("watchdog: a wrong FEED key resets at once, even when stopped") {
  Fixture f;
  f.wdt.write(FEED, 4, 0x1234);
  REQUIRE(f.host.resets.size() == 1);
  CHECK(f.host.resets[0].reason == ResetReason::Watchdog);
  CHECK(f.host.resets[0].when == 0);
  CHECK(f.host.errors.size() == 1);
  f.wdt.write(FEED, 1, 0xED);  // a narrow write cannot carry the key
  CHECK(f.host.resets.size() == 2);
}

TEST_CASE("watchdog: cannot be stopped; reset stops it") {
  Fixture f;
  f.wdt.write(LOAD, 4, 8);
  f.wdt.write(CTRL, 4, Watchdog::kEn);
  f.wdt.write(CTRL, 4, 0);
  CHECK(f.wdt.running());
  CHECK(f.wdt.read(CTRL, 4) == Watchdog::kEn);
  CHECK(f.host.errors.size() == 1);
  f.host.step(10000);
  f.wdt.reset(ResetReason::External);
  CHECK_FALSE(f.wdt.running());
  CHECK(f.wdt.read(LOAD, 4) == 0x8000);
  f.host.step(10'000'000);
  CHECK(f.host.resets.empty());
}

TEST_CASE("watchdog: early warning at LOAD/4 remaining; EWF latches; IRQ needs EWIE; W1C") {
  Fixture f;
  f.wdt.write(LOAD, 4, 8);
  f.wdt.write(CTRL, 4, Watchdog::kEn | Watchdog::kEwie);
  f.host.step(11718);  // tick 6 (2 = 8/4 left) is at 11718.75 -> 11719
  CHECK(f.wdt.read(STATUS, 4) == 0);
  CHECK_FALSE(f.host.irq(2));
  f.host.step(1);
  CHECK(f.wdt.read(STATUS, 4) == Watchdog::kEwf);
  CHECK(f.wdt.read(VALUE, 4) == 2);
  CHECK(f.host.irq(2));
  f.wdt.write(FEED, 4, Watchdog::kFeedKey);
  CHECK(f.host.irq(2));  // feeding does not clear the flag
  f.wdt.write(STATUS, 4, Watchdog::kEwf);
  CHECK_FALSE(f.host.irq(2));
  CHECK(f.host.resets.empty());

  Fixture g;  // without EWIE: flag only
  g.wdt.write(LOAD, 4, 8);
  g.wdt.write(CTRL, 4, Watchdog::kEn);
  g.host.step(11719);
  CHECK(g.wdt.read(STATUS, 4) == Watchdog::kEwf);
  CHECK_FALSE(g.host.irq(2));
  g.wdt.write(CTRL, 4, Watchdog::kEn | Watchdog::kEwie);
  CHECK(g.host.irq(2));
}

TEST_CASE("watchdog: option clock-hz changes the tick length") {
  FakeHost host{1'000'000};
  Watchdog wdt(make_config("w", "watchdog", -1, {{"clock-hz", "1000"}}), host);
  wdt.write(LOAD, 4, 10);
  wdt.write(CTRL, 4, Watchdog::kEn);
  host.step(9999);
  CHECK(host.resets.empty());
  host.step(1);
  CHECK(host.resets.size() == 1);
}
