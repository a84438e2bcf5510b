// Update state: what the firmware reports on its status port (running version, slot, state,
// counters) and what its update agent printed: the active and inactive slot with their
// versions, the phase (downloading, pending, trial, confirmed, rolled back), the download's
// progress against the bundle's size and the last verification result.
// Leaves out: the journal's raw contents (firmware-private flash layout).
#pragma once

#include "gui/widgets.h"

namespace hilsim::gui {

struct UpdatePanel {
  bool open = true;
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
