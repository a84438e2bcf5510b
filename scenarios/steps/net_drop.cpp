// net-drop: connections are reset (RST) part-way through a response.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) { return steps::apply_fault(args, ctx, periph::NetFault::drop(static_cast<std::uint64_t>(args.integer("after")))); }

}  // namespace

const StepType& step_net_drop() {
  static const StepType type{
      "net-drop",
      "connections are reset part-way through a response",
      {{"after", KeyKind::Integer, "response bytes (headers included) delivered before the reset", false, "0", {}, 0}, steps::net_count_key(), steps::net_for_key(), steps::net_match_key()},
      "after",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
