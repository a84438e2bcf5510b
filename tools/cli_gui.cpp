// `hilsim gui`: the panel (gui/README.md). Opens a window on a scenario, or on a board and
// firmware alone (a scenario with one long delay step is made up for them), with the machine
// on its own thread. Headless: renders frames into a hidden window, saves a PNG screenshot
// and the panels' view as JSON, or measures the frame rate while the machine runs flat out.
// With --gdb the same run is served to GDB as well (docs/debugging.md "The panel and GDB side by
// side"): breakpoints halt the machine the panel shows.
// Exit code: 0 done · 1 the headless job failed (pause point not reached, write error) · 2 usage
// (also a --gdb port that cannot be opened).
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "gui/app.h"
#include "scenarios/scenario.h"
#include "scenarios/text_util.h"
#include "tools/cli.h"

namespace hilsim::cli {

namespace {

struct GuiCommandOptions {
  std::string scenario, board, firmware, build_dir;
  std::string record;    // --record: the session from its start
  std::string snapshot;  // --snapshot: start from a machine snapshot (with --board/--firmware)
  bool headless = false, paused = false;
  int frames = 3;
  std::string screenshot, state_json, speed;
  double measure_fps = 0;
  std::uint64_t pause_at_flash_op = 0;
  std::string flash_partition;
  double pause_at = -1;
  int width = 1600, height = 1000;
  double wall_limit = 60;
  bool until_end = false;
  std::string halt_json, halt_screenshot;
  int gdb_port = -1;  // --gdb
  std::string gdb_listen = "127.0.0.1";
  bool gdb_nowait = false;
};

int gui_command(const GuiCommandOptions& o) {
  scen::LoadOptions lo;
  lo.source_root = HILSIM_SOURCE_DIR;
  lo.build_root = o.build_dir.empty() ? default_build_dir() : o.build_dir;
  emu::Loaded<scen::Scenario> sc = [&] {
    if (!o.scenario.empty()) return scen::load_scenario(o.scenario, lo);
    // A board and a firmware alone: one step that lasts (practically) for ever.
    // From a snapshot the machine is not powered on by the run: it is where the snapshot was.
    std::string text = "name: " + o.board + "\nboard: " + o.board + "\nfirmware: \"" + o.firmware +
                       "\"\ntime-limit: 1000000s\n" + (o.snapshot.empty() ? "" : "start-powered: false\n") +
                       "steps:\n  - name: the device runs\n    delay: 999999s\n";
    return scen::load_scenario_from_string(text, "<gui>", lo);
  }();
  if (!sc) {
    std::fprintf(stderr, "hilsim gui: %s\n", sc.error().c_str());
    return 2;
  }
  gui::AppOptions ao;
  ao.emulation.scenario = std::make_shared<const scen::Scenario>(std::move(*sc));
  ao.emulation.start_paused = o.paused;
  ao.emulation.pause_at_flash_op = o.pause_at_flash_op;
  ao.emulation.pause_at_flash_partition = o.flash_partition;
  ao.emulation.record = o.record;
  ao.emulation.build_dir = lo.build_root;
  if (!o.snapshot.empty()) {
    std::string error;
    std::string bytes = scen::read_file(o.snapshot, error);
    if (!error.empty()) {
      std::fprintf(stderr, "hilsim gui: --snapshot %s\n", error.c_str());
      return 2;
    }
    ao.emulation.snapshot.assign(bytes.begin(), bytes.end());
  }
  ao.emulation.gdb.port = o.gdb_port;
  ao.emulation.gdb.listen = o.gdb_listen;
  ao.emulation.gdb.nowait = o.gdb_nowait;
  if (o.pause_at >= 0)
    ao.emulation.pause_at = static_cast<emu::Ticks>(o.pause_at * static_cast<double>(ao.emulation.scenario->board.clock_hz));
  ao.headless = o.headless;
  ao.frames = o.frames;
  ao.screenshot = o.screenshot;
  ao.state_json = o.state_json;
  ao.measure_fps = o.measure_fps;
  ao.speed = o.speed.empty() ? (o.headless ? "max" : "realtime") : o.speed;
  ao.width = o.width;
  ao.height = o.height;
  ao.wall_limit = o.wall_limit;
  ao.until_end = o.until_end;
  ao.halt_json = o.halt_json;
  ao.halt_screenshot = o.halt_screenshot;
  gui::AppReport r = gui::run_app(ao);
  if ((o.headless || o.measure_fps > 0) && r.frames > 0) {
    std::printf("frames %d in %.3f s wall", r.frames, r.wall);
    if (o.measure_fps > 0)
      std::printf(": %.1f fps while the machine ran %.3f s virtual (%.1fx real time, %.1f MIPS)", r.fps,
                  r.virtual_seconds, r.speed, r.mips);
    std::printf("\n");
    if (!o.screenshot.empty() && r.error.empty()) std::printf("screenshot %s\n", o.screenshot.c_str());
    if (!o.state_json.empty() && r.error.empty()) std::printf("state %s\n", o.state_json.c_str());
    if (r.halts_captured > 0) std::printf("debugger halts written: %d\n", r.halts_captured);
  }
  if (!r.error.empty()) {
    std::fprintf(stderr, "hilsim gui: %s\n", r.error.c_str());
    return r.error.rfind("--gdb:", 0) == 0 ? 2 : 1;
  }
  return 0;
}

}  // namespace

void add_gui_command(CLI::App& app) {
  auto opts = std::make_shared<GuiCommandOptions>();
  CLI::App* cmd = app.add_subcommand("gui", "Open the panel on a scenario, or on --board and --firmware (gui/README.md)");
  cmd->add_option("scenario", opts->scenario, "scenario file (.yaml)");
  cmd->add_option("--board", opts->board, "board name or board.yaml (without a scenario)");
  cmd->add_option("--firmware", opts->firmware, "firmware ELF (without a scenario)");
  cmd->add_option("--build-dir", opts->build_dir, "what ${build} means in scenario files (default: where hilsim is)");
  cmd->add_option("--record", opts->record, "record the session from its start to this .hrec file (hilsim replay)");
  cmd->add_option("--snapshot", opts->snapshot,
                  "with --board/--firmware: start from this machine snapshot (e.g. a replay's divergence) instead of power-on");
  cmd->add_option("--speed", opts->speed, "realtime, max, or N (times real time); default realtime (max headless)");
  cmd->add_flag("--paused", opts->paused, "start paused (before the first instruction)");
  cmd->add_option("--pause-at-flash-op", opts->pause_at_flash_op,
                  "pause when the Nth flash operation starts (with --flash-partition: the Nth in that partition)");
  cmd->add_option("--flash-partition", opts->flash_partition, "partition that --pause-at-flash-op counts in");
  cmd->add_option("--pause-at", opts->pause_at, "pause at this virtual time (seconds)");
  cmd->add_flag("--headless", opts->headless, "no visible window: render frames, then write --screenshot/--state-json and exit");
  cmd->add_option("--frames", opts->frames, "headless: render at least this many frames")->capture_default_str();
  cmd->add_option("--screenshot", opts->screenshot, "headless: save the last frame as a PNG here");
  cmd->add_option("--state-json", opts->state_json, "headless: save the panels' view of the state (and the machine's) here");
  cmd->add_option("--measure-fps", opts->measure_fps,
                  "render for this many seconds with the machine as fast as possible and print the frame rate");
  cmd->add_option("--width", opts->width, "window width")->capture_default_str();
  cmd->add_option("--height", opts->height, "window height")->capture_default_str();
  cmd->add_option("--wall-limit", opts->wall_limit, "headless: seconds to wait for the pause point (or the end)")
      ->capture_default_str();
  cmd->add_flag("--until-end", opts->until_end, "headless: keep going until the scenario's steps are done");
  cmd->add_option("--gdb", opts->gdb_port,
                  "also serve GDB on this port for the same run (0 = any free port, printed on stderr); "
                  "docs/debugging.md");
  cmd->add_option("--gdb-listen", opts->gdb_listen, "address the GDB server listens on")->capture_default_str();
  cmd->add_flag("--gdb-nowait", opts->gdb_nowait, "with --gdb: run at once; a debugger may attach later");
  cmd->add_option("--halt-json", opts->halt_json,
                  "with --gdb: write the state JSON here each time the target halts for the debugger");
  cmd->add_option("--halt-screenshot", opts->halt_screenshot,
                  "with --gdb: save a PNG here each time the target halts for the debugger");
  cmd->callback([opts] {
    if (opts->scenario.empty() == (opts->board.empty() || opts->firmware.empty())) {
      std::fprintf(stderr, "hilsim gui: give a scenario file, or --board and --firmware (not both)\n");
      throw Exit{2};
    }
    if (!opts->snapshot.empty() && !opts->scenario.empty()) {
      std::fprintf(stderr, "hilsim gui: --snapshot goes with --board and --firmware, not with a scenario\n");
      throw Exit{2};
    }
    if (!opts->record.empty() && opts->gdb_port >= 0) {
      std::fprintf(stderr, "hilsim gui: --record does not go with --gdb (a debugger's writes are not inputs a replay repeats)\n");
      throw Exit{2};
    }
    if (opts->gdb_port < 0 && (!opts->halt_json.empty() || !opts->halt_screenshot.empty() || opts->gdb_nowait)) {
      std::fprintf(stderr, "hilsim gui: --halt-json, --halt-screenshot and --gdb-nowait need --gdb PORT\n");
      throw Exit{2};
    }
    int code = gui_command(*opts);
    if (code != 0) throw Exit{code};
  });
}

}  // namespace hilsim::cli
