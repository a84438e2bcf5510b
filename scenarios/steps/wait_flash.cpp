// wait-flash: waits for the Nth flash program/erase after the step starts (optionally of one
// kind, inside one partition) to start or to end.
#include "scenarios/steps/flash_filter.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  steps::FlashFilter f(args, ctx.scenario().board);
  bool at_end = args.text("at") == "end";
  std::size_t from = ctx.flash_ops().size();
  long index = -1;
  auto done = [&] {
    index = steps::find_op(ctx, f, from);
    return index >= 0 && (!at_end || ctx.flash_ops()[static_cast<std::size_t>(index)].end != 0);
  };
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met) {
    const periph::FlashOp& op = ctx.flash_ops()[static_cast<std::size_t>(index)];
    return StepResult::pass(steps::op_summary(op) + (at_end ? " ended at " + ctx.stamp(op.end) + ": " + op.result
                                                            : " started at " + ctx.stamp(op.start)));
  }
  std::int64_t matched = 0;
  steps::find_op(ctx, f, from, &matched);
  std::size_t all = ctx.flash_ops().size() - from;
  return steps::stopped_or(
      w, StepResult::fail(f.describe() + " to " + (at_end ? "end" : "start") + " " +
                              steps::within(ctx, args.ns("timeout"), until),
                          std::to_string(all) + " flash operation" + (all == 1 ? "" : "s") + " started, " +
                              std::to_string(matched) + " matching"));
}

std::vector<KeySpec> keys() {
  std::vector<KeySpec> k = steps::flash_filter_keys();
  k.push_back({"at", KeyKind::Choice, "pass when the operation starts or when it ends", false, "end", {"start", "end"}});
  k.push_back(timeout_key());
  return k;
}

}  // namespace

const StepType& step_wait_flash() {
  static const StepType type{
      "wait-flash", "wait for the Nth flash program/erase from now (kind, partition)", keys(), "", false, nullptr, &run,
  };
  return type;
}

}  // namespace hilsim::scen
