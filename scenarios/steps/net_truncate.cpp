// net-truncate (reserved): responses end early.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_net_truncate() {
  static const StepType type{
      "net-truncate",
      "responses end early",
      {{"at", KeyKind::Integer, "bytes of the body delivered before the connection closes", true, "", {}, 0}, steps::net_count_key(), steps::net_match_key()},
      "at",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
