// net-truncate: responses end early with a clean close.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) { return steps::apply_fault(args, ctx, periph::NetFault::truncate(static_cast<std::uint64_t>(args.integer("at")))); }

}  // namespace

const StepType& step_net_truncate() {
  static const StepType type{
      "net-truncate",
      "responses end early with a clean close",
      {{"at", KeyKind::Integer, "response bytes (headers included) delivered before the close", true, "", {}, 0}, steps::net_count_key(), steps::net_for_key(), steps::net_match_key()},
      "at",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
