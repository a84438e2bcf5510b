// CPU panel (panel_cpu.h).
#include "gui/panel_cpu.h"

#include "emulator/debugger.h"

namespace hilsim::gui {

void CpuPanel::draw(const DeviceView& v, const Post& post) {
  const CpuView& c = v.cpu;
  if (v.generation != previous_generation) {
    for (std::size_t i = 0; i < c.regs.size(); ++i) changed[i] = previous_generation != 0 && c.regs[i] != previous[i];
    previous = c.regs;
    previous_generation = v.generation;
  }
  if (!ImGui::Begin("CPU", &open)) {
    ImGui::End();
    return;
  }
  if (ImGui::Button("Step instruction")) post({Command::Kind::StepInstruction});
  ImGui::SameLine();
  ImGui::TextDisabled(v.state == RunState::Paused   ? "(paused)"
                      : v.state == RunState::Halted ? "(halted by the debugger: step there, 'stepi')"
                                                    : "(pauses first)");
  ImGui::Text("pc 0x%08x  in %s", c.pc, c.function.empty() ? "?" : c.function.c_str());
  ImGui::Text("%s%s, %d active, pending %s", c.exception.c_str(), c.sleeping ? ", asleep (WFI)" : "", c.active,
              c.pending >= 0 ? std::to_string(c.pending).c_str() : "none");
  ImGui::Text("%llu instructions, %llu idle cycles", static_cast<unsigned long long>(c.instructions),
              static_cast<unsigned long long>(c.idle));
  ImGui::Separator();
  if (ImGui::BeginTable("regs", 4, ImGuiTableFlags_SizingStretchSame)) {
    for (int i = 0; i < emu::Debugger::kRegisterCount; ++i) {
      ImGui::TableNextColumn();
      ImVec4 col = changed[static_cast<std::size_t>(i)] ? ImVec4(1, 0.85f, 0.3f, 1) : ImVec4(0.85f, 0.85f, 0.85f, 1);
      ImGui::TextColored(col, "%-7s %08x", emu::Debugger::register_name(i), c.regs[static_cast<std::size_t>(i)]);
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (c.code.empty()) ImGui::TextDisabled(v.powered ? "(no code at the PC)" : "(no power)");
  std::string last_func;
  for (const DisasmLine& d : c.code) {
    std::string func = d.symbol.substr(0, d.symbol.find('+'));
    if (func != last_func) {
      ImGui::TextColored(ImVec4(0.6f, 0.75f, 1, 1), "<%s>:", func.empty() ? "?" : func.c_str());
      last_func = func;
    }
    ImVec4 col = d.current ? ImVec4(1, 0.9f, 0.3f, 1) : ImVec4(0.8f, 0.8f, 0.8f, 1);
    ImGui::TextColored(col, "%s %08x  %-12s %s", d.current ? "=>" : "  ", d.address, d.bytes.c_str(), d.text.c_str());
  }
  ImGui::End();
}

}  // namespace hilsim::gui
