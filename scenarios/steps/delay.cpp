// delay: lets virtual time pass (the device runs, or stays off or stopped).
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  RunContext::Wait w = ctx.wait_until(ctx.after(args.ns("duration")), [] { return false; });
  return steps::stopped_or(w, StepResult::pass());
}

}  // namespace

const StepType& step_delay() {
  static const StepType type{
      "delay",
      "let virtual time pass",
      {{"duration", KeyKind::Duration, "how long, e.g. 500ms", true}},
      "duration",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
