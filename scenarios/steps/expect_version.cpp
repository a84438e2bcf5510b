// expect-version (reserved): the device reports running a version (through the status port
// or its console), now or within timeout.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_expect_version() {
  static const StepType type{
      "expect-version",
      "the device runs a given release version (now or within timeout)",
      {{"version", KeyKind::Text, "the version the device must report", true}, timeout_key("0s")},
      "version",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
