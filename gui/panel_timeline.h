// Timeline: a virtual-time axis with one lane per kind of event — UART lines, flash
// programs (bursts) and erases, resets, power changes and cuts, faults, network faults,
// scenario steps — each a marker; hovering one tells what happened. Shows the whole run or
// the last N seconds, ending at the machine's present.
// Leaves out: zoom by dragging, markers older than the kept tail (the view keeps 3000).
#pragma once

#include "gui/widgets.h"

namespace hilsim::gui {

struct TimelinePanel {
  bool open = true;
  int window = 0;  // 0: whole run; else the last 1, 10 or 60 s
  void draw(const DeviceView& v, const Post& post);
};

}  // namespace hilsim::gui
