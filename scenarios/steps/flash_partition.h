// Finding a board partition's bytes and its flash controller, for the steps that work on a
// partition directly (flash-corrupt, expect-flash-wear).
#pragma once

#include "scenarios/steps/common.h"

namespace hilsim::scen::steps {

struct PartitionAccess {
  const emu::Partition* partition = nullptr;
  std::uint8_t* bytes = nullptr;  // the partition's first byte in the board's memory
  std::uint32_t address = 0;      // its bus address
  periph::FlashController* controller = nullptr;  // the controller of its region, if any
  std::string error;              // why it cannot be reached
};

inline PartitionAccess partition_access(RunContext& ctx, const std::string& name) {
  PartitionAccess a;
  const emu::BoardConfig& board = ctx.machine().board();
  a.partition = board.find_partition(name);
  if (a.partition == nullptr) {
    a.error = "board " + board.name + " has no partition " + name;
    return a;
  }
  periph::DeviceHost::MemoryView view = ctx.machine().memory(a.partition->memory);
  if (view.bytes == nullptr || a.partition->offset + a.partition->size > view.size) {
    a.error = "partition " + name + " lies outside its memory region " + a.partition->memory;
    return a;
  }
  a.bytes = view.bytes + a.partition->offset;
  a.address = view.base + a.partition->offset;
  for (periph::FlashController* fc : ctx.flash_controllers())
    if (fc->memory_name() == a.partition->memory) a.controller = fc;
  return a;
}

}  // namespace hilsim::scen::steps
