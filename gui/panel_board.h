// Board panel: the board's pins as lamps (outputs lit when high, inputs showing their level)
// and the button, which is pressed while the mouse holds it (an input pin pulled up reads 0
// while pressed; the release drives it back). Also power and run state at a glance.
// Leaves out: analog values, pins the board file does not name.
#pragma once

#include "gui/widgets.h"

namespace hilsim::gui {

struct BoardPanel {
  bool open = true;
  std::string held;  // the input pin the mouse holds down ("" none)
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
