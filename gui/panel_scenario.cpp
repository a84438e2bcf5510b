// Scenario panel (panel_scenario.h).
#include "gui/panel_scenario.h"

#include "gui/panel_network.h"

namespace hilsim::gui {

namespace {

ImVec4 status_colour(const std::string& s) {
  if (s == "passed") return ImVec4(0.4f, 0.9f, 0.4f, 1);
  if (s == "failed") return ImVec4(1, 0.4f, 0.4f, 1);
  if (s == "running") return ImVec4(1, 0.85f, 0.3f, 1);
  return ImVec4(0.55f, 0.55f, 0.6f, 1);
}

}  // namespace

void ScenarioPanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Scenario", &open)) {
    ImGui::End();
    return;
  }
  const ScenarioView& s = v.scenario;
  ImGui::Text("%s", s.name.c_str());
  ImGui::SameLine();
  if (!s.result.empty())
    ImGui::TextColored(status_colour(s.result), "%s%s", s.result.c_str(), v.free_running ? " (device keeps running)" : "");
  else
    ImGui::TextColored(status_colour("running"), "step %d/%zu", s.current, s.steps.size());
  if (ImGui::Button("Step to next scenario step")) post({Command::Kind::StepScenario});
  ImGui::SameLine();
  if (ImGui::Button("Cut power at next flash op")) post({Command::Kind::CutAtNextFlashOp});

  // Publish: a listed release, or a file with a version.
  for (const std::string& r : s.releases) {
    if (ImGui::SmallButton(("publish " + r).c_str())) post({Command::Kind::Publish, r, "", 0});
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::SetNextItemWidth(70);
  ImGui::InputTextWithHint("##ver", "4.0.0", version.data(), version.size());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-110);
  ImGui::InputTextWithHint("##file", "script .py or .bundle file", file.data(), file.size());
  ImGui::SameLine();
  if (ImGui::Button("Publish file") && version[0] && file[0])
    post({Command::Kind::Publish, version.data(), file.data(), 0});
  net_fault_buttons(post);
  ImGui::Separator();

  float steps_h = ImGui::GetContentRegionAvail().y * 0.62f;
  if (ImGui::BeginTable("steps", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY,
                        ImVec2(0, steps_h))) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("status");
    ImGui::TableSetupColumn("at");
    ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const StepView& st : s.steps) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", st.index);
      ImGui::TableNextColumn();
      ImGui::TextColored(status_colour(st.status), "%s", st.status.c_str());
      ImGui::TableNextColumn();
      if (st.status != "not-run") ImGui::Text("%8.3f s", st.start);
      ImGui::TableNextColumn();
      ImGui::Text("%s %s", st.type.c_str(), st.summary.c_str());
      if (!st.label.empty()) ImGui::TextDisabled("  # %s", st.label.c_str());
      if (st.index == s.current) ImGui::SetScrollHereY(0.3f);
      if (ImGui::IsItemHovered() && !st.note.empty()) ImGui::SetTooltip("%s", st.note.c_str());
    }
    ImGui::EndTable();
  }
  if (!s.failure.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", s.failure.c_str());
  ImGui::BeginChild("log", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  for (const std::string& l : s.log) ImGui::TextUnformatted(l.c_str());
  ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace hilsim::gui
