// The session recorder (docs/recording-format.md): hooked into one run — a scenario
// (`hilsim run --record`), a boot session (`hilsim boot --record`) or the panel's record button —
// it writes every input with its virtual time, the identities of what ran (board, firmware,
// releases, flash image), answers of a live network peer, and a checkpoint every N of virtual
// time with each output stream's hash, count and events. Replay (replayer.h) reads it back.
//
// Attach before anything reaches the machine: RunOptions::session is attached by the runner
// before the run hooks, so the first publish and the power-on are recorded too.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "scenarios/recording/format.h"
#include "scenarios/recording/streams.h"
#include "scenarios/runner.h"

namespace hilsim::scen::rec {

struct RecorderOptions {
  std::string path;
  std::uint64_t checkpoint_every_ns = 100'000'000;  // 100 ms
  std::string build_dir;  // firmware under it is also named relative to it (replay elsewhere)
  std::optional<std::uint64_t> seed;  // the run's seed when it overrides the scenario's (--seed)
};

class Recorder final : public RunObserver {
 public:
  explicit Recorder(RecorderOptions options) : o_(std::move(options)) {}
  ~Recorder() override;

  // Opens the file; "" or why not. Call before the run.
  std::string open();
  // RunObserver: attached() is called before the run hooks (RunOptions::session).
  void attached(RunContext& ctx) override;
  void steps_done(RunContext& ctx, const std::optional<Failure>& failure) override;

  // Ends the recording now (the panel's stop button; a run that ends calls it itself).
  std::string finish(RunContext& ctx, const std::string& outcome);
  bool finished() const { return finished_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return o_.path; }
  std::uint64_t bytes() const { return out_.bytes_written(); }
  std::uint64_t inputs() const { return inputs_; }
  std::uint64_t checkpoints() const { return checkpoints_; }

 private:
  void on_input(RunContext& ctx, const Input& in);
  void schedule_checkpoint(RunContext& ctx);
  void checkpoint(RunContext& ctx);

  RecorderOptions o_;
  RecordingWriter out_;
  SessionStreams streams_;
  RunContext* ctx_ = nullptr;
  emu::Ticks every_ = 0, next_checkpoint_ = 0;
  std::map<std::string, Sha256> releases_written_;  // version -> bundle digest
  std::uint64_t inputs_ = 0, checkpoints_ = 0, peer_events_ = 0;
  bool finished_ = false;
  std::string error_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The identity of a scenario run (also what replay compares against).
Identity identity_of(const Scenario& sc, const std::string& build_dir, std::uint64_t seed);

}  // namespace hilsim::scen::rec
