// Flash map: every sector of the board's flash as a cell, coloured by state (erased,
// programmed, being written, being erased, torn by a power cut) or, switched, by wear (erase
// count on a heat scale); partitions are labelled bands; hovering a cell tells its address,
// partition, state and erases. Below: the last flash operations, the one in flight first.
// Leaves out: byte-level contents (use `hilsim run --keep-failed` images), weak-bit maps.
#pragma once

#include <vector>

#include "gui/widgets.h"

namespace hilsim::gui {

struct FlashPanel {
  bool open = true;
  bool wear = false;  // colour by erase count instead of state
  // What the last frame drew (for --state-json and tests).
  std::vector<SectorState> drawn;
  int writing_sector = -1;
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
