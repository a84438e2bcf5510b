// Finds the instruction that made a data access fault. Unicorn 2.0.1 reports only the start
// of the translated block (notes §3d), but the registers are exactly as they were before the
// faulting instruction (QEMU syncs them before any access that can fault). So the block is
// disassembled (capstone) and the first load/store whose address, computed from the current
// registers, covers the faulting address is the one. Best effort: nullopt when none matches.
#pragma once

#include <cstdint>
#include <optional>

namespace hilsim::emu {

class Cpu;

std::optional<std::uint32_t> locate_faulting_access(Cpu& cpu, std::uint32_t block_addr,
                                                    std::uint32_t fault_addr);

}  // namespace hilsim::emu
