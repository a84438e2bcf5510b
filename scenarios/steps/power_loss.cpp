// power-loss: cuts the power the moment a selected flash operation starts (the Nth from now,
// of a kind, inside a partition), resolving it by `policy` — before (nothing happened), after
// (it completed) or torn (partly done, see docs/peripherals.md) — then after `off-time` powers on.
#include "scenarios/steps/flash_filter.h"

namespace hilsim::scen {
namespace {

periph::PowerLossPolicy policy_of(const std::string& s) {
  return s == "after" ? periph::PowerLossPolicy::After
         : s == "torn" ? periph::PowerLossPolicy::Torn
                       : periph::PowerLossPolicy::Before;
}

StepResult run(const Args& args, RunContext& ctx) {
  steps::FlashFilter f(args, ctx.scenario().board);
  std::size_t from = ctx.flash_ops().size();
  long index = -1;
  auto done = [&] { return (index = steps::find_op(ctx, f, from)) >= 0; };
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, done);
  if (w != RunContext::Wait::Met) {
    std::int64_t matched = 0;
    steps::find_op(ctx, f, from, &matched);
    return steps::stopped_or(w, StepResult::fail(f.describe() + " to start " + steps::within(ctx, args.ns("timeout"), until),
                                                 std::to_string(ctx.flash_ops().size() - from) + " started, " +
                                                     std::to_string(matched) + " matching"));
  }
  ctx.set_power_loss_policy(policy_of(args.text("policy")));
  std::uint64_t seq = ctx.flash_ops()[static_cast<std::size_t>(index)].seq;
  std::string op = steps::op_summary(ctx.flash_ops()[static_cast<std::size_t>(index)]);
  ctx.power_off("cut during " + op + ", policy " + args.text("policy"));
  const periph::FlashOp& after = ctx.flash_ops()[static_cast<std::size_t>(index)];
  std::string outcome = after.seq == seq && after.end != 0 ? after.result : "still in flight";
  RunContext::Wait off = ctx.wait_until(ctx.after(args.ns("off-time")), [] { return false; });
  if (off == RunContext::Wait::Stopped) return StepResult::stopped();
  ctx.power_on("after " + duration_text(args.ns("off-time")) + " off");
  return StepResult::pass("cut " + op + ": " + outcome);
}

std::vector<KeySpec> keys() {
  std::vector<KeySpec> k = {{"policy", KeyKind::Choice, "what the interrupted operation leaves behind", true, "",
                             {"before", "after", "torn"}}};
  for (KeySpec& s : steps::flash_filter_keys()) k.push_back(s);
  k.push_back({"off-time", KeyKind::Duration, "how long the power stays off", false, "100ms"});
  k.push_back(timeout_key());
  return k;
}

}  // namespace

const StepType& step_power_loss() {
  static const StepType type{
      "power-loss", "cut the power as a selected flash operation starts, then power on again", keys(), "", false,
      nullptr, &run,
  };
  return type;
}

}  // namespace hilsim::scen
