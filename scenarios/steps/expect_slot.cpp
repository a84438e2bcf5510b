// expect-slot (reserved): the device runs from a given update slot, optionally in a given
// state, now or within timeout.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_expect_slot() {
  static const StepType type{
      "expect-slot",
      "the device runs from a given slot, optionally in a given state (now or within timeout)",
      {{"slot", KeyKind::Text, "slot name as the device reports it, e.g. a, b, factory", true},
       {"state", KeyKind::Text, "slot state as the device reports it, e.g. trial, confirmed"},
       timeout_key("0s")},
      "slot",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
