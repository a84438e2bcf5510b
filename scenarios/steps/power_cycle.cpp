// power-cycle: power off, wait `off`, power on.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  ctx.power_off("power cycle");
  RunContext::Wait w = ctx.wait_until(ctx.after(args.ns("off")), [] { return false; });
  if (w == RunContext::Wait::Stopped) return StepResult::stopped();
  ctx.power_on("after " + duration_text(args.ns("off")) + " off");
  return StepResult::pass();
}

}  // namespace

const StepType& step_power_cycle() {
  static const StepType type{
      "power-cycle",
      "power off, wait, power on",
      {{"off", KeyKind::Duration, "how long the power stays off", false, "100ms"}},
      "off",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
