// Update state panel (panel_update.h).
#include "gui/panel_update.h"

namespace hilsim::gui {

namespace {

ImVec4 phase_colour(const std::string& p) {
  if (p == "confirmed") return ImVec4(0.4f, 0.9f, 0.4f, 1);
  if (p == "trial" || p == "pending") return ImVec4(1.f, 0.85f, 0.3f, 1);
  if (p == "downloading") return ImVec4(0.4f, 0.75f, 1.f, 1);
  if (p == "rolled back" || p == "rejected") return ImVec4(1.f, 0.45f, 0.4f, 1);
  return ImVec4(0.8f, 0.8f, 0.8f, 1);
}

void slot_card(const char* title, const std::string& slot, const std::string& version, bool active) {
  ImGui::BeginGroup();
  ImGui::TextColored(active ? ImVec4(0.4f, 0.9f, 0.4f, 1) : ImVec4(0.7f, 0.7f, 0.7f, 1), "%s", title);
  ImGui::Text("%s", slot.empty() ? "-" : slot.c_str());
  ImGui::Text("version %s", version.empty() ? "?" : version.c_str());
  ImGui::EndGroup();
}

}  // namespace

void UpdatePanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Update", &open)) {
    ImGui::End();
    return;
  }
  const UpdateView& u = v.update;
  if (!u.present) {
    ImGui::TextDisabled("(no status port on this board)");
    ImGui::End();
    return;
  }
  ImGui::Text("running %s from %s, state %s", u.version.c_str(), u.slot.c_str(), u.state.c_str());
  ImGui::Text("updates %u, rollbacks %u, heartbeat %u", u.updates, u.rollbacks, u.heartbeat);
  ImGui::Separator();
  slot_card("ACTIVE", u.active_slot, u.active_version, true);
  ImGui::SameLine(180);
  slot_card("inactive", u.inactive_slot, u.inactive_version, false);
  ImGui::Separator();
  ImGui::Text("phase:");
  ImGui::SameLine();
  ImGui::TextColored(phase_colour(u.phase), "%s%s%s", u.phase.c_str(), u.target_version.empty() ? "" : "  target ",
                     u.target_version.c_str());
  float frac = u.download_total ? static_cast<float>(u.download_bytes) / static_cast<float>(u.download_total) : 0.f;
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "%llu / %llu bytes", static_cast<unsigned long long>(u.download_bytes),
                static_cast<unsigned long long>(u.download_total));
  ImGui::ProgressBar(frac, ImVec2(-1, 0), u.download_total ? overlay : "no download yet");
  ImGui::Text("last verification:");
  ImGui::SameLine();
  if (u.last_verification.empty()) ImGui::TextDisabled("none yet");
  else
    ImGui::TextColored(u.last_verification.rfind("verified", 0) == 0 ? ImVec4(0.4f, 0.9f, 0.4f, 1) : ImVec4(1, 0.4f, 0.4f, 1),
                       "%s", u.last_verification.c_str());
  if (!u.last_line.empty()) ImGui::TextWrapped("last: %s", u.last_line.c_str());
  ImGui::End();
}

}  // namespace hilsim::gui
