// The session recorder (recorder.h).
#include "scenarios/recording/recorder.h"

#include <climits>
#include <cstdlib>

#include "scenarios/network.h"
#include "scenarios/recording/live_peer.h"
#include "scenarios/text_util.h"

namespace hilsim::scen::rec {

namespace {

// A file's bytes ("" if it cannot be read: the digest then names an empty file).
std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::string error;
  const std::string bytes = read_file(path, error);
  return {bytes.begin(), bytes.end()};
}
std::string absolute(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

}  // namespace

Identity identity_of(const Scenario& sc, const std::string& build_dir, std::uint64_t seed) {
  Identity id;
  id.writer = "hilsim " HILSIM_VERSION;
  id.scenario_name = sc.name;
  id.scenario_file = sc.file;
  id.board_name = sc.board.name;
  id.board_file = absolute(sc.board.file);
  id.board_sha = sha256_of(file_bytes(sc.board.file));
  id.firmware_file = absolute(sc.firmware->file);
  id.firmware_sha = sha256_of(file_bytes(sc.firmware->file));
  if (!build_dir.empty()) {
    const std::string root = absolute(build_dir) + "/";
    if (id.firmware_file.compare(0, root.size(), root) == 0) id.firmware_in_build = id.firmware_file.substr(root.size());
  }
  id.seed = seed;
  id.clock_hz = sc.board.clock_hz;
  id.semihosting = sc.semihosting;
  id.resume_after_bkpt = sc.resume_after_bkpt;
  id.network_bridge = sc.network_bridge.text;
  return id;
}

Recorder::~Recorder() { *alive_ = false; }

std::string Recorder::open() {
  error_ = out_.open(o_.path);
  return error_;
}

void Recorder::attached(RunContext& ctx) {
  ctx_ = &ctx;
  emu::Machine& m = ctx.machine();
  every_ = std::max<emu::Ticks>(1, m.ticks_from_ns(o_.checkpoint_every_ns));
  Identity id = identity_of(ctx.scenario(), o_.build_dir, o_.seed.value_or(ctx.scenario().seed));
  id.checkpoint_every = every_;
  out_.identity(id);
  const FlashImage& fi = ctx.scenario().flash_image;
  if (fi.present) {
    std::vector<std::uint8_t> bytes = file_bytes(fi.file);
    if (!bytes.empty()) out_.image({fi.region, fi.reflash, std::move(bytes)});
  }
  streams_.attach(ctx);
  ctx.set_input_sink([this](const Input& in) { on_input(*ctx_, in); });
  NetworkState& st = network_state(ctx);
  st.wrap_live = [this, alive = alive_](std::shared_ptr<periph::NetBackend> real) -> std::shared_ptr<periph::NetBackend> {
    return std::make_shared<PeerRecorder>(std::move(real), [this, alive](const PeerEvent& e) {
      if (!*alive || finished_) return;
      out_.peer(e);
      ++peer_events_;
    });
  };
  next_checkpoint_ = m.now() + every_;
  schedule_checkpoint(ctx);
}

void Recorder::on_input(RunContext& ctx, const Input& in) {
  if (finished_) return;
  if (in.kind == Input::Kind::Publish) {
    // The bundle goes into the recording the first time it is published (or when it changed:
    // the panel can publish a version again from another file).
    NetworkState& st = network_state(ctx);
    auto it = st.bundles.find(in.name);
    if (it != st.bundles.end()) {
      Sha256 digest = sha256_of(it->second);
      auto w = releases_written_.find(in.name);
      if (w == releases_written_.end() || w->second != digest) {
        out_.release({in.name, it->second});
        releases_written_[in.name] = digest;
      }
    }
  }
  out_.input(in);
  ++inputs_;
}

void Recorder::schedule_checkpoint(RunContext& ctx) {
  ctx.schedule(next_checkpoint_, "recording checkpoint", [this, alive = alive_] {
    if (!*alive || finished_ || !ctx_) return;
    checkpoint(*ctx_);
    next_checkpoint_ = ctx_->now() + every_;
    schedule_checkpoint(*ctx_);
  }, true);
}

void Recorder::checkpoint(RunContext& ctx) {
  std::array<StreamSum, kStreamCount> sums;
  std::array<const std::vector<StreamEvent>*, kStreamCount> events;
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    sums[i] = streams_.sum(static_cast<Stream>(i));
    events[i] = &streams_.interval(static_cast<Stream>(i));
  }
  out_.checkpoint(ctx.now(), sums, events);
  streams_.start_interval();
  ++checkpoints_;
}

void Recorder::steps_done(RunContext& ctx, const std::optional<Failure>& failure) {
  finish(ctx, failure ? "failed: " + failure->what + ": expected " + failure->expected + ", seen " + failure->seen : "passed");
}

std::string Recorder::finish(RunContext& ctx, const std::string& outcome) {
  if (finished_) return error_;
  checkpoint(ctx);  // the last one, at the end: replay compares the whole run
  finished_ = true;
  streams_.detach();
  ctx.set_input_sink(nullptr);
  EndRecord end;
  end.at = ctx.now();
  end.trace_hash = ctx.machine().trace_hash();
  end.trace_events = ctx.machine().trace_events();
  end.inputs = inputs_;
  end.checkpoints = checkpoints_;
  end.peer_events = peer_events_;
  end.outcome = outcome;
  std::string err = out_.close(end);
  if (error_.empty()) error_ = err;
  return error_;
}

}  // namespace hilsim::scen::rec
