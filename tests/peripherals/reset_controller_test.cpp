// reset-controller: sticky causes, boot count, scratch across resets but not power loss, SWRESET.
#include "peripherals/reset_controller.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t RSTCAUSE = 0x00, BOOTCNT = 0x04, CLOCKHZ = 0x08, SWRESET = 0x0C, SCRATCH = 0x10;
}

TEST_CASE("reset-controller: power-on state and clock") {
  FakeHost host{48'000'000};
  ResetController rc(make_config("sysctl", "reset-controller"), host);
  CHECK(rc.read(RSTCAUSE, 4) == 1);
  CHECK(rc.read(BOOTCNT, 4) == 0);
  CHECK(rc.read(CLOCKHZ, 4) == 48'000'000);
  CHECK(rc.read(SCRATCH, 4) == 0);
}

TEST_CASE("reset-controller: causes are sticky, W1C, and power-on clears them") {
  FakeHost host;
  ResetController rc(make_config("sysctl", "reset-controller"), host);
  rc.write(SCRATCH, 4, 0xC0FFEE);
  rc.reset(ResetReason::Watchdog);
  CHECK(rc.read(RSTCAUSE, 4) == 0x3);
  CHECK(rc.read(BOOTCNT, 4) == 1);
  rc.write(RSTCAUSE, 4, 0x3);
  CHECK(rc.read(RSTCAUSE, 4) == 0);
  rc.reset(ResetReason::Software);
  rc.reset(ResetReason::Lockup);
  rc.reset(ResetReason::External);
  CHECK(rc.read(RSTCAUSE, 4) == 0x1C);
  CHECK(rc.read(BOOTCNT, 4) == 4);
  CHECK(rc.read(SCRATCH, 4) == 0xC0FFEE);
  rc.power_off();
  rc.reset(ResetReason::PowerOn);
  CHECK(rc.read(RSTCAUSE, 4) == 1);
  CHECK(rc.read(BOOTCNT, 4) == 0);
  CHECK(rc.read(SCRATCH, 4) == 0);
  CHECK(rc.boot_count() == 0);
}

TEST_CASE("reset-controller: SWRESET key; read-only registers are guest errors") {
  FakeHost host;
  ResetController rc(make_config("sysctl", "reset-controller"), host);
  rc.write(SWRESET, 4, 0x5AFE0002);
  CHECK(host.resets.empty());
  CHECK(host.errors.size() == 1);
  rc.write(SWRESET, 4, ResetController::kSwResetKey);
  REQUIRE(host.resets.size() == 1);
  CHECK(host.resets[0].reason == ResetReason::Software);
  rc.write(BOOTCNT, 4, 5);
  rc.write(CLOCKHZ, 4, 5);
  CHECK(host.errors.size() == 3);
  CHECK(rc.read(BOOTCNT, 4) == 0);
  CHECK(rc.read(SWRESET, 4) == 0);
  CHECK(std::string(to_string(ResetReason::Watchdog)) == "watchdog");
}
