// UART console: every line the firmware printed, stamped with the virtual time its newline
// arrived (a line still being printed is shown dimmed), newest at the bottom and followed
// while scrolled to the end; an input line sends text to the device (with "\n").
// Leaves out: raw bytes/hex, per-byte times (kept by the scenario engine, not shown).
#pragma once

#include <array>

#include "gui/widgets.h"

namespace hilsim::gui {

struct UartPanel {
  bool open = true;
  bool follow = true;
  std::array<char, 256> input{};
  std::string filter;
  std::size_t lines_drawn = 0;  // for tests: lines in the last frame
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
