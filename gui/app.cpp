// The panel application (app.h).
// Index: [window] SDL + GL + ImGui set-up · [layout] the tiled layout · [frame] one frame ·
// [run] the loop, headless stopping rules, screenshot, JSON, FPS measurement.
#include "gui/app.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <thread>

#include "gui/panel_board.h"
#include "gui/panel_controls.h"
#include "gui/panel_cpu.h"
#include "gui/panel_flash.h"
#include "gui/panel_network.h"
#include "gui/panel_scenario.h"
#include "gui/panel_timeline.h"
#include "gui/panel_uart.h"
#include "gui/panel_update.h"
#include "gui/png_writer.h"

namespace hilsim::gui {

namespace {

using Clock = std::chrono::steady_clock;

struct Panels {
  ControlsPanel controls;
  BoardPanel board;
  UartPanel uart;
  FlashPanel flash;
  UpdatePanel update;
  NetworkPanel network;
  TimelinePanel timeline;
  CpuPanel cpu;
  ScenarioPanel scenario;
};

// ===== [layout] ========================================================================
// Tiles on a 1600 x 1000 grid, scaled to the window: three columns, the toolbar on top and
// the timeline along the bottom of the two right columns.
void place(const char* name, float x, float y, float w, float h, ImVec2 size) {
  const float sx = size.x / 1600.f, sy = size.y / 1000.f;
  ImGui::SetNextWindowPos(ImVec2(x * sx, y * sy), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w * sx, h * sy), ImGuiCond_FirstUseEver);
  (void)name;
}

// ===== [frame] =========================================================================
void draw_panels(Panels& p, const DeviceView& v, const Post& post, ImVec2 size) {
  std::vector<PanelToggle> toggles = {{"board", &p.board.open},     {"uart", &p.uart.open},
                                      {"flash", &p.flash.open},     {"update", &p.update.open},
                                      {"net", &p.network.open},     {"time", &p.timeline.open},
                                      {"cpu", &p.cpu.open},         {"scenario", &p.scenario.open}};
  ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(size.x, 62 * size.y / 1000.f), ImGuiCond_Always);
  p.controls.draw(v, post, toggles);
  if (p.board.open) place("Board", 0, 62, 380, 200, size), p.board.draw(v, post);
  if (p.update.open) place("Update", 0, 262, 380, 238, size), p.update.draw(v, post);
  if (p.scenario.open) place("Scenario", 0, 500, 380, 500, size), p.scenario.draw(v, post);
  if (p.flash.open) place("Flash map", 380, 62, 640, 420, size), p.flash.draw(v, post);
  if (p.uart.open) place("UART", 380, 482, 640, 318, size), p.uart.draw(v, post);
  if (p.cpu.open) place("CPU", 1020, 62, 580, 410, size), p.cpu.draw(v, post);
  if (p.network.open) place("Network", 1020, 472, 580, 328, size), p.network.draw(v, post);
  if (p.timeline.open) place("Timeline", 380, 800, 1220, 200, size), p.timeline.draw(v, post);
}

// Files are written next to their place and renamed over it, so a reader (a script waiting
// for a debugger halt's JSON) never sees half of one.
std::string replace_file(const std::string& path, const std::function<std::string(const std::string&)>& write) {
  const std::string tmp = path + ".tmp";
  if (std::string err = write(tmp); !err.empty()) return err;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return path + ": cannot rename " + tmp + " to it";
  return {};
}

std::vector<std::uint8_t> read_pixels(int w, int h) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, px.data());
  // GL's rows start at the bottom; PNG's at the top.
  const std::size_t row = static_cast<std::size_t>(w) * 3;
  for (int y = 0; y < h / 2; ++y)
    std::swap_ranges(px.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)),
                     px.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y + 1)),
                     px.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(h - 1 - y)));
  return px;
}

}  // namespace

// ===== [run] ===========================================================================

