// net-stall (reserved): transfers stop making progress for a while.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_net_stall() {
  static const StepType type{
      "net-stall",
      "transfers stop making progress for a while",
      {steps::net_for_key(true), steps::net_match_key()},
      "for",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
