// net-corrupt (reserved): bytes of responses are flipped.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_net_corrupt() {
  static const StepType type{
      "net-corrupt",
      "bytes of responses are flipped",
      {{"offset", KeyKind::Integer, "byte offset in the response body to corrupt", false, "", {}, 0}, steps::net_count_key(), steps::net_match_key()},
      "",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
