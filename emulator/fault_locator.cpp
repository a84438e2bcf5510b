// Faulting-instruction search over one block with capstone (Thumb-2, M-class).
#include "emulator/fault_locator.h"

#include <capstone/capstone.h>
#include <unicorn/arm.h>

#include <cstring>
#include <string_view>

#include "emulator/cpu.h"

namespace hilsim::emu {

namespace {

// Capstone register -> current value (via its name, which is stable across capstone versions).
bool reg_value(Cpu& cpu, csh handle, unsigned reg, std::uint32_t pc, std::uint32_t* out) {
  const char* name = cs_reg_name(handle, reg);
  if (!name) return false;
  std::string_view n(name);
  static const struct {
    const char* name;
    int uc;
  } table[] = {{"r0", UC_ARM_REG_R0},   {"r1", UC_ARM_REG_R1},   {"r2", UC_ARM_REG_R2},   {"r3", UC_ARM_REG_R3},
               {"r4", UC_ARM_REG_R4},   {"r5", UC_ARM_REG_R5},   {"r6", UC_ARM_REG_R6},   {"r7", UC_ARM_REG_R7},
               {"r8", UC_ARM_REG_R8},   {"r9", UC_ARM_REG_R9},   {"sb", UC_ARM_REG_R9},   {"r10", UC_ARM_REG_R10},
               {"sl", UC_ARM_REG_R10},  {"r11", UC_ARM_REG_R11}, {"fp", UC_ARM_REG_R11},  {"r12", UC_ARM_REG_R12},
               {"ip", UC_ARM_REG_R12},  {"sp", UC_ARM_REG_SP},   {"r13", UC_ARM_REG_SP},  {"lr", UC_ARM_REG_LR},
               {"r14", UC_ARM_REG_LR}};
  if (n == "pc" || n == "r15") {
    *out = (pc + 4) & ~3u;  // Thumb: PC reads as the instruction address + 4, word-aligned for loads
    return true;
  }
  for (const auto& e : table)
    if (n == e.name) {
      *out = cpu.reg(e.uc);
      return true;
    }
  return false;
}

}  // namespace

std::optional<std::uint32_t> locate_faulting_access(Cpu& cpu, std::uint32_t block_addr, std::uint32_t fault_addr) {
  std::uint8_t code[128];
  std::size_t n = sizeof code;
  while (n > 0 && !cpu.fast_read(block_addr, code, n)) n /= 2;
  if (n == 0) return std::nullopt;
  csh handle;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &handle) != CS_ERR_OK)
    return std::nullopt;
  cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
  cs_insn* insn = nullptr;
  std::size_t count = cs_disasm(handle, code, n, block_addr, 0, &insn);
  std::optional<std::uint32_t> found;
  for (std::size_t i = 0; i < count && !found; ++i) {
    const cs_insn& in = insn[i];
    const cs_arm& arm = in.detail->arm;
    auto pc = static_cast<std::uint32_t>(in.address);
    // Block lists: LDM/STM/PUSH/POP touch consecutive words from the base register.
    unsigned id = in.id;
    if (id == ARM_INS_PUSH || id == ARM_INS_POP || id == ARM_INS_LDM || id == ARM_INS_STM ||
        id == ARM_INS_LDMDB || id == ARM_INS_STMDB) {
      std::uint32_t base = 0;
      int regs = arm.op_count;
      if (id == ARM_INS_PUSH || id == ARM_INS_POP) {
        base = cpu.reg(UC_ARM_REG_SP);
      } else if (arm.op_count > 0 && arm.operands[0].type == ARM_OP_REG &&
                 reg_value(cpu, handle, arm.operands[0].reg, pc, &base)) {
        regs -= 1;
      } else {
        continue;
      }
      bool down = id == ARM_INS_PUSH || id == ARM_INS_STMDB || id == ARM_INS_LDMDB;
      std::uint32_t lo = down ? base - 4u * static_cast<std::uint32_t>(regs) : base;
      if (fault_addr - lo < 4u * static_cast<std::uint32_t>(regs)) found = pc;
      continue;
    }
    for (int k = 0; k < arm.op_count; ++k) {
      const cs_arm_op& op = arm.operands[k];
      if (op.type != ARM_OP_MEM) continue;
      std::uint32_t base = 0, index = 0;
      if (!reg_value(cpu, handle, op.mem.base, pc, &base)) continue;
      if (op.mem.index != ARM_REG_INVALID) {
        if (!reg_value(cpu, handle, op.mem.index, pc, &index)) continue;
        index <<= op.mem.lshift;
        if (op.mem.scale < 0) index = 0u - index;
      }
      std::uint32_t ea = base + index + static_cast<std::uint32_t>(op.mem.disp);
      if (fault_addr - ea < 8u) {  // the widest single access (LDRD/STRD) is 8 bytes
        found = pc;
        break;
      }
    }
  }
  if (insn) cs_free(insn, count);
  cs_close(&handle);
  return found;
}

}  // namespace hilsim::emu
