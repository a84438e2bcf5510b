// net-slow: the link delivers responses at a low rate.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) { return steps::apply_fault(args, ctx, periph::NetFault::slow(static_cast<std::uint64_t>(args.integer("rate")))); }

}  // namespace

const StepType& step_net_slow() {
  static const StepType type{
      "net-slow",
      "the link delivers responses at a low rate",
      {{"rate", KeyKind::Integer, "bytes per second", true, "", {}, 1}, steps::net_count_key(), steps::net_for_key(), steps::net_match_key()},
      "rate",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
