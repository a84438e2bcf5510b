// UART console panel (panel_uart.h).
#include "gui/panel_uart.h"

#include <cstring>

namespace hilsim::gui {

void UartPanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("UART", &open)) {
    ImGui::End();
    return;
  }
  std::string uart = v.uart.empty() ? "uart0" : v.uart.front().uart;
  ImGui::SetNextItemWidth(-170);
  bool send = ImGui::InputTextWithHint("##in", "type a command, Enter sends it", input.data(), input.size(),
                                       ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  send |= ImGui::Button("Send");
  ImGui::SameLine();
  ImGui::Checkbox("follow", &follow);
  if (send && input[0] != 0) {
    post({Command::Kind::UartInput, uart, std::string(input.data()) + "\n", 0});
    input[0] = 0;
    ImGui::SetKeyboardFocusHere(-1);
  }
  ImGui::Separator();
  ImGui::BeginChild("lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(v.uart.size()));
  while (clip.Step())
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      const UartLineView& l = v.uart[static_cast<std::size_t>(i)];
      ImGui::TextColored(ImVec4(0.55f, 0.6f, 0.7f, 1), "[%s]", stamp(v, l.at).c_str());
      ImGui::SameLine();
      bool err = l.text.find("rror") != std::string::npos || l.text.find("rejected") != std::string::npos ||
                 l.text.find("rolled back") != std::string::npos;
      bool upd = l.text.rfind("update:", 0) == 0;
      ImVec4 c = l.partial ? ImVec4(0.6f, 0.6f, 0.6f, 1)
                 : err     ? ImVec4(1.f, 0.45f, 0.4f, 1)
                 : upd     ? ImVec4(0.5f, 0.85f, 1.f, 1)
                           : ImVec4(0.9f, 0.9f, 0.9f, 1);
      ImGui::TextColored(c, "%s", l.text.c_str());
    }
  lines_drawn = v.uart.size();
  if (follow) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace hilsim::gui
