// Each step type run on the demo-m4 firmware: what passes, what fails, when, and what the
// failure says. Expectations avoid details of the firmware version (banner number, blink rate).
#include <doctest/doctest.h>

#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::contains;
using test::kDemo;
using Status = scen::ScenarioResult::Status;

namespace {
const std::string kBoot = "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n";

const scen::StepRecord& step(const scen::ScenarioResult& r, int index) { return r.steps.at(static_cast<std::size_t>(index - 1)); }
}  // namespace

TEST_CASE("steps: wait-serial (text and regex), write-serial, expect-serial") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - write-serial: {line: help}\n"
                     "  - wait-serial: {regex: \"^commands: help status\", timeout: 100ms}\n"
                     "  - expect-serial: \"commands:\"\n"
                     "  - write-serial: \"status\\r\"\n"
                     "  - delay: 50ms\n"
                     "  - expect-serial: {regex: \"watchdog=(fed|starving)$\"}\n");
  CHECK_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(contains(step(r, 3).note, "matched \"commands: help status"));
  CHECK(contains(step(r, 7).note, "seen \"status: uptime_ms="));
  CHECK(contains(r.timeline, "input  uart0 <- \"help\\n\""));
}

TEST_CASE("steps: a wait-serial timeout fails at exactly its deadline and shows what was printed") {
  auto r = test::run(kDemo + "steps:\n" + kBoot + "  - wait-serial: {text: never printed, timeout: 300ms}\n");
  REQUIRE(r.status == Status::Failed);
  const scen::Failure& f = *r.failure;
  CHECK(f.step == 2);
  CHECK(f.what == "step 2 wait-serial");
  CHECK(f.mark.line == 5);
  CHECK(f.seconds == doctest::Approx(step(r, 2).start + 0.3).epsilon(1e-9));
  CHECK(contains(f.expected, "text \"never printed\" on uart0 within 300ms"));
  CHECK(contains(f.seen, "none matching"));
  REQUIRE(!f.last_lines.empty());
  CHECK(contains(f.last_lines.front(), "hilsim demo-m4 firmware"));
  CHECK(contains(r.timeline, "FAIL   step 2 wait-serial at test.yaml:5:5"));
}

TEST_CASE("steps: expect-serial looks back to the previous step's start, not further") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - write-serial: {line: help}\n"
                     "  - delay: 100ms\n"
                     "  - expect-serial: commands\n"   // printed during the delay: seen
                     "  - expect-serial: commands\n"); // the previous step is the expect itself: not seen
  REQUIRE(r.status == Status::Failed);
  CHECK(step(r, 4).status == "passed");
  CHECK(r.failure->step == 5);
  CHECK(contains(r.failure->expected, "text \"commands\" on uart0 since the previous step started"));
}

TEST_CASE("steps: never-serial fails the run when its pattern appears, whatever step runs") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - never-serial: unknown command\n"
                     "  - write-serial: {line: bogus}\n"
                     "  - delay: 200ms\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(r.failure->what == "never-serial (step 2)");
  CHECK(r.failure->step == 4);  // it happened during the delay
  CHECK(r.failure->mark.line == 5);
  CHECK(contains(r.failure->seen, "in \"unknown command"));  // as soon as it appears, mid-line
  CHECK(r.failure->seconds < step(r, 4).start + 0.2);

  // Bounded by `for`, or ended by clear-never: the same output passes.
  auto bounded = test::run(kDemo + "steps:\n" + kBoot +
                           "  - never-serial: {text: unknown command, for: 1ms}\n"
                           "  - delay: 10ms\n"
                           "  - write-serial: {line: bogus}\n"
                           "  - wait-serial: unknown command\n");
  CHECK_MESSAGE(bounded.status == Status::Passed, bounded.timeline);
  auto cleared = test::run(kDemo + "steps:\n" + kBoot +
                           "  - never-serial: {regex: \"unknown\", id: quiet}\n"
                           "  - clear-never: quiet\n"
                           "  - write-serial: {line: bogus}\n"
                           "  - wait-serial: unknown command\n");
  CHECK_MESSAGE(cleared.status == Status::Passed, cleared.timeline);
}

TEST_CASE("steps: set-control with for, wait-pin (value and edge), expect-pin") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - expect-pin: {pin: LED1, value: 0}\n"
                     "  - set-control: {pin: BUTTON, value: 0, for: 50ms}\n"
                     "  - wait-pin: {pin: LED1, value: 1, timeout: 100ms}\n"
                     "  - expect-pin: {pin: BUTTON, value: 0}\n"
                     "  - delay: 60ms\n"
                     "  - expect-pin: {pin: BUTTON, value: 1}\n"
                     "  - wait-pin: {pin: LED0, edge: rising, timeout: 600ms}\n"
                     "  - expect-pin: {pin: LED0, value: 1}\n"
                     "  - wait-pin: {pin: LED0, edge: any, timeout: 600ms}\n"
                     "  - expect-pin: {pin: LED0, value: 0}\n");
  CHECK_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(contains(r.timeline, "input  BUTTON <- 0\n"));
  CHECK(contains(r.timeline, "input  BUTTON <- 1 (after 50ms)\n"));

  auto timeout = test::run(kDemo + "steps:\n" + kBoot + "  - wait-pin: {pin: LED1, value: 1, timeout: 200ms}\n");
  REQUIRE(timeout.status == Status::Failed);
  CHECK(timeout.failure->expected == "LED1 = 1 within 200ms (by " + scen::seconds_text(step(timeout, 2).start + 0.2) + ")");
  CHECK(timeout.failure->seen == "LED1 changed 0 times; now 0");
  auto wrong = test::run(kDemo + "steps:\n" + kBoot + "  - expect-pin: {pin: LED1, value: 1}\n");
  REQUIRE(wrong.status == Status::Failed);
  CHECK(wrong.failure->seen == "LED1 = 0");
}

