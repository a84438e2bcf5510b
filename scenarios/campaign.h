// Power-loss campaigns (scenarios/README.md, "Campaigns"): a scenario's `campaign:` sweeps a
// power cut over many points of its run — every flash operation inside a window of steps, every
// N of virtual time, or K seeded random times — with each interrupted operation resolved by
// each policy (before / after / torn); after each cut the device is powered on again and the
// campaign's `after` steps and invariants must hold.
//
// How a point is reached (the reason campaigns are fast): a discovery run first lists the
// points; then one more run of the scenario stops at each point and fork()s. The child process
// is a copy-on-write snapshot of everything at that instant (machine, scenario engine, update
// server); it cuts the power and judges the point, while the parent runs on to the next point.
// Children run `jobs` at a time. The `replay` method instead runs the scenario from power-on
// up to every point (the baseline the benchmark compares against). A failing point saves its
// machine snapshot (docs/snapshot-format.md) and prints a command that reruns exactly it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emulator/clock.h"
#include "scenarios/scenario.h"

namespace hilsim::scen {

struct CampaignPoint {
  int id = 0;                // 1-based, in the order of the run (trigger order, then policy order)
  int trigger = 0;           // 1-based: the flash operation or time this point cuts at
  std::string policy;        // before | after | torn | none (no flash operation in flight)
  emu::Ticks at = 0;         // when the power is cut
  double seconds = 0;
  std::string op;            // the interrupted operation, "program #1403 at 0x0006912c (4 bytes)", or ""
  std::string partition;     // where it writes ("" if none / outside every partition)
  std::string phase;         // "<firmware state> · <partition> <kind>": the summary's rows
  int step = 0;              // the scenario step that was running
};

struct PointResult {
  CampaignPoint point;
  bool passed = false;
  double end_seconds = 0;    // virtual time when the point was judged
  std::string failure;       // what failed, expected, seen, last UART lines ("" if passed)
  std::string snapshot;      // the machine snapshot saved for a failure ("" if none)
};

struct CampaignProgress {
  std::size_t done = 0, total = 0, failed = 0;
  double wall_seconds = 0;
};

struct CampaignOptions {
  int jobs = 1;                     // points judged at once (worker processes)
  int shard = 1, shards = 1;        // run the points with (id - 1) % shards == shard - 1
  std::string method = "fork";      // fork | replay (from power-on for every point)
  int sample = 1;                   // only every Nth point (benchmarks compare methods on a sample)
  std::optional<int> only_point;    // --point: judge this one in this process, keep its timeline
  std::string out_dir;              // failing points' snapshots go to <out_dir>/<name>-point-<id>.snap
  std::string reproduce_prefix;     // "hilsim campaign <file>": + " --point N" reruns one
  std::function<void(const CampaignProgress&)> progress;
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
};

struct CampaignResult {
  std::string name, file;
  std::string error;                 // could not run: the discovery run failed, or diverged
  std::vector<CampaignPoint> points;  // the whole campaign (every shard's)
  std::vector<PointResult> results;   // this shard's, by id
  int shard = 1, shards = 1;
  double wall_seconds = 0;
  std::string discovery_timeline;    // the discovery run, as `hilsim run` prints it
  std::string point_timeline;        // --point: the run up to and through that point
  std::string reproduce_prefix;
};

CampaignResult run_campaign(const Scenario& scenario, const CampaignOptions& options);

}  // namespace hilsim::scen
