// Replay (docs/recording-format.md, "Replay"): rebuilds the recorded machine, applies every
// recorded input at its virtual time with no real peer or user, and compares each checkpoint's
// stream hashes. Identical: every checkpoint and the final trace hash match. Against a new
// build (--firmware, --release) the first checkpoint that differs is narrowed to the first
// differing event of any stream; a second pass stops the machine there to report the PC and
// the UART of both runs, and saves a machine snapshot at that moment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/recording/format.h"
#include "scenarios/timeline.h"

namespace hilsim::scen::rec {

struct ReplayOptions {
  std::string recording;
  std::string firmware;                          // replay against this ELF instead of the recorded one
  std::map<std::string, std::string> releases;   // version -> script (.py, packed with the board's dev key) or .bundle
  std::string source_root, build_dir;            // where boards and ${build} are
  std::string snapshot_out;                      // where to save the snapshot at a divergence ("" = next to the recording)
};

struct Divergence {
  emu::Ticks at = 0;
  double seconds = 0;
  Stream stream = Stream::Uart;
  std::size_t checkpoint = 0;  // 1-based: the first checkpoint whose hashes differ
  double checkpoint_seconds = 0;
  std::string expected, seen;  // the first differing event of `stream`, both sides
  std::string pc;              // where the replay's CPU was at `at`, with its symbol
  std::vector<std::string> also;  // other streams that differ in that interval, first event time
  std::vector<std::string> expected_lines, seen_lines;  // last UART lines of both runs up to `at`
  std::string snapshot;        // the saved snapshot ("" if it could not be written)
};

struct ReplayResult {
  enum class Status { Identical, Diverged, Error };
  Status status = Status::Error;
  std::string error;                  // Error: why the replay could not run
  std::vector<std::string> notes;     // what was replaced (firmware, releases), warnings
  std::size_t inputs = 0, checkpoints = 0, checkpoints_matched = 0;
  emu::Ticks end = 0;
  double end_seconds = 0;
  std::uint64_t trace_hash = 0, recorded_trace_hash = 0;
  std::optional<Divergence> divergence;
  std::string timeline;
};

ReplayResult replay(const ReplayOptions& options, Timeline::Sink sink);
// What a recording holds (hilsim replay --info): identities, releases, inputs, size.
std::string format_recording_info(const Recording& recording);
// The result as the command line prints it.
std::string format_replay(const ReplayResult& result, const std::string& recording);

}  // namespace hilsim::scen::rec
