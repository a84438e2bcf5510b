// Timeline panel (panel_timeline.h).
#include "gui/panel_timeline.h"

#include <algorithm>
#include <cmath>

namespace hilsim::gui {

namespace {

struct Lane {
  const char* name;
  ImU32 colour;
};
constexpr int kLanes = 7;
const Lane kLaneInfo[kLanes] = {{"step", IM_COL32(180, 180, 180, 255)},   {"uart", IM_COL32(120, 200, 255, 255)},
                                {"flash", IM_COL32(255, 200, 40, 255)},   {"reset", IM_COL32(200, 120, 255, 255)},
                                {"power", IM_COL32(255, 90, 90, 255)},    {"fault", IM_COL32(255, 40, 40, 255)},
                                {"net", IM_COL32(255, 140, 60, 255)}};

int lane_of(MarkerKind k) {
  switch (k) {
    case MarkerKind::Step: return 0;
    case MarkerKind::Uart: return 1;
    case MarkerKind::FlashProgram:
    case MarkerKind::FlashErase: return 2;
    case MarkerKind::Reset: return 3;
    case MarkerKind::Power: return 4;
    case MarkerKind::Fault: return 5;
    case MarkerKind::NetFault: return 6;
  }
  return 0;
}

}  // namespace

void TimelinePanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Timeline", &open)) {
    ImGui::End();
    return;
  }
  ImGui::Text("now %s", stamp(v, v.now).c_str());
  ImGui::SameLine();
  ImGui::RadioButton("whole run", &window, 0);
  ImGui::SameLine();
  ImGui::RadioButton("1 s", &window, 1);
  ImGui::SameLine();
  ImGui::RadioButton("10 s", &window, 10);
  ImGui::SameLine();
  ImGui::RadioButton("60 s", &window, 60);

  const double end = std::max(v.seconds(v.now), 1e-3);
  const double begin = window == 0 ? 0.0 : std::max(0.0, end - window);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  const float label_w = 48, w = std::max(100.f, ImGui::GetContentRegionAvail().x - label_w - 8);
  const float lane_h = std::max(12.f, std::min(22.f, (ImGui::GetContentRegionAvail().y - 24) / kLanes));
  auto x_of = [&](double s) { return o.x + label_w + static_cast<float>((s - begin) / (end - begin)) * w; };
  for (int l = 0; l < kLanes; ++l) {
    float y = o.y + static_cast<float>(l) * lane_h;
    dl->AddRectFilled(ImVec2(o.x + label_w, y), ImVec2(o.x + label_w + w, y + lane_h - 2),
                      l % 2 ? IM_COL32(40, 42, 50, 255) : IM_COL32(34, 36, 42, 255));
    dl->AddText(ImVec2(o.x, y + (lane_h - ImGui::GetTextLineHeight()) / 2), kLaneInfo[l].colour, kLaneInfo[l].name);
  }
  // The axis: about 8 ticks at round values.
  const float axis_y = o.y + kLanes * lane_h + 2;
  double span = end - begin, tick = std::pow(10.0, std::floor(std::log10(span / 8)));
  if (span / tick > 16) tick *= 5;
  else if (span / tick > 8) tick *= 2;
  for (double t = std::ceil(begin / tick) * tick; t <= end; t += tick) {
    float x = x_of(t);
    dl->AddLine(ImVec2(x, o.y), ImVec2(x, axis_y + 4), IM_COL32(90, 90, 100, 120));
    char buf[32];
    std::snprintf(buf, sizeof buf, tick < 0.01 ? "%.3f" : tick < 1 ? "%.2f" : "%.0f", t);
    dl->AddText(ImVec2(x + 2, axis_y), IM_COL32(170, 170, 180, 255), buf);
  }
  // Markers; the one under the mouse wins a tooltip.
  const Marker* hovered = nullptr;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const Marker& m : v.markers) {
    double s = v.seconds(m.at);
    if (s < begin) continue;
    int l = lane_of(m.kind);
    float x = x_of(s), y = o.y + static_cast<float>(l) * lane_h;
    float half = m.kind == MarkerKind::Uart || m.kind == MarkerKind::FlashProgram ? 1.f : 2.f;
    ImU32 c = m.kind == MarkerKind::FlashErase ? IM_COL32(255, 130, 40, 255) : kLaneInfo[l].colour;
    dl->AddRectFilled(ImVec2(x - half, y + 2), ImVec2(x + half, y + lane_h - 4), c);
    if (std::fabs(mouse.x - x) <= 3 && mouse.y >= y && mouse.y < y + lane_h) hovered = &m;
  }
  float now_x = x_of(end);
  dl->AddLine(ImVec2(now_x, o.y), ImVec2(now_x, axis_y), IM_COL32(255, 255, 255, 200), 1.5f);
  ImGui::Dummy(ImVec2(label_w + w, kLanes * lane_h + ImGui::GetTextLineHeight() + 4));
  if (hovered)
    ImGui::SetTooltip("%s  %s\n%s", stamp(v, hovered->at).c_str(), to_string(hovered->kind), hovered->text.c_str());
  ImGui::End();
}

}  // namespace hilsim::gui