AppReport run_app(const AppOptions& o) {
  AppReport report;
  // The emulation first: a GDB port that cannot be opened ends it before a window shows.
  Emulation emu(o.emulation);
  const bool flat_out = o.measure_fps > 0 || o.speed == "max";
  if (!flat_out) emu.allow_until(0);  // paced: nothing runs until the first frame's allowance
  report.error = emu.start();
  if (!report.error.empty()) return report;
  // ---- [window]
  if (o.headless && std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr)
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    report.error = std::string("SDL_Init: ") + SDL_GetError();
    return report;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  Uint32 flags = SDL_WINDOW_OPENGL | (o.headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_Window* window = SDL_CreateWindow("hilsim panel", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width,
                                        o.height, flags);
  if (!window) {
    report.error = std::string("SDL_CreateWindow: ") + SDL_GetError();
    SDL_Quit();
    return report;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    report.error = std::string("SDL_GL_CreateContext: ") + SDL_GetError();
    SDL_DestroyWindow(window);
    SDL_Quit();
    return report;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(o.headless || o.measure_fps > 0 ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the tiled layout every time
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 3;
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");

  Post post = [&emu](Command c) { emu.post(std::move(c)); };
  Panels panels;
  if (flat_out) panels.controls.set_speed(2);
  else if (o.speed != "realtime") panels.controls.set_speed(1, std::strtof(o.speed.c_str(), nullptr));

  const bool pause_target = o.emulation.pause_at_flash_op != 0 || o.emulation.pause_at != emu::kNever;
  const bool halt_outputs = !o.halt_json.empty() || !o.halt_screenshot.empty();
  const Clock::time_point t0 = Clock::now();
  Clock::time_point fps_t = t0, measure_start{};
  int fps_frames = 0, after_reach = 0, halt_frames = 0;
  std::uint64_t halt_written = 0;  // the debugger halt last written to halt_json/halt_screenshot
  double fps = 0;
  DeviceView measure_from;
  bool measuring = false, done = false, capture = false;
  while (!done) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (e.type == SDL_QUIT) done = true;
      if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) done = true;
    }
    const Clock::time_point now = Clock::now();
    emu.take_view();
    const DeviceView& v = emu.view();
    emu.allow_until(panels.controls.allowance(v, now));
    panels.controls.measure(v, now, fps);

    // Headless stopping rules: enough frames, and (with a pause target) paused there — or held
    // by a debugger there, which is told of the pause — and (--until-end) the steps done.
    if (o.headless && o.measure_fps <= 0) {
      const double waited = std::chrono::duration<double>(now - t0).count();
      const bool stopped = v.state == RunState::Paused || v.state == RunState::Halted;
      const bool at_pause = pause_target && emu.reached_pause_point() && stopped;
      const bool at_end = o.until_end && !v.scenario.result.empty();
      const bool there = (!pause_target && !o.until_end) || at_pause || at_end;
      if (report.frames >= o.frames && there) ++after_reach;
      if (after_reach == 2) capture = true;  // two more frames so every panel shows the final copy
      if (waited > o.wall_limit && !there) {
        report.error = std::string(pause_target ? "the pause point" : "the end of the steps") + " was not reached within " +
                       std::to_string(o.wall_limit) + " s of wall time";
        capture = true;
      }
    }
    // A new halt for a debugger: written once two frames have shown it.
    bool halt_capture = false;
    if (halt_outputs && v.state == RunState::Halted && v.debugger.attached && v.debugger.halts != halt_written)
      halt_capture = ++halt_frames >= 3;
    else
      halt_frames = 0;
    if (o.measure_fps > 0) {
      const double waited = std::chrono::duration<double>(now - t0).count();
      if (!measuring && waited >= 1.0) {  // one second of warm-up
        measuring = true;
        measure_start = now;
        measure_from = v;
        report.frames = 0;
      } else if (measuring && std::chrono::duration<double>(now - measure_start).count() >= o.measure_fps) {
        report.wall = std::chrono::duration<double>(now - measure_start).count();
        report.fps = report.frames / report.wall;
        report.virtual_seconds = v.seconds(v.now - measure_from.now);
        report.speed = report.virtual_seconds / report.wall;
        report.mips = static_cast<double>(v.cpu.instructions - measure_from.cpu.instructions) / report.wall / 1e6;
        capture = !o.screenshot.empty() || !o.state_json.empty();
        done = !capture;
      }
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    ImVec2 size = ImGui::GetIO().DisplaySize;
    draw_panels(panels, v, post, size);
    ImGui::Render();
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.08f, 0.08f, 0.1f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // What the frame shows, as a PNG and as the state JSON (view, machine facts, panels).
    auto save = [&](const std::string& png, const std::string& json) {
      std::string err;
      if (!png.empty())
        err = replace_file(png, [&](const std::string& path) { return write_png(path, w, h, 3, read_pixels(w, h)); });
      if (!json.empty() && err.empty())
        err = replace_file(json, [&](const std::string& path) -> std::string {
          nlohmann::json j;
          j["view"] = to_json(v);
          j["machine"] = emu.machine_facts();
          j["panels"]["flash"] = {{"drawn", nlohmann::json::array()}, {"writing_sector", panels.flash.writing_sector}};
          for (SectorState s : panels.flash.drawn) j["panels"]["flash"]["drawn"].push_back(to_string(s));
          j["panels"]["uart"] = {{"lines", panels.uart.lines_drawn}};
          j["frames"] = report.frames + 1;
          std::ofstream out(path, std::ios::trunc);
          out << j.dump(1) << "\n";
          return out.flush() ? std::string() : path + ": write failed";
        });
      if (!err.empty()) report.error = err;
    };
    if (halt_capture) {
      save(o.halt_screenshot, o.halt_json);
      halt_written = v.debugger.halts;
      ++report.halts_captured;
    }
    if (capture) {
      save(o.screenshot, o.state_json);
      report.reached = emu.reached_pause_point();
      done = true;
    }
    SDL_GL_SwapWindow(window);
    ++report.frames;
    ++fps_frames;
    double ft = std::chrono::duration<double>(Clock::now() - fps_t).count();
    if (ft >= 0.5) {
      fps = fps_frames / ft;
      fps_frames = 0;
      fps_t = Clock::now();
    }
    if (o.headless && o.measure_fps <= 0 && o.frames > 0 && report.frames < o.frames) continue;
    // Interactive: about 60 frames per second is plenty (vsync may already do this).
    if (!o.headless && o.measure_fps <= 0) {
      double spent = std::chrono::duration<double>(Clock::now() - now).count();
      if (spent < 1.0 / 60) std::this_thread::sleep_for(std::chrono::duration<double>(1.0 / 60 - spent));
    }
  }
  if (o.measure_fps <= 0) report.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return report;
}

}  // namespace hilsim::gui
