// expect-fault: the firmware faulted (a fault report: bad access, undefined instruction,
// lockup, BKPT halt) since the previous step started, or does within `timeout`. From this
// step until the next reset, faults are expected: the no-hardfault invariant ignores them.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

bool matches(const emu::FaultReport& f, const Args& args) {
  if (args.has("kind") && f.kind.find(args.text("kind")) == std::string::npos) return false;
  if (args.has("detail") && f.detail.find(args.text("detail")) == std::string::npos) return false;
  return true;
}

StepResult run(const Args& args, RunContext& ctx) {
  ctx.expect_faults();
  std::size_t from = ctx.previous_step_marks().faults, scanned = from;
  std::optional<std::size_t> hit;  // an index: more faults may follow before the wait returns
  auto done = [&] {
    for (; !hit && scanned < ctx.faults().size(); ++scanned)
      if (matches(ctx.faults()[scanned], args)) hit = scanned;
    return hit.has_value();
  };
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met) {
    const emu::FaultReport& f = ctx.faults()[*hit];
    return StepResult::pass(f.kind + " at " + ctx.machine().symbols().format(f.pc) + ", " + ctx.stamp(f.at));
  }
  std::string want = "a fault";
  if (args.has("kind")) want += " of kind " + quoted(args.text("kind"));
  if (args.has("detail")) want += " with " + quoted(args.text("detail")) + " in its detail";
  want += " since the previous step started (" + ctx.stamp(ctx.previous_step_marks().at) + ")";
  if (args.ns("timeout") != 0) want += " or " + steps::within(ctx, args.ns("timeout"), until);
  std::string seen;
  for (std::size_t i = from; i < ctx.faults().size(); ++i) seen += (seen.empty() ? "" : "; ") + ctx.faults()[i].kind + ": " + ctx.faults()[i].detail;
  return steps::stopped_or(w, StepResult::fail(want, seen.empty() ? "no fault" : "other faults: " + seen));
}

}  // namespace

const StepType& step_expect_fault() {
  static const StepType type{
      "expect-fault",
      "the firmware faulted since the previous step started (or does, within timeout)",
      {{"kind", KeyKind::Text, "substring of the fault kind: bad read, bad write, bad fetch, undefined instruction, lockup, breakpoint"},
       {"detail", KeyKind::Text, "substring of the fault's detail, e.g. 0x30000000"},
       timeout_key("0s")},
      "kind",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
