// The panel application: an SDL2 window with an OpenGL 3 context, Dear ImGui (its SDL and
// OpenGL3 backends, unmodified), the emulation thread (gui/emulation.h) and the panels in a
// fixed tiled layout. Interactive, or headless: render a number of frames into a hidden
// window (the SDL "offscreen" driver when there is no X display), optionally until the
// emulation reaches a pause point, then save a PNG screenshot and the view as JSON; or
// measure the frame rate while the machine runs as fast as it can.
#pragma once

#include <string>

#include "gui/emulation.h"

namespace hilsim::gui {

struct AppOptions {
  EmulationOptions emulation;
  bool headless = false;
  int frames = 0;               // headless: at least this many frames
  std::string screenshot;       // PNG written after the last frame
  std::string state_json;       // the view (and the machine's facts) after the last frame
  double measure_fps = 0;       // seconds of frames to time (speed forced to max)
  std::string speed = "realtime";  // realtime | max | <N> (times real time)
  int width = 1600, height = 1000;
  double wall_limit = 60;       // headless: give up waiting for the pause point after this
  bool until_end = false;       // headless: keep going until the scenario's steps are done
  // Written each time the target halts for a debugger (--gdb), once the panels have drawn the
  // halt: what a user saw at a breakpoint, for scripts and tests. Replaced whole (rename).
  std::string halt_json, halt_screenshot;
};

struct AppReport {
  int frames = 0;
  double wall = 0, fps = 0;
  double virtual_seconds = 0, speed = 0, mips = 0;  // machine progress during the measurement
  bool reached = false;                             // the pause point was reached
  int halts_captured = 0;                           // debugger halts written to halt_json/png
  std::string error;
};

// Runs the panel until the window closes (or the headless job is done).
AppReport run_app(const AppOptions& options);

}  // namespace hilsim::gui
