// net-refuse: connection attempts are refused.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) { return steps::apply_fault(args, ctx, periph::NetFault::refuse()); }

}  // namespace

const StepType& step_net_refuse() {
  static const StepType type{
      "net-refuse",
      "connection attempts are refused",
      {steps::net_count_key(), steps::net_for_key()},
      "",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
