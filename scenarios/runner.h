// Running scenarios: one Machine per scenario, its steps in order, invariants throughout,
// the flash image loaded before power-on and saved at the end, and on failure the evidence
// (time, expectation, what was seen, the last UART lines; with keep_failed_dir the flash image
// and a machine snapshot at the failing step). run_batch runs many files on N threads; each
// result is independent of the others and of the thread count (virtual time only).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/run_context.h"
#include "scenarios/scenario.h"
#include "scenarios/timeline.h"

namespace hilsim::scen {

struct StepRecord {
  int index = 0;
  std::string type, label;
  SourceMark mark;
  std::string status = "not-run";  // passed | failed | not-run
  double start = 0, end = 0;       // virtual seconds
  std::string note;
};

struct ScenarioResult {
  enum class Status { Passed, Failed, Error };  // Error: malformed file or could not start
  std::string name, file;
  Status status = Status::Error;
  std::string error;  // Error: the message (file:line:col: ...)
  std::string board;
  std::uint64_t seed = 0;
  double virtual_seconds = 0;
  std::uint64_t trace_hash = 0, trace_events = 0;
  std::vector<StepRecord> steps;
  std::optional<Failure> failure;
  std::vector<std::string> kept;  // files written for --keep-failed
  std::string timeline;           // everything the run printed
  std::string replay;             // a command line that reproduces the run
};
const char* to_string(ScenarioResult::Status status);  // passed | failed | error

// Watches a run from outside, on the running thread (the panel, gui/emulation.h). It may set
// the context's machine runner in attached() and serve its own user between steps.
struct RunObserver {
  virtual ~RunObserver() = default;
  virtual void attached(RunContext& ctx) {}  // after the run hooks, before power-on
  virtual void step_started(RunContext& ctx, const StepInstance& step, const std::string& head) {}
  virtual void step_finished(RunContext& ctx, std::size_t i, const StepRecord& record) {}
  // The steps are over (`failure`: why they stopped, if they failed); the context still lives.
  virtual void steps_done(RunContext& ctx, const std::optional<Failure>& failure) {}
};

struct RunOptions {
  std::string keep_failed_dir;          // "" = do not keep
  std::optional<std::uint64_t> seed;    // overrides the scenario's seed
  // --gdb: serve GDB's remote protocol for this run (one scenario at a time). The machine
  // waits for the debugger before its first instruction unless gdb_nowait.
  int gdb_port = -1;                    // -1: no GDB server; 0: any free port
  std::string gdb_listen = "127.0.0.1";
  bool gdb_nowait = false;
  std::function<void(const std::string&)> gdb_log;  // the server's lines (default: stderr)
  RunObserver* observer = nullptr;
  // The session recorder or replayer (scenarios/recording/): told like `observer`, but attached
  // before the run hooks, so it sees (or sets up) the first publish and the power-on.
  RunObserver* session = nullptr;
  // Replay (scenarios/recording/replayer.h): when set, runs instead of the steps and returns
  // why the session failed, if it did.
  std::function<std::optional<Failure>(RunContext&)> drive;
  // The flash-image file's bytes to use instead of reading `flash-image: file` (replay).
  std::optional<std::vector<std::uint8_t>> flash_image_bytes;
};

// Runs a loaded scenario; the timeline goes to `sink` as it happens (may be null).
ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options, Timeline::Sink sink);

// A step that did not pass, as a Failure at the current time: `what` names it, the core's stop
// reason (if any) is added to `seen`, and the last UART lines are attached. Campaigns use it
// for their `after` steps.
Failure step_failure(RunContext& ctx, const StepInstance& step, std::string what, std::string expected,
                     std::string seen);

// The failure block printed in the timeline and on the console.
std::string format_failure(const Failure& failure, const std::string& file);

struct BatchOptions {
  int jobs = 1;
  RunOptions run;
  LoadOptions load;
};
struct BatchCallbacks {
  std::function<void(std::size_t index)> started;
  // In completion order, one at a time (under a lock): print a scenario's block here.
  std::function<void(std::size_t index, const ScenarioResult& result)> finished;
  // Timeline lines as they happen, only when jobs == 1.
  Timeline::Sink live;
};
// Loads every file first (malformed ones become Error results), then runs the rest.
// Results are in the order of `files`.
std::vector<ScenarioResult> run_batch(const std::vector<std::string>& files, const BatchOptions& options,
                                      const BatchCallbacks& callbacks);

}  // namespace hilsim::scen
