// Flash map panel (panel_flash.h).
#include "gui/panel_flash.h"

#include <algorithm>

namespace hilsim::gui {

namespace {

// Partition bands alternate between two tints so neighbours are told apart.
ImU32 band(int i) { return i % 2 ? rgb(120, 90, 200, 90) : rgb(60, 170, 150, 90); }

}  // namespace

void FlashPanel::draw(const DeviceView& v, const Post& post) {
  if (!ImGui::Begin("Flash map", &open)) {
    ImGui::End();
    return;
  }
  const FlashView& f = v.flash;
  if (!f.present) {
    ImGui::TextDisabled("(no flash controller on this board)");
    ImGui::End();
    return;
  }
  ImGui::Text("%s: %zu sectors of %u KiB, %llu operations, power-cut policy %s", f.memory.c_str(), f.states.size(),
              f.sector_size / 1024, static_cast<unsigned long long>(f.ops_started), f.power_loss_policy.c_str());
  ImGui::Checkbox("wear", &wear);
  ImGui::SameLine();
  if (wear) {
    ImGui::Text("heat scale: 0 .. %u erases", f.max_erases);
  } else {
    const SectorState legend[] = {SectorState::Erased, SectorState::Programmed, SectorState::Writing,
                                  SectorState::Erasing, SectorState::Torn};
    for (SectorState s : legend) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + 12, p.y + 12), sector_colour(s));
      ImGui::Dummy(ImVec2(12, 12));
      ImGui::SameLine();
      ImGui::TextUnformatted(to_string(s));
      ImGui::SameLine();
    }
    ImGui::NewLine();
  }

  // The grid: one group of rows per partition (label on the left, 32 cells a row); sectors
  // outside every partition form their own groups.
  struct Group {
    std::string name;
    std::uint32_t first, count;
  };
  std::vector<Group> groups;
  const std::uint32_t n = static_cast<std::uint32_t>(f.states.size());
  std::vector<PartitionView> parts = f.partitions;
  std::sort(parts.begin(), parts.end(), [](const PartitionView& a, const PartitionView& b) { return a.first_sector < b.first_sector; });
  std::uint32_t at = 0;
  for (const PartitionView& p : parts) {
    if (p.first_sector > at) groups.push_back({"-", at, p.first_sector - at});
    std::uint32_t first = std::max(at, p.first_sector), last = std::min(n, p.first_sector + p.sectors);
    if (last > first) groups.push_back({p.name, first, last - first});
    at = std::max(at, last);
  }
  if (at < n) groups.push_back({"-", at, n - at});

  const int cols = 32;
  const float label_w = 80;
  const float avail = ImGui::GetContentRegionAvail().x - label_w;
  const float cell = std::max(6.f, std::min(16.f, avail / cols - 2));
  const float step = cell + 2;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  drawn.assign(f.states.begin(), f.states.end());
  writing_sector = -1;
  int hovered = -1;
  float y = o.y;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    const int rows = static_cast<int>((g.count + cols - 1) / cols);
    dl->AddRectFilled(ImVec2(o.x, y), ImVec2(o.x + label_w + cols * step, y + static_cast<float>(rows) * step),
                      band(static_cast<int>(gi)));
    std::string label = g.name + " " + std::to_string(g.count);
    dl->AddText(ImVec2(o.x + 3, y + (step - ImGui::GetTextLineHeight()) / 2), rgb(235, 235, 240), label.c_str());
    for (std::uint32_t k = 0; k < g.count; ++k) {
      const std::uint32_t s = g.first + k;
      float x = o.x + label_w + static_cast<float>(k % cols) * step, cy = y + static_cast<float>(k / cols) * step + 1;
      SectorState st = f.states[s];
      ImU32 c = wear ? heat(f.max_erases ? static_cast<float>(f.erases[s]) / static_cast<float>(f.max_erases) : 0.f)
                     : sector_colour(st);
      dl->AddRectFilled(ImVec2(x, cy), ImVec2(x + cell, cy + cell), c, 2.f);
      if (st == SectorState::Writing || st == SectorState::Erasing) {
        writing_sector = static_cast<int>(s);
        dl->AddRect(ImVec2(x - 1, cy - 1), ImVec2(x + cell + 1, cy + cell + 1), rgb(255, 255, 255), 2.f, 0, 2.f);
      }
      if (ImGui::IsMouseHoveringRect(ImVec2(x, cy), ImVec2(x + step, cy + step))) hovered = static_cast<int>(s);
    }
    y += static_cast<float>(rows) * step + 3;
  }
  ImGui::Dummy(ImVec2(label_w + step * cols, y - o.y));
  if (hovered >= 0) {
    const std::size_t h = static_cast<std::size_t>(hovered);
    std::uint32_t addr = f.base + static_cast<std::uint32_t>(hovered) * f.sector_size;
    std::string part = "-";
    for (const PartitionView& p : f.partitions)
      if (static_cast<std::uint32_t>(hovered) >= p.first_sector && static_cast<std::uint32_t>(hovered) < p.first_sector + p.sectors)
        part = p.name;
    ImGui::SetTooltip("sector %d at 0x%08x (%s)\n%s, %u erases", hovered, addr, part.c_str(),
                      to_string(f.states[h]), f.erases[h]);
  }

  ImGui::Separator();
  ImGui::TextUnformatted("last operations");
  if (ImGui::BeginTable("ops", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("kind");
    ImGui::TableSetupColumn("address");
    ImGui::TableSetupColumn("partition");
    ImGui::TableSetupColumn("started");
    ImGui::TableSetupColumn("result", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (auto it = f.recent.rbegin(); it != f.recent.rend(); ++it) {
      const FlashOpView& op = *it;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(op.seq));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(op.erase ? "erase" : "program");
      ImGui::TableNextColumn();
      ImGui::Text("0x%08x +%u", op.address, op.size);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(op.partition.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(stamp(v, op.start).c_str());
      ImGui::TableNextColumn();
      ImVec4 c = op.end == 0 ? ImVec4(1, 0.8f, 0.2f, 1)
                 : op.result == "ok" ? ImVec4(0.6f, 0.9f, 0.6f, 1) : ImVec4(1, 0.4f, 0.4f, 1);
      ImGui::TextColored(c, "%s", op.result.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace hilsim::gui
