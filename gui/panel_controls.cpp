// Controls toolbar (panel_controls.h).
#include "gui/panel_controls.h"

#include <unistd.h>

#include <algorithm>

namespace hilsim::gui {

std::string ControlsPanel::next_recording_name() {
  for (;;) {
    std::string name = "hilsim-session-" + std::to_string(++recordings) + ".hrec";
    if (::access(name.c_str(), F_OK) != 0) return name;
  }
}

void ControlsPanel::set_speed(int mode, float mult) {
  speed_mode = mode;
  multiplier = mult;
  anchored = false;
}

Ticks ControlsPanel::allowance(const DeviceView& v, std::chrono::steady_clock::time_point now) {
  if (speed_mode == 2) {
    anchored = false;
    return ~Ticks{0};
  }
  // Re-anchor when paused (or halted by a debugger) or when the machine fell behind by more than
  // 100 ms of wall time, so a pause, a stop at a breakpoint or a slow stretch is not "caught up"
  // in a burst afterwards.
  const double rate = (speed_mode == 0 ? 1.0 : std::max(0.001f, multiplier)) * static_cast<double>(v.clock_hz);
  if (anchored && v.state == RunState::Running) {
    double wall = std::chrono::duration<double>(now - anchor_wall).count();
    double target = static_cast<double>(anchor_ticks) + wall * rate;
    if (target - static_cast<double>(v.now) > 0.1 * rate) anchored = false;
  }
  if (!anchored || v.state != RunState::Running) {
    anchor_wall = now;
    anchor_ticks = v.now;
    anchored = true;
  }
  double wall = std::chrono::duration<double>(now - anchor_wall).count();
  // A little ahead of the wall clock (one frame), so the machine never idles between frames.
  return anchor_ticks + static_cast<Ticks>((wall + 0.02) * rate);
}

void ControlsPanel::measure(const DeviceView& v, std::chrono::steady_clock::time_point now, double frame_rate) {
  fps = frame_rate;
  double dt = std::chrono::duration<double>(now - meas_wall).count();
  if (meas_wall.time_since_epoch().count() == 0 || v.now < meas_ticks) {
    meas_wall = now;
    meas_ticks = v.now;
    meas_instr = v.cpu.instructions;
    return;
  }
  if (dt < 0.5) return;
  speed = v.seconds(v.now - meas_ticks) / dt;
  mips = static_cast<double>(v.cpu.instructions - std::min(meas_instr, v.cpu.instructions)) / dt / 1e6;
  meas_wall = now;
  meas_ticks = v.now;
  meas_instr = v.cpu.instructions;
}

void ControlsPanel::draw(const DeviceView& v, const Post& post, const std::vector<PanelToggle>& panels) {
  ImGui::Begin("Controls", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove);
  const bool paused = v.state == RunState::Paused;
  const bool halted = v.state == RunState::Halted;  // by a debugger: Run is refused while it is attached
  if (paused || halted) {
    if (ImGui::Button("Run")) post({Command::Kind::Run});
  } else if (ImGui::Button("Pause")) {
    post({Command::Kind::Pause});
  }
  ImGui::SameLine();
  if (ImGui::Button("Step insn")) post({Command::Kind::StepInstruction});
  ImGui::SameLine();
  if (ImGui::Button("Step scenario")) post({Command::Kind::StepScenario});
  ImGui::SameLine();
  ImGui::TextUnformatted("|");
  ImGui::SameLine();
  if (ImGui::Button("Reset")) post({Command::Kind::Reset});
  ImGui::SameLine();
  if (ImGui::Button("Power cut")) post({Command::Kind::PowerCut});
  ImGui::SameLine();
  if (ImGui::Button("Power on")) post({Command::Kind::PowerOn});
  ImGui::SameLine();
  if (ImGui::Button("Restart")) post({Command::Kind::Restart});
  ImGui::SameLine();
  // Recording restarts the session from power-on (a replay starts there too).
  const bool recording = v.recording.rfind("recording to ", 0) == 0;
  if (!recording && ImGui::Button("Record")) post({Command::Kind::Record, next_recording_name()});
  if (recording && ImGui::Button("Stop recording")) post({Command::Kind::StopRecording});
  ImGui::SameLine();
  ImGui::TextUnformatted("| speed");
  ImGui::SameLine();
  int mode = speed_mode;
  ImGui::RadioButton("real time", &mode, 0);
  ImGui::SameLine();
  ImGui::RadioButton("x", &mode, 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  float mult = multiplier;
  ImGui::SliderFloat("##mult", &mult, 0.1f, 1000.f, "%.1f", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  ImGui::RadioButton("max", &mode, 2);
  if (mode != speed_mode || mult != multiplier) set_speed(mode, mult);
  // The panel toggles end the first row, so the second has its whole width for the state (a
  // debugger's halt reason names a function and can be long).
  ImGui::SameLine(ImGui::GetWindowWidth() - 560);
  ImGui::TextUnformatted("show:");
  for (const PanelToggle& p : panels) {
    ImGui::SameLine();
    ImGui::Checkbox(p.name, p.open);
  }

  // Second row: state, time, speed, why it stopped, what is armed, what was refused.
  const ImVec4 halted_colour(0.95f, 0.5f, 1, 1);
  ImVec4 sc = v.state == RunState::Running ? ImVec4(0.4f, 0.9f, 0.4f, 1)
              : paused                     ? ImVec4(1, 0.85f, 0.3f, 1)
              : halted                     ? halted_colour
                                           : ImVec4(1, 0.45f, 0.4f, 1);
  ImGui::TextColored(sc, "%s", halted ? "HALTED BY DEBUGGER" : to_string(v.state));
  ImGui::SameLine();
  ImGui::Text("t = %s  |  %.1fx real time, %.0f MIPS  |  %.0f fps", stamp(v, v.now).c_str(), speed, mips, fps);
  if (!v.pause_reason.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(halted ? halted_colour : ImVec4(1, 0.85f, 0.3f, 1), "(%s)", v.pause_reason.c_str());
  } else if (v.debugger.enabled) {  // running: say whether a debugger is attached
    ImGui::SameLine();
    ImGui::TextColored(halted_colour, "[gdb: %s]", v.debugger.status.c_str());
  }
  if (!v.debugger.notice.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", v.debugger.notice.c_str());
  }
  for (const std::string& a : v.armed) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1, 0.5f, 0.3f, 1), "[armed: %s]", a.c_str());
  }
  if (!v.recording.empty()) {
    ImGui::SameLine();
    const bool on = v.recording.rfind("recording to ", 0) == 0;
    ImGui::TextColored(on ? ImVec4(1, 0.3f, 0.3f, 1) : ImVec4(0.7f, 0.7f, 0.7f, 1), "%s%s", on ? "REC " : "",
                       v.recording.c_str());
  }
  if (!v.error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", v.error.c_str());
  }
  ImGui::End();
}

}  // namespace hilsim::gui
