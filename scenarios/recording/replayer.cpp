// Replay of a recorded session (replayer.h).
// Index: [sources] firmware, board, releases · [session] the driver · [divergence] narrowing ·
// [replay] the two passes · [report] text.
#include "scenarios/recording/replayer.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "scenarios/network.h"
#include "scenarios/recording/live_peer.h"
#include "scenarios/runner.h"
#include "scenarios/args.h"
#include "scenarios/text_util.h"

namespace hilsim::scen::rec {

namespace {


Sha256 sha_of_file(const std::string& path) {
  std::string error;
  const std::string bytes = read_file(path, error);
  return sha256_of({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

std::string stamp_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f s", seconds);
  return buf;
}

// ===== [sources] =============================================================================

struct Sources {
  std::string board, firmware, error;
  std::vector<std::string> notes;
  std::map<std::string, std::vector<std::uint8_t>> bundles;  // --release replacements by version
};

Sources find_sources(const Recording& rec, const ReplayOptions& o) {
  Sources s;
  const Identity& id = rec.identity;
  // Board: where it was, else the board of that name in this source tree.
  s.board = file_exists(id.board_file) ? id.board_file : o.source_root + "/boards/" + id.board_name + "/board.yaml";
  if (!file_exists(s.board)) {
    s.error = "the recorded board " + id.board_name + " is neither at " + id.board_file + " nor at " + s.board;
    return s;
  }
  if (sha_of_file(s.board) != id.board_sha)
    s.notes.push_back("board file " + s.board + " differs from the recorded one (the machine may differ)");

  // Firmware: --firmware replaces it; else the recorded file, or the same file under this build.
  if (!o.firmware.empty()) {
    if (!file_exists(o.firmware)) {
      s.error = "--firmware " + o.firmware + ": no such file";
      return s;
    }
    char buf[PATH_MAX];
    s.firmware = ::realpath(o.firmware.c_str(), buf) ? std::string(buf) : o.firmware;
    const bool same = sha_of_file(o.firmware) == id.firmware_sha;
    s.notes.push_back("firmware " + o.firmware + (same ? " (the recorded build)" : " replaces the recorded build (sha256 " + hex(id.firmware_sha).substr(0, 16) + "...)"));
  } else {
    std::vector<std::string> candidates = {id.firmware_file};
    if (!id.firmware_in_build.empty()) candidates.push_back(o.build_dir + "/" + id.firmware_in_build);
    std::string changed;
    for (const std::string& c : candidates) {
      if (!file_exists(c)) continue;
      if (sha_of_file(c) == id.firmware_sha) {
        s.firmware = c;
        break;
      }
      if (changed.empty()) changed = c;
    }
    if (s.firmware.empty()) {
      s.error = changed.empty()
                    ? "the recorded firmware is not at " + join(candidates) + "; give --firmware ELF"
                    : "firmware " + changed + " has changed since the recording (its sha256 is not " +
                          hex(id.firmware_sha).substr(0, 16) + "...); pass --firmware " + changed +
                          " to replay against this build and see where it diverges";
      return s;
    }
  }

  // Releases given anew.
  const std::string key = board_dev_key(o.source_root, id.board_name);
  for (const auto& [version, file] : o.releases) {
    bool recorded = false;
    for (const ReleaseRecord& r : rec.releases) recorded = recorded || r.version == version;
    if (!recorded) {
      s.error = "--release " + version + "=" + file + ": the recording never publishes " + version;
      return s;
    }
    std::string error;
    std::vector<std::uint8_t> bundle = bundle_from_file(file, version, key, error);
    if (!error.empty()) {
      s.error = "--release " + version + "=" + file + ": " + error;
      return s;
    }
    s.notes.push_back("release " + version + " from " + file + " replaces the recorded one");
    s.bundles[version] = std::move(bundle);
  }
  return s;
}

// The machine's set-up as a scenario with no steps: the replay drives it (RunOptions::drive).
emu::Loaded<Scenario> replay_scenario(const Recording& rec, const Sources& s, const ReplayOptions& o) {
  const Identity& id = rec.identity;
  emu::Ticks last = rec.end.at;
  for (const auto& item : rec.timeline)
    last = std::max(last, item.index() == 0 ? std::get<Input>(item).at : std::get<Checkpoint>(item).at);
  const std::uint64_t limit_ns = static_cast<std::uint64_t>(static_cast<double>(last) / static_cast<double>(id.clock_hz) * 1e9) +
                                 10'000'000'000ull;
  using nlohmann::json;
  std::string text = "name: " + json(id.scenario_name.empty() ? "replay" : id.scenario_name).dump() + "\n";
  text += "board: " + json(s.board).dump() + "\n";
  text += "firmware: " + json(s.firmware).dump() + "\n";
  text += "seed: " + std::to_string(id.seed) + "\n";
  text += "time-limit: " + std::to_string(limit_ns) + "ns\n";
  text += std::string("semihosting: ") + (id.semihosting ? "true" : "false") + "\n";
  text += std::string("on-bkpt: ") + (id.resume_after_bkpt ? "resume" : "halt") + "\n";
  if (!id.network_bridge.empty()) text += "network-bridge: " + json(id.network_bridge).dump() + "\n";
  if (rec.image)
    text += "flash-image: {file: " + json(o.recording + ".image").dump() + ", region: " + json(rec.image->region).dump() +
            ", reflash: " + (rec.image->reflash ? "true" : "false") + "}\n";
  text += "steps:\n  - delay: 0s\n";
  LoadOptions lo;
  lo.source_root = o.source_root;
  lo.build_root = o.build_dir;
  return load_scenario_from_string(text, o.recording, lo);
}

// ===== [session] =============================================================================

// Drives one pass of the replay. Full pass: every item, checkpoints compared, stops at the first
// that differs. Stop pass: items before `stop_item` with times up to `stop_at`, then runs to
// `stop_at` and captures the machine there.
class ReplaySession final : public RunObserver {
 public:
  ReplaySession(const Recording& rec, const Sources& sources) : rec_(rec), sources_(sources) {}

  void stop_at(std::size_t item, emu::Ticks at) {
    stop_item_ = item;
    stop_at_ = at;
  }

  void attached(RunContext& ctx) override {
    streams_.attach(ctx);
    if (!rec_.identity.network_bridge.empty()) {
      peers_ = std::make_shared<PeerReplayer>(rec_.peer_events);
      network_state(ctx).replay_live = peers_;
    }
  }

  std::optional<Failure> drive(RunContext& ctx);

  // Results.
  std::size_t inputs = 0, matched = 0;
  std::optional<std::size_t> mismatch;  // timeline index of the first checkpoint that differs
  std::vector<std::string> notes;
  std::array<std::vector<StreamEvent>, kStreamCount> seen;  // the mismatching interval's events
  std::string pc, snapshot_error;
  std::vector<std::string> seen_lines;
  std::vector<std::uint8_t> snapshot;
  std::uint64_t trace_hash = 0;
  emu::Ticks end = 0;
  std::vector<std::string> uart_names;

 private:
  void install_releases(RunContext& ctx, std::size_t upto);

  const Recording& rec_;
  const Sources& sources_;
  SessionStreams streams_;
  std::shared_ptr<PeerReplayer> peers_;
  std::size_t next_release_ = 0;
  std::optional<std::size_t> stop_item_;
  emu::Ticks stop_at_ = 0;
};

void ReplaySession::install_releases(RunContext& ctx, std::size_t upto) {
  NetworkState& st = network_state(ctx);
  for (; next_release_ < rec_.releases.size() && rec_.releases[next_release_].position <= upto; ++next_release_) {
    const ReleaseRecord& r = rec_.releases[next_release_];
    auto replaced = sources_.bundles.find(r.version);
    st.bundles[r.version] = replaced != sources_.bundles.end() ? replaced->second : r.bundle;
  }
}

std::optional<Failure> ReplaySession::drive(RunContext& ctx) {
  uart_names = streams_.uart_names();
  auto never = [] { return false; };
  auto run_to = [&](emu::Ticks t) {
    return ctx.now() < t && ctx.wait_until(t, never) == RunContext::Wait::Stopped;
  };
  for (std::size_t i = 0; i < rec_.timeline.size(); ++i) {
    const auto& item = rec_.timeline[i];
    const bool is_input = item.index() == 0;
    const emu::Ticks at = is_input ? std::get<Input>(item).at : std::get<Checkpoint>(item).at;
    if (stop_item_ && (i >= *stop_item_ || at > stop_at_)) break;
    install_releases(ctx, i);
    if (run_to(at)) return ctx.violation();
    if (is_input) {
      const Input& in = std::get<Input>(item);
      ++inputs;
      if (std::string err = apply_input(ctx, in); !err.empty()) {
        notes.push_back("input " + std::to_string(inputs) + " (" + describe(in) + ") at " +
                        stamp_text(ctx.seconds(in.at)) + " could not be applied: " + err);
        ctx.note("replay", notes.back());
      }
      continue;
    }
    if (stop_item_) {
      streams_.start_interval();
      continue;
    }
    const Checkpoint& cp = std::get<Checkpoint>(item);
    bool same = true;
    for (std::size_t s = 0; s < kStreamCount; ++s) same = same && streams_.sum(static_cast<Stream>(s)) == cp.sums[s];
    if (!same) {
      mismatch = i;
      for (std::size_t s = 0; s < kStreamCount; ++s) seen[s] = streams_.interval(static_cast<Stream>(s));
      return std::nullopt;
    }
    ++matched;
    streams_.start_interval();
  }
  if (stop_item_) {
    run_to(stop_at_);
    emu::Machine& m = ctx.machine();
    pc = !m.powered() ? "(powered off)" : m.symbols().format(m.pc() & ~1u);
    seen_lines = ctx.last_uart_lines(8);
    snapshot = m.save_snapshot();
    return std::nullopt;
  }
  if (run_to(rec_.end.at)) return ctx.violation();
  end = ctx.now();
  trace_hash = ctx.machine().trace_hash();
  return std::nullopt;
}

// ===== [divergence] ==========================================================================

struct FirstDifference {
  Stream stream;
  emu::Ticks at;
  std::size_t index;
};

// The UART lines of the recording up to `until`, as the timeline prints them.
std::vector<std::string> recorded_lines(const Recording& rec, std::size_t upto_item, emu::Ticks until,
                                        const std::vector<std::string>& names, std::size_t n) {
  std::map<std::uint64_t, std::string> partial;
  std::map<std::uint64_t, emu::Ticks> partial_at;
  struct Line {
    emu::Ticks at;
    std::string text;
  };
  std::vector<Line> lines;
  const double hz = static_cast<double>(rec.identity.clock_hz);
  auto line = [&](emu::Ticks at, std::uint64_t uart, const std::string& text) {
    char stamp[64];
    std::string name = uart < names.size() ? names[uart] : "uart#" + std::to_string(uart);
    std::snprintf(stamp, sizeof stamp, "[%11.6f s] %-6s ", static_cast<double>(at) / hz, name.c_str());
    lines.push_back({at, stamp + text});
  };
  for (std::size_t i = 0; i <= upto_item && i < rec.timeline.size(); ++i) {
    if (rec.timeline[i].index() != 1) continue;
    std::array<std::vector<StreamEvent>, kStreamCount> ev;
    if (!interval_events(std::get<Checkpoint>(rec.timeline[i]), ev).empty()) break;
    for (const StreamEvent& e : ev[static_cast<std::size_t>(Stream::Uart)]) {
      if (e.at > until) break;
      if (e.b == '\n') {
        line(e.at, e.a, partial[e.a]);
        partial.erase(e.a);
      } else if (e.b != '\r') {
        partial[e.a] += static_cast<char>(e.b);
      }
    }
  }
  for (const auto& [uart, text] : partial)
    if (!text.empty()) line(until, uart, text + "  (no newline yet)");
  std::vector<std::string> out;
  for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out.push_back(lines[i].text);
  return out;
}

// Finds the first differing event of each differing stream in the mismatching interval.
std::string narrow(const Recording& rec, std::size_t item, const ReplaySession& s, Divergence& d,
                   const emu::SymbolTable* symbols) {
  const Checkpoint& cp = std::get<Checkpoint>(rec.timeline[item]);
  std::array<std::vector<StreamEvent>, kStreamCount> expected;
  if (std::string err = interval_events(cp, expected); !err.empty()) return "the recorded checkpoint cannot be read: " + err;
  std::vector<FirstDifference> diffs;
  for (std::size_t k = 0; k < kStreamCount; ++k) {
    const auto& e = expected[k];
    const auto& v = s.seen[k];
    std::size_t j = 0;
    while (j < e.size() && j < v.size() && same_event(static_cast<Stream>(k), e[j], v[j])) ++j;
    if (j == e.size() && j == v.size()) continue;
    emu::Ticks at = emu::kNever;
    if (j < e.size()) at = std::min(at, e[j].at);
    if (j < v.size()) at = std::min(at, v[j].at);
    diffs.push_back({static_cast<Stream>(k), at, j});
  }
  if (diffs.empty()) return "the checkpoint's hashes differ but its events are the same (a recording made by a buggy hilsim?)";
  std::stable_sort(diffs.begin(), diffs.end(), [](const FirstDifference& a, const FirstDifference& b) { return a.at < b.at; });
  const FirstDifference& first = diffs.front();
  const auto k = static_cast<std::size_t>(first.stream);
  const double hz = static_cast<double>(rec.identity.clock_hz);
  auto side = [&](const std::vector<StreamEvent>& v) {
    if (first.index >= v.size()) return std::string("nothing (no more ") + to_string(first.stream) + " events before the checkpoint)";
    return describe(first.stream, v[first.index], s.uart_names, symbols) + " at " + stamp_text(static_cast<double>(v[first.index].at) / hz);
  };
  d.at = first.at;
  d.seconds = static_cast<double>(first.at) / hz;
  d.stream = first.stream;
  d.expected = side(expected[k]);
  d.seen = side(s.seen[k]);
  for (std::size_t i = 1; i < diffs.size(); ++i) {
    const auto& o = diffs[i];
    const auto& ev = expected[static_cast<std::size_t>(o.stream)];
    const auto& sv = s.seen[static_cast<std::size_t>(o.stream)];
    auto brief = [&](const std::vector<StreamEvent>& v) {
      return o.index < v.size() ? describe(o.stream, v[o.index], s.uart_names, symbols) + " at " +
                                      stamp_text(static_cast<double>(v[o.index].at) / hz)
                                : std::string("nothing");
    };
    d.also.push_back(std::string(to_string(o.stream)) + ": expected " + brief(ev) + ", seen " + brief(sv));
  }
  return {};
}

}  // namespace

// ===== [replay] ==============================================================================

ReplayResult replay(const ReplayOptions& o, Timeline::Sink sink) {
  ReplayResult result;
  emu::Loaded<Recording> loaded = read_recording(o.recording);
  if (!loaded) {
    result.error = loaded.error();
    return result;
  }
  const Recording& rec = *loaded;
  result.recorded_trace_hash = rec.end.trace_hash;
  for (const auto& item : rec.timeline) item.index() == 0 ? ++result.inputs : ++result.checkpoints;
  Sources sources = find_sources(rec, o);
  if (!sources.error.empty()) {
    result.error = o.recording + ": " + sources.error;
    return result;
  }
  result.notes = sources.notes;
  emu::Loaded<Scenario> sc = replay_scenario(rec, sources, o);
  if (!sc) {
    result.error = sc.error();
    return result;
  }

  auto pass = [&](ReplaySession& session, Timeline::Sink out) {
    RunOptions ro;
    ro.session = &session;
    ro.drive = [&session](RunContext& ctx) { return session.drive(ctx); };
    if (rec.image) ro.flash_image_bytes = rec.image->file;
    return run_scenario(*sc, ro, std::move(out));
  };

  ReplaySession full(rec, sources);
  ScenarioResult run = pass(full, sink);
  result.timeline = run.timeline;
  for (const std::string& n : full.notes) result.notes.push_back(n);
  if (run.status == ScenarioResult::Status::Error) {
    result.error = run.error;
    return result;
  }
  result.checkpoints_matched = full.matched;
  if (run.failure) {
    result.error = "the replay stopped: " + run.failure->what + ": " + run.failure->seen;
    return result;
  }
  if (!full.mismatch) {
    result.end = full.end;
    result.end_seconds = static_cast<double>(full.end) / static_cast<double>(rec.identity.clock_hz);
    result.trace_hash = full.trace_hash;
    result.status = full.trace_hash == rec.end.trace_hash ? ReplayResult::Status::Identical : ReplayResult::Status::Diverged;
    if (result.status == ReplayResult::Status::Diverged) {
      Divergence d;
      d.at = full.end;
      d.seconds = result.end_seconds;
      d.stream = Stream::Mmio;
      d.checkpoint = result.checkpoints;
      d.expected = "trace hash " + std::to_string(rec.end.trace_hash);
      d.seen = "trace hash " + std::to_string(full.trace_hash) + " (every checkpoint matched)";
      result.divergence = d;
    }
    return result;
  }

  // Narrow the first differing checkpoint to its first differing event, then stop a second
  // pass there to see the machine.
  Divergence d;
  std::size_t k = 0;
  for (std::size_t i = 0; i <= *full.mismatch; ++i) k += rec.timeline[i].index() == 1;
  d.checkpoint = k;
  d.checkpoint_seconds = static_cast<double>(std::get<Checkpoint>(rec.timeline[*full.mismatch]).at) /
                         static_cast<double>(rec.identity.clock_hz);
  auto elf = emu::load_elf(sources.firmware);
  emu::SymbolTable symbols;
  if (elf) symbols = emu::SymbolTable(elf->symbols);
  if (std::string err = narrow(rec, *full.mismatch, full, d, elf ? &symbols : nullptr); !err.empty()) {
    result.error = err;
    return result;
  }
  d.expected_lines = recorded_lines(rec, *full.mismatch, d.at, full.uart_names, 8);
  ReplaySession stop(rec, sources);
  stop.stop_at(*full.mismatch, d.at);
  pass(stop, nullptr);  // quiet: the first pass printed the timeline
  d.pc = stop.pc;
  d.seen_lines = stop.seen_lines;
  d.snapshot = o.snapshot_out.empty() ? o.recording + ".divergence.snapshot" : o.snapshot_out;
  if (std::FILE* f = std::fopen(d.snapshot.c_str(), "wb")) {
    bool ok = std::fwrite(stop.snapshot.data(), 1, stop.snapshot.size(), f) == stop.snapshot.size();
    if (std::fclose(f) != 0 || !ok) d.snapshot.clear();
  } else {
    d.snapshot.clear();
  }
  result.divergence = d;
  result.status = ReplayResult::Status::Diverged;
  return result;
}

// ===== [report] ==============================================================================

std::string format_recording_info(const Recording& rec) {
  const Identity& id = rec.identity;
  const double hz = static_cast<double>(id.clock_hz);
  char buf[256];
  std::string s = "recording   " + rec.file + " (format " + std::to_string(kFormatVersion) + ", written by " + id.writer + ")\n";
  s += "scenario    " + id.scenario_name + " (" + id.scenario_file + ")\n";
  s += "board       " + id.board_name + " " + id.board_file + " sha256 " + hex(id.board_sha) + "\n";
  s += "firmware    " + id.firmware_file + " sha256 " + hex(id.firmware_sha) + "\n";
  s += "seed        " + std::to_string(id.seed) + (id.network_bridge.empty() ? "" : ", network bridge " + id.network_bridge) + "\n";
  for (const ReleaseRecord& r : rec.releases)
    s += "release     " + r.version + ": " + std::to_string(r.bundle.size()) + " bytes, sha256 " + hex(sha256_of(r.bundle)) + "\n";
  if (rec.image) s += "flash image " + rec.image->region + ", " + std::to_string(rec.image->file.size()) + " bytes\n";
  std::size_t checkpoints = 0;
  for (const auto& item : rec.timeline) {
    if (item.index() == 1) {
      ++checkpoints;
      continue;
    }
    const Input& in = std::get<Input>(item);
    std::snprintf(buf, sizeof buf, "input       [%11.6f s] %-16s ", static_cast<double>(in.at) / hz, to_string(in.kind));
    s += buf + describe(in) + "\n";
  }
  emu::Ticks last = rec.end.at;  // a restore takes time back: the furthest point is the span run
  for (const auto& item : rec.timeline)
    last = std::max(last, item.index() == 0 ? std::get<Input>(item).at : std::get<Checkpoint>(item).at);
  const double seconds = static_cast<double>(last) / hz;
  std::snprintf(buf, sizeof buf, "end         %.6f s virtual, trace hash %016llx (%llu events), %s\n", static_cast<double>(rec.end.at) / hz,
                static_cast<unsigned long long>(rec.end.trace_hash), static_cast<unsigned long long>(rec.end.trace_events),
                rec.end.outcome.c_str());
  s += buf;
  std::snprintf(buf, sizeof buf, "contents    %zu checkpoints (every %.3f ms), %zu peer answers, %llu bytes = %.0f bytes per virtual minute run\n",
                checkpoints, static_cast<double>(id.checkpoint_every) / hz * 1e3, rec.peer_events.size(),
                static_cast<unsigned long long>(rec.bytes), seconds > 0 ? static_cast<double>(rec.bytes) / seconds * 60 : 0.0);
  return s + buf;
}

std::string format_replay(const ReplayResult& r, const std::string& recording) {
  std::string s;
  for (const std::string& n : r.notes) s += "note: " + n + "\n";
  if (r.status == ReplayResult::Status::Error) return s + "ERROR  " + r.error + "\n";
  char buf[256];
  if (r.status == ReplayResult::Status::Identical) {
    std::snprintf(buf, sizeof buf,
                  "IDENTICAL  %s: %zu inputs replayed, %zu/%zu checkpoints match, %.6f s virtual, trace hash %016llx\n",
                  recording.c_str(), r.inputs, r.checkpoints_matched, r.checkpoints, r.end_seconds,
                  static_cast<unsigned long long>(r.trace_hash));
    return s + buf;
  }
  const Divergence& d = *r.divergence;
  std::snprintf(buf, sizeof buf, "DIVERGED   %s at %.6f s, stream %s (checkpoint %zu of %zu, at %.6f s; %zu before it match)\n",
                recording.c_str(), d.seconds, to_string(d.stream), d.checkpoint, r.checkpoints, d.checkpoint_seconds,
                r.checkpoints_matched);
  s += buf;
  s += "  expected: " + d.expected + "\n";
  s += "  seen:     " + d.seen + "\n";
  if (!d.pc.empty()) s += "  pc:       " + d.pc + " (the replay's CPU at that time)\n";
  for (const std::string& a : d.also) s += "  also:     " + a + "\n";
  s += "  last UART lines, recorded:\n";
  for (const std::string& l : d.expected_lines) s += "    " + l + "\n";
  if (d.expected_lines.empty()) s += "    (none)\n";
  s += "  last UART lines, replayed:\n";
  for (const std::string& l : d.seen_lines) s += "    " + l + "\n";
  if (d.seen_lines.empty()) s += "    (none)\n";
  if (!d.snapshot.empty())
    s += "  snapshot: " + d.snapshot + " (open it: hilsim boot --snapshot " + d.snapshot + " ..., or in the panel)\n";
  return s;
}

}  // namespace hilsim::scen::rec
