// net-stall: a response stops for a while at a byte offset, then continues. The connection
// stays open; a client with a shorter timeout gives up first.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  // `for` is the stall's length here, so the step's scope is `count` connections (default 1).
  periph::NetFault f = periph::NetFault::stall(static_cast<std::uint64_t>(args.integer("at")), args.ns("for"));
  StepResult failure;
  if (steps::network_or_fail(ctx, failure, false) == nullptr) return failure;
  if (args.has("match")) f.on_path(args.text("match"));
  if (args.has("count")) f.next(static_cast<std::uint32_t>(args.integer("count")));
  if (std::string err = add_net_fault(ctx, f); !err.empty()) return StepResult::fail("a fault the link can apply", err);
  ctx.note("net", "fault armed: " + periph::to_string(f));
  return StepResult::pass(periph::to_string(f));
}

}  // namespace

const StepType& step_net_stall() {
  static const StepType type{
      "net-stall",
      "a response stops for a while at a byte offset, then continues",
      {{"for", KeyKind::Duration, "how long the response stalls", true},
       {"at", KeyKind::Integer, "response byte offset (headers included) where it stalls", false, "0", {}, 0},
       steps::net_count_key(), steps::net_match_key()},
      "for",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
