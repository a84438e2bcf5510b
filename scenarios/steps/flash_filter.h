// Selecting flash operations for wait-flash and power-loss: kind, partition, Nth from now.
#pragma once

#include <cstdio>
#include <string>

#include "scenarios/steps/common.h"

namespace hilsim::scen::steps {

inline std::vector<KeySpec> flash_filter_keys() {
  return {
      {"count", KeyKind::Integer, "the Nth matching operation from the start of the step", false, "1", {}, 1},
      {"kind", KeyKind::Choice, "which operations count", false, "any", {"any", "program", "erase"}},
      {"partition", KeyKind::Partition, "only operations whose address lies in this board partition"},
  };
}

struct FlashFilter {
  std::string kind = "any";
  std::string partition;
  std::uint32_t lo = 0;
  std::uint64_t hi = ~std::uint64_t{0};
  std::int64_t count = 1;

  explicit FlashFilter(const Args& args, const emu::BoardConfig& board)
      : kind(args.text("kind")), count(args.integer("count")) {
    if (args.has("partition")) {
      partition = args.text("partition");
      const emu::Partition* p = board.find_partition(partition);
      lo = board.partition_base(*p);
      hi = std::uint64_t{lo} + p->size;
    }
  }
  bool matches(const periph::FlashOp& op) const {
    if (kind != "any" && kind != periph::to_string(op.kind)) return false;
    return op.address >= lo && op.address < hi;
  }
  std::string describe() const {
    std::string n = count == 1 ? "the next" : "the " + ordinal(count);
    std::string what = kind == "any" ? "flash operation" : kind;
    return n + " " + what + (partition.empty() ? "" : " in partition " + partition);
  }
  static std::string ordinal(std::int64_t n) {
    const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
  }
};

inline std::string op_summary(const periph::FlashOp& op) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s #%llu at 0x%08x", periph::to_string(op.kind), static_cast<unsigned long long>(op.seq),
                op.address);
  return buf;
}

// Index in ctx.flash_ops() of the filter's operation among those started after `from`,
// or -1 if it has not started yet. `matched` counts the matching ones seen.
inline long find_op(RunContext& ctx, const FlashFilter& f, std::size_t from, std::int64_t* matched = nullptr) {
  std::int64_t n = 0;
  const auto& ops = ctx.flash_ops();
  for (std::size_t i = from; i < ops.size(); ++i)
    if (f.matches(ops[i]) && ++n == f.count) {
      if (matched) *matched = n;
      return static_cast<long>(i);
    }
  if (matched) *matched = n;
  return -1;
}

}  // namespace hilsim::scen::steps
