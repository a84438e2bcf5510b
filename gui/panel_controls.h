// Controls: the toolbar — run, pause, single-step (one instruction, or to the next scenario
// step), speed (real time, ×N, as fast as possible), reset, power cut, power on, restart —
// the run's state and virtual time, the measured speed (virtual seconds per wall second)
// and frame rate, and which panels are shown. Speed is paced here, in the UI thread: wall
// time becomes an allowance of virtual time the emulation thread may run up to. With --gdb
// it also says what the debugger is doing, shows "HALTED BY DEBUGGER" while GDB holds the
// target, and what the panel refused meanwhile (Run: "continue from the debugger").
// Record restarts the session from power-on with a recorder (docs/recording-format.md) and
// names the files hilsim-session-N.hrec in the working directory; Stop recording ends the file.
// Leaves out: saving the layout (ImGui's .ini is off; the tiled layout is fixed at start).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gui/widgets.h"

namespace hilsim::gui {

struct PanelToggle {
  const char* name;
  bool* open;
};

struct ControlsPanel {
  bool open = true;
  int speed_mode = 0;    // 0 real time, 1 ×N, 2 as fast as possible
  float multiplier = 10; // for ×N
  // Pacing anchor: virtual time `anchor_ticks` at wall time `anchor_wall`.
  std::chrono::steady_clock::time_point anchor_wall{};
  Ticks anchor_ticks = 0;
  bool anchored = false;
  // Measured speed, over about half a second.
  std::chrono::steady_clock::time_point meas_wall{};
  Ticks meas_ticks = 0;
  std::uint64_t meas_instr = 0;
  double speed = 0, mips = 0, fps = 0;
  int recordings = 0;  // files named so far by the Record button

  void set_speed(int mode, float mult = 10);
  std::string next_recording_name();  // hilsim-session-1.hrec, -2, ... (the first that does not exist)
  // The virtual time the machine may run up to now (kNever: no limit).
  Ticks allowance(const DeviceView& v, std::chrono::steady_clock::time_point now);
  void measure(const DeviceView& v, std::chrono::steady_clock::time_point now, double frame_rate);
  void draw(const DeviceView& v, const Post& post, const std::vector<PanelToggle>& panels);
};

}  // namespace hilsim::gui
