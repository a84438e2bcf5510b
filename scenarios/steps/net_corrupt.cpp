// net-corrupt: bytes of responses are flipped in transit.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) { return steps::apply_fault(args, ctx, periph::NetFault::corrupt(static_cast<std::uint64_t>(args.integer("offset")), static_cast<std::uint8_t>(args.integer("mask")), static_cast<std::uint32_t>(args.integer("bytes")))); }

}  // namespace

const StepType& step_net_corrupt() {
  static const StepType type{
      "net-corrupt",
      "bytes of responses are flipped in transit",
      {{"offset", KeyKind::Integer, "response byte offset (headers included) of the first corrupted byte", true, "", {}, 0}, {"bytes", KeyKind::Integer, "how many bytes from offset", false, "1", {}, 1, 65536}, {"mask", KeyKind::Integer, "XOR mask applied to each byte", false, "255", {}, 1, 255}, steps::net_count_key(), steps::net_for_key(), steps::net_match_key()},
      "offset",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
