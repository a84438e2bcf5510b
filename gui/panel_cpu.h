// CPU: the core's registers (r0-r12, sp, lr, pc, xPSR, MSP/PSP, masks, CONTROL), the function
// the PC is in, the instruction at the PC with a few around it disassembled (capstone, Thumb-2
// M-class), the exception state (thread/handler mode, active count, highest pending, asleep)
// and the instruction-step button. Registers that changed since the last copy are highlighted.
// Leaves out: FPU registers, memory views, breakpoints (use `hilsim run --gdb`).
#pragma once

#include <array>

#include "gui/widgets.h"

namespace hilsim::gui {

struct CpuPanel {
  bool open = true;
  std::array<std::uint32_t, 23> previous{};
  std::uint64_t previous_generation = 0;
  std::array<bool, 23> changed{};
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
