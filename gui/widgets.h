// Small drawing helpers the panels share: virtual-time stamps, lamps, colour scales, and the
// panel contract. A panel is a struct of view state with draw(view, post): it reads only the
// DeviceView copy it is given and changes the simulation only through `post` (a Command to
// the emulation thread, gui/emulation.h). Leaves out: fonts and themes (ImGui's defaults).
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include <imgui.h>

#include "gui/device_view.h"
#include "gui/emulation.h"

namespace hilsim::gui {

using Post = std::function<void(Command)>;

// "12.345678 s"
inline std::string stamp(const DeviceView& v, Ticks t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10.6f s", v.seconds(t));
  return buf;
}

inline ImU32 rgb(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }

// A round lamp at the cursor, `d` pixels across; advances the cursor.
inline void lamp(bool on, ImU32 on_colour, float d = 18.f) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImVec2 c(p.x + d / 2, p.y + d / 2);
  dl->AddCircleFilled(c, d / 2, on ? on_colour : rgb(50, 50, 55));
  dl->AddCircle(c, d / 2, rgb(140, 140, 150), 0, 1.5f);
  if (on) dl->AddCircleFilled(ImVec2(c.x - d / 6, c.y - d / 6), d / 7, rgb(255, 255, 255, 120));
  ImGui::Dummy(ImVec2(d, d));
}

// Wear heat scale: 0 → dark blue, max → red (through green and yellow).
inline ImU32 heat(float t) {
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  float r = t < 0.5f ? 0.f : (t - 0.5f) * 2, g = t < 0.5f ? t * 2 : 1.f - (t - 0.5f) * 2, b = t < 0.5f ? 1.f - t * 2 : 0.f;
  return IM_COL32(static_cast<int>(40 + 215 * r), static_cast<int>(40 + 200 * g), static_cast<int>(60 + 160 * b), 255);
}

inline ImU32 sector_colour(SectorState s) {
  switch (s) {
    case SectorState::Erased: return rgb(70, 74, 84);
    case SectorState::Programmed: return rgb(60, 140, 220);
    case SectorState::Writing: return rgb(255, 200, 40);
    case SectorState::Erasing: return rgb(255, 130, 40);
    case SectorState::Torn: return rgb(220, 50, 60);
  }
  return rgb(0, 0, 0);
}

}  // namespace hilsim::gui
