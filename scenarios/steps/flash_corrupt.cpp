// flash-corrupt: damages bytes of a partition directly, as bit rot, a bad production image or
// a tampering attacker would, without a flash operation the firmware could see. The update
// firmware must notice (CRC, SHA, signature) and fall back; see scenarios/library/both_slots_corrupt.yaml.
#include "scenarios/steps/flash_partition.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  steps::PartitionAccess p = steps::partition_access(ctx, args.text("partition"));
  if (!p.error.empty()) return StepResult::fail("a partition in board memory", p.error);
  const auto offset = static_cast<std::uint32_t>(args.integer("offset"));
  const auto length = static_cast<std::uint32_t>(args.integer("length"));
  if (offset >= p.partition->size || length > p.partition->size - offset)
    return StepResult::fail("offset + length within partition " + p.partition->name + " (" +
                                std::to_string(p.partition->size) + " bytes)",
                            "offset " + std::to_string(offset) + ", length " + std::to_string(length));
  const std::string& how = args.text("how");
  std::vector<std::uint8_t> damaged(p.bytes + offset, p.bytes + offset + length);
  for (std::uint8_t& b : damaged) b = how == "flip" ? static_cast<std::uint8_t>(~b) : how == "zero" ? 0x00 : 0xFF;
  // Through the context: an input (recorded, replayed) that also drops translated code there.
  if (std::string err = ctx.poke(p.partition->memory, p.partition->offset + offset, damaged); !err.empty())
    return StepResult::fail("partition " + p.partition->name + " writable", err);
  char at[32];
  std::snprintf(at, sizeof at, "0x%08x", p.address + offset);
  return StepResult::pass(std::to_string(length) + " bytes at " + at + " (" + how + ")");
}

}  // namespace

const StepType& step_flash_corrupt() {
  static const StepType type{
      "flash-corrupt",
      "damage bytes of a partition directly (bit rot, a bad image): no flash operation the firmware sees",
      {{"partition", KeyKind::Partition, "the board partition to damage", true},
       {"offset", KeyKind::Integer, "first byte, from the partition's start", false, "0"},
       {"length", KeyKind::Integer, "how many bytes", false, "16", {}, 1},
       {"how", KeyKind::Choice, "flip: invert every bit; zero: all bits 0; erase: all bits 1", false, "flip",
        {"flip", "zero", "erase"}}},
      "partition",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
