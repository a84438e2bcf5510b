// The reference firmware's update agent through the emulated machine: boot, download, verify,
// hot apply, trial, confirm, and every way an update can go wrong (docs/update-firmware.md).
#include <doctest/doctest.h>

#include <memory>

#include "tests/ota/ota_fixture.h"

using hilsim::test::OtaFixture;
using namespace hilsim;

TEST_CASE("ota: a fresh device runs the factory script, then downloads, applies and confirms v1") {
  OtaFixture f;
  f.m().power_on();
  f.run_ms(500);
  CHECK(f.printed("factory script: no valid application yet"));
  CHECK(f.slot() == "factory");
  CHECK(f.state() == "factory");
  f.publish("app_v1.py", "1.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: 1.0.0 confirmed", 20000), f.transcript());
  CHECK(f.printed("update: verified 1.0.0"));
  CHECK(f.printed("app v1: hello, running 1.0.0 from slot-a"));
  CHECK(f.version() == "1.0.0");
  CHECK(f.slot() == "slot-a");
  CHECK(f.state() == "running");
  CHECK(f.m().faults().empty());
  MESSAGE(f.transcript());
}

namespace {
constexpr std::uint32_t kMeta = 0x40000, kMetaSize = 0x4000;
constexpr std::uint32_t kSlotA = 0x50000, kSlotB = 0x68000, kSlotSize = 0x18000;
}  // namespace

TEST_CASE("ota: v2 is hot-applied with exec() without a reboot and keeps v1's state") {
  OtaFixture f;
  f.install_v1();
  for (int i = 0; i < 2; ++i) {
    f.m().set_pin("BUTTON", false);
    f.run_ms(50);
    f.m().set_pin("BUTTON", true);
    f.run_ms(50);
  }
  CHECK(f.printed("button: LED1=off"));
  f.publish("app_v2.py", "2.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: 2.0.0 confirmed", 20000), f.transcript());
  CHECK(f.m().resets().size() == 1);  // only the power-on reset: no reboot
  CHECK(f.printed("app v2: hello, running 2.0.0 from slot-b, presses so far: 2"));
  CHECK(f.version() == "2.0.0");
  CHECK(f.slot() == "slot-b");
  CHECK(f.status().updates() == 2);
  // v2 blinks LED0 every 250 ms.
  const std::size_t before = f.pins.size();
  f.run_ms(1000);
  int toggles = 0;
  for (std::size_t i = before; i < f.pins.size(); ++i) toggles += f.pins[i].pin == "LED0";
  CHECK(toggles == 4);
}

TEST_CASE("ota: a dropped download resumes with an HTTP Range request") {
  OtaFixture f;
  f.install_v1();
  f.net().add_fault(periph::NetFault::drop(1400).on_path("/bundles/"));
  f.publish("app_v2.py", "2.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: 2.0.0 confirmed", 20000), f.transcript());
  CHECK(f.printed("update: download interrupted at byte"));
  CHECK(f.printed("update: resuming at byte 1024"));
  bool ranged = false;
  for (const auto& e : f.server->log()) ranged |= e.path.rfind("/bundles/", 0) == 0 && e.range == "bytes=1024-" && e.status == 206;
  CHECK(ranged);
}

TEST_CASE("ota: power cut while writing the slot (torn): reboot on v1, the download resumes, v2 applies") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_v2.py", "2.0.0");
  // The second page of the second sector of slot-b (v2 is 5.2 KiB): the first sector is complete.
  periph::FlashOp op = f.power_cut_at(
      [](const periph::FlashOp& o) { return o.kind == periph::FlashOp::Kind::Program && o.address == kSlotB + 4096 + 256; },
      periph::PowerLossPolicy::Torn, 20000);
  REQUIRE_MESSAGE(op.seq != 0, f.transcript());
  REQUIRE(f.run_until_printed("app v1: hello", 2000));
  f.run_ms(20);
  CHECK_MESSAGE(f.version() == "1.0.0", f.transcript());
  REQUIRE_MESSAGE(f.run_until_printed("update: 2.0.0 confirmed", 30000), f.transcript());
  CHECK_MESSAGE(f.printed("update: resuming at byte 4096"), f.transcript());
  CHECK(f.version() == "2.0.0");
  CHECK(f.m().faults().empty());
}

TEST_CASE("ota: a corrupted download is rejected by SHA-256 and fetched again") {
  OtaFixture f;
  f.install_v1();
  f.net().add_fault(periph::NetFault::corrupt(600, 0x20).on_path("/bundles/"));
  f.publish("app_v2.py", "2.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: rejected 2.0.0: SHA-256", 20000), f.transcript());
  CHECK(f.version() == "1.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: 2.0.0 confirmed", 30000), f.transcript());
}

TEST_CASE("ota: a release signed with the wrong key is refused before downloading") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_v2.py", "2.0.0", "rogue");
  REQUIRE_MESSAGE(f.run_until_printed("update: rejected 2.0.0: signature is not from the trusted key", 20000),
                  f.transcript());
  f.run_ms(25000);
  CHECK(f.count("signature is not from the trusted key") == 1);
  int bundle_requests = 0;
  for (const auto& e : f.server->log()) bundle_requests += e.path == "/bundles/app-2.0.0.bundle";
  CHECK(bundle_requests == 0);
  CHECK(f.version() == "1.0.0");
}

TEST_CASE("ota: a downgrade is refused") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_v2.py", "0.9.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: refusing downgrade to 0.9.0", 20000), f.transcript());
  f.run_ms(25000);
  CHECK(f.count("refusing downgrade") == 1);
  CHECK(f.version() == "1.0.0");
}

