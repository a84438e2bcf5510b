// Machine-readable reports of a batch of scenario runs: JUnit XML (one testsuite, one
// testcase per scenario, time = virtual seconds) and JSON (per scenario: status, steps with
// virtual times, the failure, the trace hash). Both depend only on the results, never on wall
// time or the thread count, so the same inputs give byte-identical files.
#pragma once

#include <string>
#include <vector>

#include "scenarios/runner.h"

namespace hilsim::scen {

std::string junit_report(const std::vector<ScenarioResult>& results);
std::string json_report(const std::vector<ScenarioResult>& results);

}  // namespace hilsim::scen
