// power-cycle: power off, wait `off`, power on.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  ctx.power_off("power cycle");
  RunContext::Wait w = ctx.wait_until(ctx.after(args.ns("off-time")), [] { return false; });
  if (w == RunContext::Wait::Stopped) return StepResult::stopped();
  ctx.power_on("after " + duration_text(args.ns("off-time")) + " off");
  return StepResult::pass();
}

}  // namespace

const StepType& step_power_cycle() {
  static const StepType type{
      "power-cycle",
      "power off, wait, power on",
      {{"off-time", KeyKind::Duration, "how long the power stays off", false, "100ms"}},
      "off-time",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
