// Network panel (panel_network.h).
#include "gui/panel_network.h"

namespace hilsim::gui {

void net_fault_buttons(const Post& post) {
  static const char* kinds[] = {"drop", "stall", "corrupt", "truncate", "refuse", "slow"};
  ImGui::TextUnformatted("inject:");
  for (const char* k : kinds) {
    ImGui::SameLine();
    if (ImGui::SmallButton(k)) post({Command::Kind::NetFault, k, "", 0});
  }
}

void NetworkPanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Network", &open)) {
    ImGui::End();
    return;
  }
  const NetView& n = v.net;
  if (!n.present) {
    ImGui::TextDisabled("(no net-link on this board)");
    ImGui::End();
    return;
  }
  ImGui::Text("%s: %s, %zu connections", n.link.c_str(), n.link_state.c_str(), n.connections.size());
  net_fault_buttons(post);
  if (!n.faults_armed.empty())
    for (const std::string& f : n.faults_armed) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "armed: %s", f.c_str());
  const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  float h = (ImGui::GetContentRegionAvail().y - 3 * ImGui::GetTextLineHeightWithSpacing()) / 3;
  ImGui::TextUnformatted("connections");
  if (ImGui::BeginTable("conns", 5, tf, ImVec2(0, h))) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("opened");
    ImGui::TableSetupColumn("to device");
    ImGui::TableSetupColumn("from device");
    ImGui::TableSetupColumn("state", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (auto it = n.connections.rbegin(); it != n.connections.rend(); ++it) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(it->id));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(stamp(v, it->opened).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%llu B", static_cast<unsigned long long>(it->to_device));
      ImGui::TableNextColumn();
      ImGui::Text("%llu B", static_cast<unsigned long long>(it->from_device));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(it->state.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::TextUnformatted("requests");
  if (ImGui::BeginTable("reqs", 5, tf, ImVec2(0, h))) {
    ImGui::TableSetupColumn("at");
    ImGui::TableSetupColumn("conn");
    ImGui::TableSetupColumn("status");
    ImGui::TableSetupColumn("bytes");
    ImGui::TableSetupColumn("request", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (auto it = n.requests.rbegin(); it != n.requests.rend(); ++it) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(stamp(v, it->at).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(it->conn));
      ImGui::TableNextColumn();
      ImGui::TextColored(it->status < 300 ? ImVec4(0.5f, 0.9f, 0.5f, 1) : ImVec4(1, 0.5f, 0.4f, 1), "%d", it->status);
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(it->bytes));
      ImGui::TableNextColumn();
      ImGui::Text("%s %s%s%s", it->method.c_str(), it->path.c_str(), it->range.empty() ? "" : "  ", it->range.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::TextUnformatted("faults applied");
  ImGui::BeginChild("faults", ImVec2(0, 0), true);
  for (auto it = n.faults_applied.rbegin(); it != n.faults_applied.rend(); ++it)
    ImGui::TextColored(ImVec4(1, 0.55f, 0.4f, 1), "[%s] %s", stamp(v, it->at).c_str(), it->text.c_str());
  if (n.faults_applied.empty()) ImGui::TextDisabled("none");
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace hilsim::gui
