// A boot session through the scenario engine (cli_boot_session.h).
#include "tools/cli_boot_session.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "emulator/board_config.h"
#include "scenarios/runner.h"
#include "tools/cli.h"
#include "tools/cli_record.h"

namespace hilsim::cli {

namespace {

std::string ns_text(std::uint64_t ns) { return std::to_string(ns) + "ns"; }

// The session as a scenario: one step per input, delays between them, then the rest of --for.
std::string scenario_text(const BootSession& s, const std::string& board_file) {
  using nlohmann::json;
  std::string t = "name: boot\n";
  t += "board: " + json(board_file).dump() + "\n";
  t += "firmware: " + json(s.firmware).dump() + "\n";
  t += "seed: " + std::to_string(s.seed) + "\n";
  t += "time-limit: " + ns_text(s.duration_ns + 1'000'000'000ull) + "\n";
  t += std::string("semihosting: ") + (s.semihosting ? "true" : "false") + "\n";
  if (!s.net_bridge.empty()) t += "network-bridge: " + json(s.net_bridge).dump() + "\n";
  t += "steps:\n";
  std::uint64_t now = 0;
  for (const BootSession::TimedInput& in : s.inputs) {
    if (in.at_ns > s.duration_ns) break;
    if (in.at_ns > now) t += "  - delay: " + ns_text(in.at_ns - now) + "\n";
    now = std::max(now, in.at_ns);
    if (in.uart) t += "  - write-serial: {uart: " + json(in.target).dump() + ", text: " + json(in.text).dump() + "}\n";
    else t += "  - set-control: {pin: " + json(in.target).dump() + ", value: " + (in.level ? "1" : "0") + "}\n";
  }
  t += "  - delay: " + ns_text(s.duration_ns - std::min(now, s.duration_ns)) + "\n";
  return t;
}

}  // namespace

int run_boot_session(const BootSession& s) {
  scen::LoadOptions lo;
  lo.source_root = HILSIM_SOURCE_DIR;
  lo.build_root = default_build_dir();
  const std::string board_file = emu::resolve_board_path(s.board, HILSIM_SOURCE_DIR);
  emu::Loaded<scen::Scenario> sc = scen::load_scenario_from_string(scenario_text(s, board_file), "<boot>", lo);
  if (!sc) {
    std::fprintf(stderr, "hilsim boot: %s\n", sc.error().c_str());
    return 2;
  }
  scen::RunOptions ro;
  std::unique_ptr<scen::rec::Recorder> recorder;
  if (!s.record.empty()) {
    recorder = open_recorder("boot", s.record, s.checkpoint_every, lo.build_root, std::nullopt);
    if (!recorder) return 2;
    ro.session = recorder.get();
  }
  scen::Timeline::Sink sink;
  if (!s.quiet)
    sink = [](const std::string& line) {
      std::fputs(line.c_str(), stdout);
      std::fflush(stdout);
    };
  scen::ScenarioResult r = scen::run_scenario(*sc, ro, sink);
  if (r.status == scen::ScenarioResult::Status::Error) {
    std::fprintf(stderr, "hilsim boot: %s\n", r.error.c_str());
    return 2;
  }
  if (s.quiet && r.failure) std::fputs(scen::format_failure(*r.failure, "<boot>").c_str(), stdout);
  std::printf("\n--- hilsim boot summary ---\n");
  std::printf("virtual time  %.6f s\n", r.virtual_seconds);
  std::printf("trace hash    %016llx (%llu events)\n", static_cast<unsigned long long>(r.trace_hash),
              static_cast<unsigned long long>(r.trace_events));
  if (recorder && !report_recording("boot", *recorder)) return 2;
  return r.failure ? 1 : 0;
}

}  // namespace hilsim::cli
