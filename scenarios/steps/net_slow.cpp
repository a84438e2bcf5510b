// net-slow (reserved): the link gets slow.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_net_slow() {
  static const StepType type{
      "net-slow",
      "the link gets slow",
      {{"rate", KeyKind::Integer, "bytes per second", true, "", {}, 1}, {"latency", KeyKind::Duration, "added latency per request"}, steps::net_for_key(), steps::net_match_key()},
      "rate",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
