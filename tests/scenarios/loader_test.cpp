// Loading scenario files: every malformed input is one message with its exact file:line:col
// and what was expected.
#include <doctest/doctest.h>

#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::kDemo;
using test::load_error;

namespace {
// The message must start with `where` and contain `what`.
void expect_error(const std::string& text, const std::string& where, const std::string& what) {
  std::string err = load_error(text);
  CAPTURE(err);
  CHECK(err.rfind("test.yaml:" + where + ": ", 0) == 0);
  CHECK(test::contains(err, what));
}
}  // namespace

TEST_CASE("loader: a well-formed scenario loads with its steps, invariants and defaults") {
  auto sc = test::load(kDemo +
                       "seed: 7\n"
                       "invariants:\n"
                       "  - no-hardfault\n"
                       "  - running-within: {within: 50ms, serial: banner}\n"
                       "steps:\n"
                       "  - delay: 500ms\n"
                       "  - name: press\n"
                       "    set-control: {pin: BUTTON, value: 0, for: 100ms}\n"
                       "  - wait-serial: hello\n"
                       "  - reset\n");
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  CHECK(sc->name == "test");
  CHECK(sc->seed == 7);
  CHECK(sc->time_limit_ns == 60'000'000'000ull);
  REQUIRE(sc->steps.size() == 4);
  CHECK(sc->steps[0].type->name == "delay");
  CHECK(sc->steps[0].args.ns("duration") == 500'000'000ull);
  CHECK(sc->steps[0].mark.line == 8);
  CHECK(sc->steps[0].mark.column == 5);
  CHECK(sc->steps[1].label == "press");
  CHECK(sc->steps[1].mark.line == 10);
  CHECK(sc->steps[2].args.ns("timeout") == 5'000'000'000ull);  // the scenario's step-timeout
  CHECK(sc->steps[3].type->name == "reset");
  REQUIRE(sc->invariants.size() == 2);
  CHECK(sc->invariants[1].args.text("after") == "power-on");
}

TEST_CASE("loader: unknown steps, keys and sections, with a did-you-mean") {
  expect_error(kDemo + "steps:\n  - wait-seria: hello\n", "4:5",
               "unknown step \"wait-seria\" (did you mean 'wait-serial'?); expected one of delay, wait-serial");
  expect_error(kDemo + "steps:\n  - wait-serial: {text: hi, timout: 2s}\n", "4:29",
               "unknown key 'timout' in wait-serial (did you mean 'timeout'?); expected text, regex, uart, timeout");
  expect_error(kDemo + "stepz:\n  - delay: 1s\n", "3:1", "unknown key \"stepz\" at the top of the scenario (did you mean 'steps'?)");
  expect_error(kDemo + "invariants:\n  - no-hardfaults\nsteps: []\n", "4:5", "unknown invariant \"no-hardfaults\" (did you mean 'no-hardfault'?)");
  expect_error(kDemo + "log: [pins, flsh]\nsteps: []\n", "3:13", "unknown log source \"flsh\" (did you mean 'flash'?)");
  expect_error(kDemo + "steps:\n  - reset: {hard: true}\n", "4:13", "unknown key 'hard' in reset; it takes no keys");
}

TEST_CASE("loader: a key indented at the step's level is pointed out") {
  expect_error(kDemo + "steps:\n  - wait-serial: hello\n    timeout: 2s\n", "5:5",
               "'timeout' belongs to wait-serial: indent it under 'wait-serial:'");
  expect_error(kDemo + "steps:\n  - delay: 1s\n    reset:\n", "5:5",
               "a step has exactly one action; this one has 'delay' (line 4) and 'reset'");
}

TEST_CASE("loader: wrong kinds of values") {
  expect_error(kDemo + "steps:\n  - delay: soon\n", "4:12",
               "'duration' of delay must be a duration with a unit, such as 500ms, 2s or 10us, not \"soon\"");
  expect_error(kDemo + "steps:\n  - delay: 5\n", "4:12", "must be a duration with a unit");
  expect_error(kDemo + "steps:\n  - expect-pin: {pin: LED0, value: 2}\n", "4:36", "'value' of expect-pin must be 0 or 1, not \"2\"");
  expect_error(kDemo + "steps:\n  - wait-flash: {count: 0}\n", "4:25", "'count' of wait-flash must be an integer >= 1, not \"0\"");
  expect_error(kDemo + "start-powered: yes\nsteps: []\n", "3:16", "'start-powered' of the scenario must be true or false, not \"yes\"");
  expect_error(kDemo + "steps:\n  - wait-reset: {reason: brownout}\n", "4:26",
               "'reason' of wait-reset must be one of any, power-on, watchdog, software, external, lockup, not \"brownout\"");
  expect_error(kDemo + "steps:\n  - wait-serial: {regex: \"(unclosed\"}\n", "4:26", "is not a valid regular expression");
  expect_error(kDemo + "steps:\n  - wait-serial: {text: [a, b]}\n", "4:25", "'text' of wait-serial must be a text, not a list");
  expect_error(kDemo + "steps:\n  - snapshot: {name: \"two words\"}\n", "4:22", "'name' of snapshot must be a name");
  expect_error(kDemo + "time-limit: forever\nsteps: []\n", "3:13", "'time-limit' of the scenario must be a duration");
  expect_error(kDemo + "steps: {delay: 1s}\n", "3:8", "steps must be a list");
  expect_error(kDemo + "steps:\n  - [delay, 1s]\n", "4:5", "each step is a name or a one-key map");
}

TEST_CASE("loader: missing required keys name the step and the key") {
  expect_error(kDemo + "steps:\n  - set-control: {value: 0}\n", "4:5", "set-control needs 'pin'");
  expect_error(kDemo + "steps:\n  - delay\n", "4:5", "delay needs 'duration'");
  expect_error(kDemo + "steps:\n  - wait-serial: {timeout: 1s}\n", "4:5", "wait-serial needs 'text' (a substring) or 'regex'");
  expect_error(kDemo + "steps:\n  - wait-serial: {text: a, regex: b}\n", "4:35", "takes 'text' or 'regex', not both");
  expect_error(kDemo + "steps:\n  - wait-pin: {pin: LED0}\n", "4:5", "wait-pin takes 'value' (0/1) or 'edge'");
  expect_error(kDemo + "steps:\n  - power-loss: {count: 2}\n", "4:5", "power-loss needs 'policy'");
  expect_error("board: demo-m4\nsteps: []\n", "1:1", "the scenario needs 'firmware'");
  expect_error(kDemo, "1:1", "the scenario has no 'steps'");
}

TEST_CASE("loader: pins, uarts and partitions the board does not have") {
  expect_error(kDemo + "steps:\n  - set-control: {pin: BUTON, value: 0}\n", "4:24",
               "the board 'demo-m4' has no pin \"BUTON\" (did you mean 'BUTTON'?); its pins: LED0, LED1, BUTTON");
  expect_error(kDemo + "steps:\n  - set-control: {pin: LED0, value: 1}\n", "4:24",
               "pin 'LED0' is an output (the firmware drives it); set-control needs an input pin (inputs: BUTTON)");
  expect_error(kDemo + "steps:\n  - wait-pin: {pin: BUTTON, value: 0}\n", "4:21", "pin 'BUTTON' is an input");
  expect_error(kDemo + "steps:\n  - wait-serial: {text: x, uart: uart1}\n", "4:34",
               "the board 'demo-m4' has no uart \"uart1\" (did you mean 'uart0'?); its uarts: uart0");
  expect_error(kDemo + "steps:\n  - wait-flash: {partition: slot-c}\n", "4:29",
               "the board 'demo-m4' has no partition \"slot-c\" (did you mean 'slot-a'?)");
  expect_error(kDemo + "flash-image: {file: x.img, region: sram2}\nsteps: []\n", "3:36",
               "the board 'demo-m4' has no memory region \"sram2\" (did you mean 'sram'?)");
}

TEST_CASE("loader: references to other steps and to releases are checked") {
  expect_error(kDemo + "steps:\n  - snapshot: booted\n  - restore: boot\n", "5:14",
               "restore: no earlier snapshot step saves \"boot\" (did you mean 'booted'?)");
  expect_error(kDemo + "steps:\n  - restore: later\n  - snapshot: later\n", "4:14", "there is no snapshot step before this one");
  expect_error(kDemo + "steps:\n  - clear-never: panic\n", "4:18", "clear-never: no earlier never-serial step has the id \"panic\"");
  CHECK(load_error(kDemo + "steps:\n  - never-serial: panic\n  - clear-never: panic\n") == "");
  const std::string rel = "releases:\n  - {version: 1.1.0, file: app.py}\n";
  expect_error(kDemo + rel + "steps:\n  - publish: 1.2.0\n", "6:14",
               "no release \"1.2.0\" is listed under 'releases'; listed: 1.1.0");
  expect_error(kDemo + rel + "  - {version: 1.1.0, file: app.py}\nsteps: []\n", "5:15",
               "release \"1.1.0\" is listed twice");
  expect_error(kDemo + "releases:\n  - {version: \"1.1\", file: app.py}\nsteps: []\n", "4:15",
               "release version \"1.1\": expected MAJOR.MINOR.PATCH");
  expect_error(kDemo + "releases:\n  - {version: 1.0.0}\nsteps: []\n", "4:5", "a release needs 'file'");
}

TEST_CASE("loader: board, firmware and YAML problems") {
  expect_error("board: demo-m5\nfirmware: x.elf\nsteps: []\n", "1:8", "unknown board 'demo-m5'");
  expect_error("board: demo-m4\nfirmware: ${build}/firmware/nothing.elf\nsteps: []\n", "2:11", "firmware: ");
  expect_error(kDemo + "steps:\n  - delay: 1s\n - delay: 2s\n", "5:2", "YAML syntax error");
  expect_error("- just\n- a list\n", "1:1", "a scenario is a map");
  expect_error(kDemo + "seed: 1\nseed: 2\nsteps: []\n", "4:1", "key 'seed' appears twice");
}

TEST_CASE("loader: the network and update steps parse and check their keys") {
  auto sc = test::load(kDemo +
                       "releases:\n  - {version: 1.1.0, file: app.py, key: k.key}\n"
                       "steps:\n"
                       "  - publish: 1.1.0\n"
                       "  - net-drop: {after: 1200, count: 2}\n"
                       "  - net-stall: 2s\n"
                       "  - net-corrupt: {offset: 100, mask: 32}\n"
                       "  - net-truncate: 512\n"
                       "  - net-refuse: {for: 1s}\n"
                       "  - net-slow: {rate: 1000, match: /bundles/}\n"
                       "  - expect-version: {version: 1.1.0, timeout: 30s}\n"
                       "  - expect-slot: {slot: b, state: trial}\n"
                       "  - unpublish: 1.1.0\n");
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  CHECK(sc->steps.size() == 10);
  CHECK_FALSE(sc->steps[0].type->reserved);
  CHECK(test::contains(sc->releases[0].args.text("file"), "/app.py"));
  expect_error(kDemo + "steps:\n  - net-stall: {match: /manifest}\n", "4:5", "net-stall needs 'for'");
  expect_error(kDemo + "steps:\n  - net-refuse: {match: /x}\n", "4:18", "unknown key 'match' in net-refuse");
  expect_error(kDemo + "steps:\n  - expect-slot: c\n", "4:18", "c");
  expect_error(kDemo + "steps:\n  - net-corrupt: {offset: 1, mask: 0}\n", "4:36", "'mask' of net-corrupt must be an integer from 1 to 255");
}
