// expect-flash-wear: the erase counts of a partition's sectors (the NOR model counts every
// erase, power cuts and torn erases included) are within bounds. The pass line reports them,
// so a long update campaign shows how much wear each cycle costs.
#include "scenarios/steps/flash_partition.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  steps::PartitionAccess p = steps::partition_access(ctx, args.text("partition"));
  if (!p.error.empty()) return StepResult::fail("a partition in board memory", p.error);
  if (p.controller == nullptr)
    return StepResult::fail("a flash controller for region " + p.partition->memory, "the board has none");
  periph::NorFlash& nor = p.controller->array();
  const std::uint32_t sector = nor.sector_size();
  const std::uint32_t first = p.partition->offset / sector;
  const std::uint32_t last = (p.partition->offset + p.partition->size + sector - 1) / sector;
  std::uint64_t total = 0;
  std::uint32_t most = 0, least = UINT32_MAX;
  for (std::uint32_t s = first; s < last && s < nor.sectors(); ++s) {
    total += nor.erase_count(s);
    most = std::max(most, nor.erase_count(s));
    least = std::min(least, nor.erase_count(s));
  }
  if (least == UINT32_MAX) least = 0;
  const std::string seen = p.partition->name + ": " + std::to_string(last - first) + " sectors, " +
                           std::to_string(total) + " erases in all, per sector " + std::to_string(least) + ".." +
                           std::to_string(most);
  ctx.note("flash", "wear " + seen);
  if (args.has("max-erases") && most > static_cast<std::uint64_t>(args.integer("max-erases")))
    return StepResult::fail("at most " + std::to_string(args.integer("max-erases")) + " erases of any sector", seen);
  if (args.has("min-erases") && most < static_cast<std::uint64_t>(args.integer("min-erases")))
    return StepResult::fail("some sector erased at least " + std::to_string(args.integer("min-erases")) + " times", seen);
  if (args.has("max-total") && total > static_cast<std::uint64_t>(args.integer("max-total")))
    return StepResult::fail("at most " + std::to_string(args.integer("max-total")) + " erases in all", seen);
  return StepResult::pass(seen);
}

}  // namespace

const StepType& step_expect_flash_wear() {
  static const StepType type{
      "expect-flash-wear",
      "the erase counts of a partition's sectors are within bounds (and are reported)",
      {{"partition", KeyKind::Partition, "the board partition", true},
       {"max-erases", KeyKind::Integer, "no sector erased more often than this"},
       {"min-erases", KeyKind::Integer, "the most-erased sector was erased at least this often"},
       {"max-total", KeyKind::Integer, "all the partition's erases together at most this"}},
      "partition",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
