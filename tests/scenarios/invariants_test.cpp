// Invariants: checked during the whole run, whatever step is running.
#include <doctest/doctest.h>

#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::contains;
using test::kDemo;
using Status = scen::ScenarioResult::Status;

namespace {
const std::string kBoot = "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n";
}

TEST_CASE("invariants: no-hardfault fails at the fault, unless an expect-fault announced it") {
  auto r = test::run(kDemo + "invariants:\n  - no-hardfault\nsteps:\n" + kBoot +
                     "  - write-serial: {line: fault}\n"
                     "  - delay: 100ms\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(r.failure->what == "invariant no-hardfault");
  CHECK(r.failure->mark.line == 4);
  CHECK(r.failure->mark.column == 5);
  CHECK(r.failure->step == 3);
  CHECK(contains(r.failure->seen, "bad read: read of 4 bytes at 0x30000000"));
  CHECK(r.failure->seconds < r.steps[2].start + 0.1);

  auto expected = test::run(kDemo + "invariants:\n  - no-hardfault\nsteps:\n" + kBoot +
                            "  - write-serial: {line: fault}\n"
                            "  - expect-fault: {kind: bad read, timeout: 100ms}\n"
                            "  - delay: 100ms\n"   // the BKPT halt that follows is part of it
                            "  - power-cycle\n"
                            "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n");
  CHECK_MESSAGE(expected.status == Status::Passed, expected.timeline);
}

TEST_CASE("invariants: running-within judges every power-on (or every reset)") {
  auto late = test::run(kDemo + "invariants:\n  - running-within: {within: 1ms, serial: \"hilsim demo-m4 firmware\"}\n"
                                "steps:\n  - delay: 50ms\n");
  REQUIRE(late.status == Status::Failed);
  CHECK(late.failure->what == "invariant running-within");
  CHECK(late.failure->seconds == doctest::Approx(0.001).epsilon(1e-9));  // judged at the deadline
  CHECK(late.failure->expected == "text \"hilsim demo-m4 firmware\" on uart0 within 1ms after every power-on");
  CHECK(late.failure->seen == "after the power-on reset at 0.000000 s, nothing matching by 0.001000 s");

  // after: reset covers the watchdog reset too; after: power-on ignores it.
  const std::string hang = "  - write-serial: {line: hang}\n  - wait-reset: {reason: watchdog, timeout: 1500ms}\n  - delay: 50ms\n";
  auto every = test::run(kDemo + "invariants:\n  - running-within: {after: reset, within: 20ms, regex: \"^hilsim demo-m4\"}\n"
                                 "steps:\n" + kBoot + hang);
  CHECK_MESSAGE(every.status == Status::Passed, every.timeline);
  CHECK(contains(every.timeline, "running-within: running"));
  CHECK(contains(every.timeline, "after the watchdog reset"));

  // Powered off before the deadline: not judged, and said so.
  auto off = test::run(kDemo + "invariants:\n  - running-within: {within: 1s, serial: never printed}\n"
                               "steps:\n  - delay: 10ms\n  - power-off\n  - delay: 2s\n");
  CHECK_MESSAGE(off.status == Status::Passed, off.timeline);
  CHECK(contains(off.timeline, "running-within: the power went off 10ms after the reset"));
}

TEST_CASE("invariants: never-serial holds for the whole run") {
  auto r = test::run(kDemo + "invariants:\n  - never-serial: {regex: \"^unknown command\"}\nsteps:\n" + kBoot +
                     "  - write-serial: {line: help}\n"
                     "  - wait-serial: commands\n"
                     "  - write-serial: {line: nope}\n"
                     "  - delay: 100ms\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(r.failure->what == "invariant never-serial");
  CHECK(r.failure->step == 5);
  CHECK(contains(r.failure->seen, "in \"unknown command: nope\""));  // a regex judges whole lines
}