TEST_CASE("ota: a script that raises at start-up is rolled back without a reboot, and not retried") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_v3_raises.py", "3.0.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: rolled back to 1.0.0 (slot-a)", 20000), f.transcript());
  CHECK(f.printed("SensorError: temperature sensor not responding"));
  CHECK(f.printed("update: rolling back 3.0.0 (exception in setup())"));
  CHECK(f.m().resets().size() == 1);
  CHECK(f.version() == "1.0.0");
  CHECK(f.state() == "running");
  CHECK(f.status().rollbacks() == 1);
  REQUIRE(f.run_until_printed("update: skipping 3.0.0 (it was rolled back before)", 15000));
}

TEST_CASE("ota: a script that hangs is rolled back after the watchdog reset") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_hang.py", "3.1.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: rolled back to 1.0.0", 20000), f.transcript());
  CHECK(f.printed("reset: watchdog"));
  CHECK(f.printed("update: rolling back 3.1.0 (the watchdog reset the device during the trial"));
  CHECK(f.m().resets().back().second == periph::ResetReason::Watchdog);
  CHECK(f.version() == "1.0.0");
  f.run_ms(12000);
  CHECK(f.version() == "1.0.0");
  CHECK(f.count("reset: watchdog") == 1);
}

TEST_CASE("ota: a script with a syntax error is rolled back") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_syntax_error.py", "3.2.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: rolled back to 1.0.0", 20000), f.transcript());
  CHECK(f.printed("SyntaxError"));
  CHECK_MESSAGE(f.printed("script: slot-b:5:12: SyntaxError: expected ':'"), f.transcript());
  CHECK(f.version() == "1.0.0");
}

TEST_CASE("ota: a script whose selftest() fails is rolled back") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_selftest_fails.py", "3.3.0");
  REQUIRE_MESSAGE(f.run_until_printed("update: rolled back to 1.0.0", 20000), f.transcript());
  CHECK(f.printed("rolling back 3.3.0 (selftest() returned False)"));
}

TEST_CASE("ota: both slots corrupt -> the factory script runs and the device can still update") {
  OtaFixture f;
  f.install_v1();
  f.publish("app_v2.py", "2.0.0");
  REQUIRE(f.run_until_printed("update: 2.0.0 confirmed", 20000));
  f.m().power_off();
  f.m().bus().host(kSlotA + 200, 1)[0] ^= 0x01;  // flip a bit in each script
  f.m().bus().host(kSlotB + 200, 1)[0] ^= 0x01;
  f.mark();
  f.m().power_on();
  REQUIRE_MESSAGE(f.run_until_printed("factory script: no valid application yet", 3000), f.transcript());
  CHECK_MESSAGE(f.printed("boot: slot-b is not valid (SHA-256 of the script does not match its header)"),
                f.transcript());
  CHECK(f.slot() == "factory");
  // The agent still runs: v2 is downloaded again and the device recovers.
  REQUIRE_MESSAGE(f.run_until_printed("app v2: hello, running 2.0.0 from slot-a", 30000), f.transcript());
}

TEST_CASE("ota: power cut during the journal commit and during the confirm: the device recovers") {
  for (auto policy : {periph::PowerLossPolicy::Before, periph::PowerLossPolicy::After, periph::PowerLossPolicy::Torn}) {
    CAPTURE(static_cast<int>(policy));
    OtaFixture f;
    f.install_v1();
    f.publish("app_v2.py", "2.0.0");
    // The trial commit is the journal record after the download's progress records (one per
    // 1 KiB chunk); cut while it is being programmed (one 32-byte page program).
    const int chunks = static_cast<int>((hilsim::test::bundle("app_v2.py", "2.0.0").size() + 1023) / 1024);
    auto seen_slot = std::make_shared<bool>(false);
    auto records = std::make_shared<int>(0);
    periph::FlashOp op = f.power_cut_at(
        [=](const periph::FlashOp& o) {
          if (OtaFixture::in_range(o, kSlotB, kSlotSize)) *seen_slot = true;
          if (!*seen_slot || !OtaFixture::in_range(o, kMeta, kMetaSize)) return false;
          if ((o.address - kMeta) % 32 == 0) ++*records;
          return *records == chunks + 1;
        },
        policy, 20000);
    REQUIRE(op.seq != 0);
    REQUIRE_MESSAGE(f.run_until_printed("update: 2.0.0 confirmed", 30000), f.transcript());
    CHECK(f.version() == "2.0.0");
    // A commit that completed ("after") resumes the trial; one that did not verifies the slot again.
    const bool committed = policy == periph::PowerLossPolicy::After;
    CHECK_MESSAGE(f.printed(committed ? "boot: resuming the trial of 2.0.0" : "update: verified 2.0.0"), f.transcript());

    // And a cut during the confirm record of the next update (v3 raises -> rollback instead).
    OtaFixture g;
    g.install_v1();
    g.publish("app_v2.py", "2.0.0");
    REQUIRE(g.run_until_printed("update: 2.0.0 on trial", 20000, 5));
    g.mark();
    op = g.power_cut_at([](const periph::FlashOp& o) { return OtaFixture::in_range(o, kMeta, kMetaSize); }, policy,
                        10000);
    REQUIRE(op.seq != 0);
    if (committed) {  // the confirm record is whole: v2 boots confirmed, with no trial to finish
      REQUIRE_MESSAGE(g.run_until_printed("app v2: hello", 30000), g.transcript());
      g.run_ms(6000);
      CHECK_FALSE(g.printed_since_mark("on trial"));
      CHECK_FALSE(g.printed_since_mark("rolling back"));
    } else {
      REQUIRE_MESSAGE(g.run_until_printed("update: 2.0.0 confirmed", 30000), g.transcript());
    }
    CHECK(g.version() == "2.0.0");
  }
}