TEST_CASE("steps: power-off, power-on, power-cycle, reset, wait-reset") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - power-off\n"
                     "  - delay: 100ms\n"
                     "  - power-on\n"
                     "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n"
                     "  - reset\n"
                     "  - wait-serial: {text: \"(reset: external)\", timeout: 100ms}\n"
                     "  - write-serial: {line: reset}\n"
                     "  - wait-reset: {reason: software, timeout: 100ms}\n"
                     "  - power-cycle: 20ms\n"
                     "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n");
  CHECK_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(step(r, 4).start == doctest::Approx(step(r, 3).start + 0.1).epsilon(1e-9));  // time passes while off
  CHECK(contains(r.timeline, "power  off (power cycle)\n"));
  CHECK(contains(r.timeline, "power  on (after 20ms off)\n"));
  CHECK(contains(step(r, 9).note, "software reset at"));

  auto none = test::run(kDemo + "steps:\n" + kBoot + "  - wait-reset: {reason: watchdog, timeout: 300ms}\n");
  REQUIRE(none.status == Status::Failed);
  CHECK(contains(none.failure->expected, "a watchdog reset within 300ms"));
  CHECK(none.failure->seen == "no reset");
}

TEST_CASE("steps: snapshot and restore put the machine back in time; every replay is identical") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - snapshot: booted\n"
                     "  - write-serial: {line: status}\n"
                     "  - wait-serial: {text: \"status:\", timeout: 100ms}\n"
                     "  - delay: 1s\n"
                     "  - restore: booted\n"
                     "  - write-serial: {line: status}\n"
                     "  - wait-serial: {text: \"status:\", timeout: 100ms}\n"
                     "  - delay: 1s\n"
                     "  - restore: booted\n"
                     "  - write-serial: {line: status}\n"
                     "  - wait-serial: {text: \"status:\", timeout: 100ms}\n");
  REQUIRE_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(step(r, 7).start == doctest::Approx(step(r, 2).start).epsilon(1e-12));  // back to the snapshot's time
  CHECK(step(r, 8).note == step(r, 12).note);  // two replays: the same line at the same virtual time
  // KNOWN DEFECT (docs/architecture.md, "Snapshots"): the first run after the snapshot point is
  // not always tick-identical to the replays: a snapshot taken right after a scenario halt
  // (a stop requested from an MMIO callback) restores a state that runs a few ticks apart
  // (measured: 28 ticks at the next status-port write, 1 tick on this line). Same line, close.
  CHECK(contains(step(r, 4).note, "matched \"status:\" at 0.0145"));
  CHECK(contains(step(r, 8).note, "matched \"status:\" at 0.0145"));
  CHECK(contains(r.timeline, "snapshot 'booted' restored: time goes back from"));
}

TEST_CASE("steps: expect-fault, and a stopped core fails waits with the reason") {
  auto r = test::run(kDemo + "steps:\n" + kBoot +
                     "  - write-serial: {line: fault}\n"
                     "  - expect-fault: {kind: bad read, detail: \"0x30000000\", timeout: 100ms}\n"
                     "  - wait-serial: {text: \"FAULT pc=\", timeout: 100ms}\n"
                     "  - wait-serial: {text: anything, timeout: 200ms}\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(step(r, 3).status == "passed");
  CHECK(contains(step(r, 3).note, "bad read at"));
  CHECK(r.failure->step == 5);
  CHECK(contains(r.failure->seen, "(the core has been stopped: BKPT at"));
  CHECK(contains(r.timeline, "halt   BKPT at"));

  auto none = test::run(kDemo + "steps:\n" + kBoot + "  - expect-fault\n");
  REQUIRE(none.status == Status::Failed);
  CHECK(contains(none.failure->expected, "a fault since the previous step started"));
  CHECK(none.failure->seen == "no fault");
}

TEST_CASE("steps: on-bkpt resume lets the watchdog bring a faulted device back") {
  auto r = test::run(kDemo + "on-bkpt: resume\nsteps:\n" + kBoot +
                     "  - write-serial: {line: fault}\n"
                     "  - wait-serial: {text: \"FAULT pc=\", timeout: 100ms}\n"
                     "  - wait-reset: {reason: watchdog, timeout: 1500ms}\n"
                     "  - wait-serial: {text: \"(reset: watchdog)\", timeout: 100ms}\n");
  CHECK_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(contains(r.timeline, "resumed after it (on-bkpt: resume)"));
}

TEST_CASE("steps: the scenario's time limit stops a run in the middle of a step") {
  auto r = test::run(kDemo + "time-limit: 1s\nsteps:\n" + kBoot + "  - delay: 5s\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(r.failure->what == "time limit");
  CHECK(r.failure->seconds == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.failure->mark.line == 6);
  CHECK(contains(r.failure->seen, "step 2 delay was running at 1.000000 s"));
}

TEST_CASE("steps: network steps on a board without a net-link fail with a clear message") {
  // The mps2-an385 board has no net-link and no status port.
  auto r = test::run("board: mps2-an385\nfirmware: ${build}/firmware/mps2-tests/hello-an385.elf\n"
                     "steps:\n  - net-drop: {after: 10}\n");
  REQUIRE(r.status == Status::Failed);
  CHECK(contains(r.failure->seen, "has no net-link device"));
}
