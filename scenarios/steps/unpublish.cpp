// unpublish (reserved): the update server stops offering a release.
// Parsed and checked now; runs once the network peripheral is wired (see reserved.h).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {

const StepType& step_unpublish() {
  static const StepType type{
      "unpublish",
      "the update server stops offering a release",
      {{"version", KeyKind::Text, "a version listed under releases", true}},
      "version",
      true,
      &steps::check_release,
      &steps::not_available,
  };
  return type;
}

}  // namespace hilsim::scen
