// `repeat` (unrolled while loading, with ${counter} substitution) and `publish` with `file`
// (a release defined by the step, as repeats need one per copy).
#include <doctest/doctest.h>

#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::contains;
using test::kDemo;
using test::load_error;
using Status = scen::ScenarioResult::Status;

namespace {
void expect_error(const std::string& text, const std::string& where, const std::string& what) {
  std::string err = load_error(text);
  CAPTURE(err);
  CHECK(err.rfind("test.yaml:" + where + ": ", 0) == 0);
  CHECK(contains(err, what));
}
}  // namespace

TEST_CASE("repeat: the steps are loaded N times with the counter substituted and a label") {
  auto sc = test::load(kDemo +
                       "steps:\n"
                       "  - delay: 1ms\n"
                       "  - repeat:\n"
                       "      times: 3\n"
                       "      as: k\n"
                       "      from: 4\n"
                       "      steps:\n"
                       "        - delay: ${k}ms\n"
                       "        - name: poke\n"
                       "          write-serial: {line: \"n=${k} k=${k} other=${x}\"}\n"
                       "  - delay: 2ms\n");
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  REQUIRE(sc->steps.size() == 8);
  CHECK(sc->steps[1].args.ns("duration") == 4000000);
  CHECK(sc->steps[3].args.ns("duration") == 5000000);
  CHECK(sc->steps[5].args.ns("duration") == 6000000);
  CHECK(sc->steps[6].args.text("line") == "n=6 k=6 other=${x}");  // only the counter is replaced
  CHECK(sc->steps[1].label == "[k=4]");
  CHECK(sc->steps[2].label == "poke [k=4]");
  CHECK(sc->steps[7].index == 8);
  CHECK(sc->steps[5].mark.line == 10);  // every copy points at the line written in the file
}

TEST_CASE("repeat: nested repeats count with their own names") {
  auto sc = test::load(kDemo +
                       "steps:\n"
                       "  - repeat:\n"
                       "      times: 2\n"
                       "      steps:\n"
                       "        - repeat: {times: 3, as: j, steps: [{delay: \"${i}${j}us\"}]}\n");
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  REQUIRE(sc->steps.size() == 6);
  CHECK(sc->steps[0].args.ns("duration") == 11000);
  CHECK(sc->steps[5].args.ns("duration") == 23000);
  CHECK(sc->steps[5].label == "[j=3] [i=2]");
}

TEST_CASE("repeat: malformed repeats are errors with their position") {
  expect_error(kDemo + "steps:\n  - repeat: {times: 2}\n", "4:5", "repeat needs 'steps'");
  expect_error(kDemo + "steps:\n  - repeat: {times: 0, steps: [reset]}\n", "4:21", "'times' of repeat must be an integer from 1");
  expect_error(kDemo + "steps:\n  - repeat: {count: 2, steps: [reset]}\n", "4:14", "unknown key 'count' in repeat");
  expect_error(kDemo + "steps:\n  - repeat: 3\n", "4:5", "repeat takes a map");
  expect_error(kDemo + "steps:\n  - repeat: {times: 2, steps: [{repeat: {times: 2, steps: [reset]}}]}\n", "4:33",
               "an enclosing repeat already counts with 'i'");
  expect_error(kDemo + "steps:\n  - repeat: {times: 2, as: build, steps: [reset]}\n", "4:28", "'as' must not be 'build'");
  // An error inside the body names the body's line, whichever copy hit it.
  expect_error(kDemo + "steps:\n  - repeat:\n      times: 2\n      steps:\n        - delay: ${i}\n", "7:18",
               "must be a duration with a unit, such as 500ms, 2s or 10us, not \"1\"");
}

TEST_CASE("publish with file defines the release; the same version with another file is an error") {
  auto sc = test::load(kDemo +
                       "steps:\n"
                       "  - repeat: {times: 2, as: n, steps: [{publish: {version: \"1.${n}.0\", file: app.py}}]}\n"
                       "  - publish: 1.1.0\n");
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  REQUIRE(sc->releases.size() == 2);
  CHECK(sc->releases[1].args.text("version") == "1.2.0");
  CHECK_FALSE(sc->releases[1].args.flag("published"));
  expect_error(kDemo + "releases:\n  - {version: 1.0.0, file: a.py}\nsteps:\n  - publish: {version: 1.0.0, file: b.py}\n",
               "6:24", "release \"1.0.0\" is already defined (line 4) with another file");
  expect_error(kDemo + "steps:\n  - publish: {version: \"1.x\", file: b.py}\n", "4:24", "expected MAJOR.MINOR.PATCH");
  expect_error(kDemo + "releases:\n  - {version: 1.0.0, file: a.py}\nsteps:\n  - publish: {version: 1.0.0, key: k.key}\n",
               "6:36", "'key' only goes with 'file'");
}

TEST_CASE("repeat: a repeated exchange runs on the demo firmware, each copy reported") {
  auto r = test::run(kDemo +
                     "steps:\n"
                     "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n"
                     "  - repeat:\n"
                     "      times: 3\n"
                     "      steps:\n"
                     "        - write-serial: {line: status}\n"
                     "        - wait-serial: {text: \"status: uptime_ms=\", timeout: 100ms}\n");
  CHECK_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(r.steps.size() == 7);
  CHECK(contains(r.timeline, "step   7/7 wait-serial"));
  CHECK(contains(r.timeline, "[i=3]"));
}
