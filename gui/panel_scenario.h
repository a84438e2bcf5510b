// Scenario: the scenario's steps with their status (not run, running, passed, failed) and
// virtual start/end, the result and failure block when it ends, the last timeline lines, and
// actions: publish a release (one the scenario lists, or a script/bundle file packed and
// signed with the board's dev key), inject a network fault, cut the power at the next flash
// operation, step to the next scenario step. Leaves out: editing steps, loading another file.
#pragma once

#include <array>

#include "gui/widgets.h"

namespace hilsim::gui {

struct ScenarioPanel {
  bool open = true;
  std::array<char, 32> version{};
  std::array<char, 256> file{};
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
