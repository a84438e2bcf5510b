// power-off: removes power. RAM and device state are lost; flash keeps its contents; a flash
// operation in flight is resolved by the controller's power-loss policy (default: before).
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args&, RunContext& ctx) {
  if (!ctx.machine().powered()) return StepResult::pass("already off");
  ctx.power_off();
  return StepResult::pass();
}

}  // namespace

const StepType& step_power_off() {
  static const StepType type{"power-off", "remove power (flash keeps its contents)", {}, "", false, nullptr, &run};
  return type;
}

}  // namespace hilsim::scen
