// Running one scenario and batches of them (runner.h).
// Index: [one] run_scenario · [evidence] failure blocks, --keep-failed · [batch] run_batch.
#include "scenarios/runner.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "emulator/gdb_server.h"
#include "emulator/memory_image.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {

const char* to_string(ScenarioResult::Status status) {
  switch (status) {
    case ScenarioResult::Status::Passed: return "passed";
    case ScenarioResult::Status::Failed: return "failed";
    case ScenarioResult::Status::Error: return "error";
  }
  return "?";
}

namespace {

std::string hex64(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// ===== [evidence] ======================================================================

void keep_evidence(emu::Machine& m, const Scenario& sc, const std::string& dir, ScenarioResult& result,
                   RunContext& ctx) {
  std::string out = dir + "/" + sc.name;
  if (!make_dirs(out)) {
    ctx.note("keep", "cannot create " + out + ": " + std::strerror(errno));
    return;
  }
  for (const emu::MemoryRegion& r : sc.board.memory) {
    if (r.kind != emu::MemoryRegion::Kind::Flash || !r.alias_of.empty()) continue;
    std::string path = out + "/" + r.name + ".img";
    std::string err = emu::save_memory_image(m, r.name, path);
    if (err.empty()) result.kept.push_back(path);
    else ctx.note("keep", err);
  }
  std::string snap = out + "/snapshot.bin";
  std::vector<std::uint8_t> blob = m.save_snapshot();
  if (FILE* f = std::fopen(snap.c_str(), "wb")) {
    bool ok = std::fwrite(blob.data(), 1, blob.size(), f) == blob.size();
    ok = std::fclose(f) == 0 && ok;
    if (ok) result.kept.push_back(snap);
    else ctx.note("keep", snap + ": write failed");
  } else {
    ctx.note("keep", "cannot write " + snap + ": " + std::strerror(errno));
  }
  for (const std::string& path : result.kept) ctx.note("keep", path);
}

}  // namespace

Failure step_failure(RunContext& ctx, const StepInstance& st, std::string what, std::string expected,
                     std::string seen) {
  Failure f;
  f.at = ctx.now();
  f.seconds = ctx.seconds(f.at);
  f.step = st.index;
  f.step_type = st.type->name;
  f.what = std::move(what);
  f.mark = st.mark;
  f.expected = std::move(expected);
  f.seen = std::move(seen);
  if (!ctx.stopped().empty()) f.seen += " (the core has been stopped: " + ctx.stopped() + ")";
  f.last_lines = ctx.last_uart_lines(10);
  return f;
}

std::string format_failure(const Failure& f, const std::string& file) {
  std::string s = f.what + " at " + emu::format_mark(file, f.mark) + "\n";
  s += "expected: " + f.expected + "\n";
  s += "seen:     " + f.seen + "\n";
  if (f.last_lines.empty()) {
    s += "last UART lines: (none)\n";
  } else {
    s += "last UART lines:\n";
    for (const std::string& l : f.last_lines) s += "  " + l + "\n";
  }
  return s;
}

// ===== [one] ===========================================================================

ScenarioResult run_scenario(const Scenario& sc, const RunOptions& options, Timeline::Sink sink) {
  ScenarioResult result;
  result.name = sc.name;
  result.file = sc.file;
  result.board = sc.board.name;
  result.seed = options.seed.value_or(sc.seed);
  result.replay = "hilsim run " + sc.file + (options.seed ? " --seed " + std::to_string(*options.seed) : "");
  for (const StepInstance& st : sc.steps) {
    StepRecord rec;
    rec.index = st.index;
    rec.type = st.type->name;
    rec.label = st.label;
    rec.mark = st.mark;
    result.steps.push_back(rec);
  }
  Timeline tl(std::move(sink));
  auto finish_error = [&](const std::string& message) {
    result.status = ScenarioResult::Status::Error;
    result.error = message;
    tl.text("ERROR  " + sc.name + ": " + message);
    result.timeline = tl.transcript();
    return result;
  };

  tl.text("=== " + sc.name + " (" + sc.file + "): board " + sc.board.name + ", firmware " + sc.firmware_written +
          ", seed " + std::to_string(result.seed));
  emu::MachineOptions mo;
  mo.seed = result.seed;
  mo.semihosting = sc.semihosting;
  auto created = emu::Machine::create(sc.board, mo);
  if (!created) return finish_error(created.error());
  emu::Machine& m = **created;

  std::vector<std::string> image_notes;
  auto load_image = [&]() -> std::string {
    const FlashImage& fi = sc.flash_image;
    if (!fi.present) return {};
    if (options.flash_image_bytes) {
      emu::Loaded<emu::MemoryImage> img = emu::decode_memory_image(*options.flash_image_bytes, "the recorded flash image");
      if (!img) return img.error();
      emu::Machine::MemoryView view = m.memory(fi.region);
      if (img->region != fi.region || view.bytes == nullptr || img->bytes.size() != view.size)
        return "the recorded flash image does not fit region '" + fi.region + "'";
      std::copy(img->bytes.begin(), img->bytes.end(), view.bytes);
      m.memory_changed(view.base, view.size);
      image_notes.push_back("flash image loaded into '" + fi.region + "' from the recording");
      return {};
    }
    if (!file_exists(fi.file)) {
      if (fi.required)
        return emu::format_mark(sc.file, fi.mark) + ": flash-image " + quoted(fi.file_written) +
               " does not exist (if-missing: error)";
      image_notes.push_back("flash image " + fi.file_written + " does not exist yet: starting from the firmware alone");
      return {};
    }
    std::string err = emu::load_memory_image(m, fi.region, fi.file);
    if (!err.empty()) return emu::format_mark(sc.file, fi.mark) + ": flash-image: " + err;
    image_notes.push_back("flash image " + fi.file_written + " loaded into '" + fi.region + "'");
    return {};
  };
  if (sc.flash_image.reflash) {
    if (std::string err = load_image(); !err.empty()) return finish_error(err);
  }
  if (std::string err = m.load_firmware(*sc.firmware); !err.empty()) return finish_error(err);
  if (!sc.flash_image.reflash) {
    if (std::string err = load_image(); !err.empty()) return finish_error(err);
  }

  // `--gdb`: the machine runs inside the GDB server's loop (emulator/gdb_server.h), which
  // hands the scenario's own halts back and can stop before a step (monitor step-scenario).
  std::unique_ptr<emu::GdbServer> gdb;
  if (options.gdb_port >= 0) {
    emu::GdbServerOptions go;
    go.listen_address = options.gdb_listen;
    go.port = options.gdb_port;
    go.wait_for_client = !options.gdb_nowait;
    if (options.gdb_log) go.log = options.gdb_log;
    gdb = std::make_unique<emu::GdbServer>(m, go);
    if (std::string err = gdb->start(); !err.empty()) return finish_error("--gdb: " + err);
    gdb->attach_scenario();
    tl.text("gdb: listening on " + options.gdb_listen + ":" + std::to_string(gdb->port()) +
            (options.gdb_nowait ? "" : " (the machine waits for the debugger)"));
  }

  std::optional<Failure> failure;
  {
    RunContext ctx(sc, m, tl);
    if (gdb) {
      ctx.set_machine_runner([&](emu::Ticks until) {
        emu::RunResult r = gdb->run_until(until);
        if (gdb->killed() && !ctx.violation())
          ctx.violate("the debugger", SourceMark{1, 1}, "the scenario to run to its end", "the debugger killed the target", ctx.now());
        return r;
      });
    }
    for (const std::string& n : image_notes) ctx.note("image", n);
    for (const InvariantInstance& inv : sc.invariants) {
      std::unique_ptr<Monitor> mon = inv.type->make(inv.args, ctx);
      mon->mark = inv.mark;
      ctx.note("watch", mon->what() + (inv.args.summary().empty() ? "" : " " + inv.args.summary()));
      ctx.add_monitor(std::move(mon));
    }
    if (options.session) options.session->attached(ctx);
    for (RunHook hook : run_hooks()) hook(ctx);
    if (options.observer) options.observer->attached(ctx);
    if (sc.start_powered && !options.drive) ctx.power_on();

    if (options.drive) failure = options.drive(ctx);
    for (std::size_t i = 0; i < sc.steps.size() && !failure && !options.drive; ++i) {
      const StepInstance& st = sc.steps[i];
      StepRecord& rec = result.steps[i];
      ctx.begin_step(st);
      rec.start = ctx.seconds(ctx.now());
      std::string head = std::to_string(st.index) + "/" + std::to_string(sc.steps.size()) + " " + st.type->name;
      if (!st.args.summary().empty()) head += " " + st.args.summary();
      if (!st.label.empty()) head += "  # " + st.label;
      ctx.note("step", head);
      if (gdb) gdb->scenario_step(head);
      if (options.observer) options.observer->step_started(ctx, st, head);
      StepResult r = ctx.violation() ? StepResult::stopped() : st.type->run(st.args, ctx);
      rec.end = ctx.seconds(ctx.now());
      if (ctx.violation()) {
        failure = *ctx.violation();
      } else if (r.status == StepResult::Status::Failed) {
        failure = step_failure(ctx, st,
                               "step " + std::to_string(st.index) + " " + st.type->name +
                                   (st.label.empty() ? "" : " (" + st.label + ")"),
                               r.expected, r.seen);
      } else if (r.status == StepResult::Status::Stopped) {
        failure = Failure{ctx.now(), ctx.seconds(ctx.now()), st.index, st.type->name, "step " + std::to_string(st.index),
                          st.mark, "the step to finish", "it stopped without a reason (engine bug)", {}};
      }
      if (failure) {
        rec.status = "failed";
        rec.note = failure->what;
      } else {
        rec.status = "passed";
        rec.note = r.note;
        ctx.note("pass", std::to_string(st.index) + " " + st.type->name + (r.note.empty() ? "" : ": " + r.note));
      }
      if (options.observer) options.observer->step_finished(ctx, i, rec);
    }
    if (!failure && ctx.violation()) failure = *ctx.violation();
    if (options.observer) options.observer->steps_done(ctx, failure);
    if (options.session) options.session->steps_done(ctx, failure);
    ctx.end_run();
    if (failure) {
      tl.entry(failure->seconds, "FAIL", format_failure(*failure, sc.file));
      if (!options.keep_failed_dir.empty()) keep_evidence(m, sc, options.keep_failed_dir, result, ctx);
    }
    if (sc.flash_image.present && sc.flash_image.save) {
      std::string err = emu::save_memory_image(m, sc.flash_image.region, sc.flash_image.file);
      ctx.note("image", err.empty() ? "flash image saved to " + sc.flash_image.file_written : "cannot save: " + err);
    }
  }

  if (gdb) gdb->finish(failure ? 1 : 0);
  result.failure = failure;
  result.status = failure ? ScenarioResult::Status::Failed : ScenarioResult::Status::Passed;
  result.virtual_seconds = m.seconds(m.now());
  result.trace_hash = m.trace_hash();
  result.trace_events = m.trace_events();
  std::size_t passed = 0;
  for (const StepRecord& r : result.steps) passed += r.status == "passed";
  tl.text(std::string(failure ? "FAIL   " : "PASS   ") + sc.name + ": " + std::to_string(passed) + "/" +
          std::to_string(sc.steps.size()) + " steps passed, " + seconds_text(result.virtual_seconds) +
          " virtual, trace hash " + hex64(result.trace_hash) + (failure ? "; replay: " + result.replay : ""));
  result.timeline = tl.transcript();
  return result;
}

// ===== [batch] =========================================================================

std::vector<ScenarioResult> run_batch(const std::vector<std::string>& files, const BatchOptions& options,
                                      const BatchCallbacks& callbacks) {
  std::vector<ScenarioResult> results(files.size());
  std::vector<std::optional<Scenario>> loaded(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    emu::Loaded<Scenario> sc = load_scenario(files[i], options.load);
    if (sc) {
      loaded[i] = std::move(*sc);
    } else {
      ScenarioResult& r = results[i];
      r.file = files[i];
      std::size_t slash = files[i].rfind('/');
      r.name = files[i].substr(slash == std::string::npos ? 0 : slash + 1);
      r.status = ScenarioResult::Status::Error;
      r.error = sc.error();
      r.timeline = "ERROR  " + sc.error() + "\n";
    }
  }
  std::mutex lock;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (;;) {
      std::size_t i = next++;
      if (i >= files.size()) return;
      if (loaded[i]) {
        if (callbacks.started) {
          std::lock_guard<std::mutex> g(lock);
          callbacks.started(i);
        }
        Timeline::Sink sink = options.jobs <= 1 ? callbacks.live : Timeline::Sink{};
        results[i] = run_scenario(*loaded[i], options.run, sink);
      }
      std::lock_guard<std::mutex> g(lock);
      if (callbacks.finished) callbacks.finished(i, results[i]);
    }
  };
  int jobs = std::max(1, options.jobs);
  if (jobs == 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
  }
  return results;
}

}  // namespace hilsim::scen
