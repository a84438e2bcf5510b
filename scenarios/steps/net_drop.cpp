// net-drop (reserved): connections drop mid-transfer.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_net_drop() {
  static const StepType type{
      "net-drop",
      "connections drop mid-transfer",
      {steps::net_count_key(), steps::net_for_key(), steps::net_match_key()},
      "",
      true,
      nullptr,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
