// Board panel (panel_board.h).
#include "gui/panel_board.h"

namespace hilsim::gui {

void BoardPanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Board", &open)) {
    ImGui::End();
    return;
  }
  ImGui::Text("%s", v.board.c_str());
  ImGui::SameLine();
  lamp(v.powered, rgb(80, 220, 90), 14);
  ImGui::SameLine();
  ImGui::TextUnformatted(v.powered ? "powered" : "no power");
  ImGui::Separator();
  for (const PinView& p : v.pins) {
    ImGui::PushID(p.name.c_str());
    if (p.output) {
      // LEDs: LED0 green, LED1 amber, others red.
      ImU32 c = p.name == "LED0" ? rgb(60, 230, 90) : p.name == "LED1" ? rgb(255, 180, 40) : rgb(240, 60, 60);
      lamp(p.level, c, 26);
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      ImGui::Text("%-8s %s", p.name.c_str(), p.level ? "on (1)" : "off (0)");
    } else {
      lamp(!p.level, rgb(90, 160, 255), 26);  // an input lamp shows "active" (pulled low)
      ImGui::SameLine();
      ImGui::Button(p.name.c_str(), ImVec2(120, 26));
      bool active = ImGui::IsItemActive();
      if (active && held != p.name) {
        held = p.name;
        post({Command::Kind::SetPin, p.name, "", 0});  // pressed: the pulled-up pin reads 0
      } else if (!active && held == p.name) {
        held.clear();
        post({Command::Kind::SetPin, p.name, "", 1});
      }
      ImGui::SameLine();
      ImGui::Text("level %d%s", p.level ? 1 : 0, held == p.name ? " (held)" : "");
    }
    ImGui::PopID();
  }
  if (v.pins.empty()) ImGui::TextDisabled("(the board names no pins)");
  ImGui::End();
}

}  // namespace hilsim::gui
