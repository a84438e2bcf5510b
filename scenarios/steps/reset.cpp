// reset: pulses the reset pin (reset reason external); RAM keeps its contents.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args&, RunContext& ctx) {
  if (!ctx.machine().powered()) return StepResult::fail("a powered device to reset", "the device is powered off");
  ctx.reset();
  return StepResult::pass();
}

}  // namespace

const StepType& step_reset() {
  static const StepType type{"reset", "external reset (reset pin)", {}, "", false, nullptr, &run};
  return type;
}

}  // namespace hilsim::scen
