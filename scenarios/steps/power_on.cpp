// power-on: restores power; the core boots from the reset vector (reset reason power-on).
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args&, RunContext& ctx) {
  if (ctx.machine().powered()) return StepResult::pass("already on");
  ctx.power_on();
  return StepResult::pass();
}

}  // namespace

const StepType& step_power_on() {
  static const StepType type{"power-on", "apply power; the device boots", {}, "", false, nullptr, &run};
  return type;
}

}  // namespace hilsim::scen
