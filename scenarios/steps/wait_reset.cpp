// wait-reset: waits for the next reset of the device (any, or of one reason) after the step
// starts: a watchdog reset, a software reset, a power-on.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  const std::string& reason = args.text("reason");
  std::size_t from = ctx.resets().size(), scanned = from;
  std::optional<std::pair<emu::Ticks, periph::ResetReason>> hit;
  auto done = [&] {
    for (; !hit && scanned < ctx.resets().size(); ++scanned) {
      const auto& r = ctx.resets()[scanned];
      if (reason == "any" || reason == periph::to_string(r.second)) hit = r;
    }
    return hit.has_value();
  };
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met)
    return StepResult::pass(std::string(periph::to_string(hit->second)) + " reset at " + ctx.stamp(hit->first));
  std::string seen;
  for (std::size_t i = from; i < ctx.resets().size(); ++i)
    seen += (seen.empty() ? "" : ", ") + std::string(periph::to_string(ctx.resets()[i].second)) + " at " +
            ctx.stamp(ctx.resets()[i].first);
  return steps::stopped_or(
      w, StepResult::fail((reason == "any" ? std::string("a reset") : "a " + reason + " reset") + " " +
                              steps::within(ctx, args.ns("timeout"), until),
                          seen.empty() ? "no reset" : "other resets: " + seen));
}

}  // namespace

const StepType& step_wait_reset() {
  static const StepType type{
      "wait-reset",
      "wait for the device's next reset (any, or one reason)",
      {{"reason", KeyKind::Choice, "which reset", false, "any",
        {"any", "power-on", "watchdog", "software", "external", "lockup"}},
       timeout_key()},
      "reason",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
