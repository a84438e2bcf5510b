// `hilsim replay`: replays a session recording (docs/recording-format.md) with no real peer or
// user and checks every checkpoint; with --firmware/--release, against a new build, reporting
// the first event where it diverges. Exit code: 0 identical · 1 diverged · 2 error (a bad,
// truncated or future recording, a missing firmware).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/recording/replayer.h"
#include "tools/cli.h"

namespace hilsim::cli {

namespace {

struct ReplayCommandOptions {
  std::string recording, firmware, snapshot_out, build_dir;
  std::vector<std::string> releases;
  bool quiet = false, info = false;
};

int replay_command(const ReplayCommandOptions& o) {
  if (o.info) {
    emu::Loaded<scen::rec::Recording> rec = scen::rec::read_recording(o.recording);
    if (!rec) {
      std::fprintf(stderr, "hilsim replay: %s\n", rec.error().c_str());
      return 2;
    }
    std::fputs(scen::rec::format_recording_info(*rec).c_str(), stdout);
    return 0;
  }
  scen::rec::ReplayOptions ro;
  ro.recording = o.recording;
  ro.firmware = o.firmware;
  ro.snapshot_out = o.snapshot_out;
  ro.source_root = HILSIM_SOURCE_DIR;
  ro.build_dir = o.build_dir.empty() ? default_build_dir() : o.build_dir;
  for (const std::string& r : o.releases) {
    const std::size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size()) {
      std::fprintf(stderr, "hilsim replay: --release '%s': expected VERSION=FILE, e.g. 2.0.0=app_v2_fixed.py\n", r.c_str());
      return 2;
    }
    ro.releases[r.substr(0, eq)] = r.substr(eq + 1);
  }
  scen::Timeline::Sink sink;
  if (!o.quiet)
    sink = [](const std::string& line) {
      std::fputs(line.c_str(), stdout);
      std::fflush(stdout);
    };
  scen::rec::ReplayResult r = scen::rec::replay(ro, sink);
  std::fputs(("\n--- hilsim replay ---\n" + scen::rec::format_replay(r, o.recording)).c_str(), stdout);
  switch (r.status) {
    case scen::rec::ReplayResult::Status::Identical: return 0;
    case scen::rec::ReplayResult::Status::Diverged: return 1;
    case scen::rec::ReplayResult::Status::Error: return 2;
  }
  return 2;
}

}  // namespace

void add_replay_command(CLI::App& app) {
  auto opts = std::make_shared<ReplayCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Replay a session recording (run/boot --record) offline and check it; with --firmware or --release, "
                "find where a new build diverges (docs/recording-format.md)");
  cmd->add_option("recording", opts->recording, "the .hrec file")->required();
  cmd->add_option("--firmware", opts->firmware, "replay against this firmware ELF instead of the recorded build");
  cmd->add_option("--release", opts->releases,
                  "VERSION=FILE: serve this script (packed with the board's dev key) or .bundle for a recorded release; repeatable");
  cmd->add_option("--snapshot-out", opts->snapshot_out,
                  "where to save the machine snapshot at a divergence (default: RECORDING.divergence.snapshot)");
  cmd->add_option("--build-dir", opts->build_dir, "where the recorded firmware's build is (default: where hilsim is)");
  cmd->add_flag("--info", opts->info, "print what the recording holds (identities, releases, inputs, size) and exit");
  cmd->add_flag("--quiet,-q", opts->quiet, "print only the verdict, not the replayed timeline");
  cmd->callback([opts] {
    int code = replay_command(*opts);
    if (code != 0) throw Exit{code};
  });
}

}  // namespace hilsim::cli
