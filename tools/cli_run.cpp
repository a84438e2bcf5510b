// `hilsim run`: runs scenario files (scenarios/README.md), each on its own Machine, prints
// their timelines (live with one job, one block per scenario with -j N) and a closing summary,
// and writes JUnit/JSON reports. Wall time appears only here, on the console.
// Exit code: 0 all passed · 1 a scenario failed · 2 a file is malformed or bad usage.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/report.h"
#include "scenarios/runner.h"
#include "scenarios/schema.h"
#include "tools/cli.h"
#include "tools/cli_record.h"

namespace hilsim::cli {

namespace {

struct RunCommandOptions {
  std::vector<std::string> files;
  int jobs = 1;
  std::string junit, json, keep_failed, build_dir;
  bool quiet = false;
  std::int64_t seed = -1;
  bool print_schema = false, list_steps = false;
  int gdb_port = -1;  // --gdb
  std::string gdb_listen = "127.0.0.1";
  bool gdb_nowait = false;
  std::string record;                    // --record: a session recording of the one scenario
  std::string checkpoint_every = "100ms";
};

void write_file(const std::string& path, const std::string& text, const char* what) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    std::fprintf(stderr, "hilsim run: cannot write the %s report to %s\n", what, path.c_str());
    throw Exit{2};
  }
}

int run_command(const RunCommandOptions& o) {
  if (o.print_schema) {
    std::fputs(scen::scenario_schema_json().c_str(), stdout);
    return 0;
  }
  if (o.list_steps) {
    std::fputs(scen::scenario_reference_markdown().c_str(), stdout);
    return 0;
  }
  if (o.files.empty()) {
    std::fprintf(stderr, "hilsim run: give at least one scenario file (see scenarios/README.md)\n");
    return 2;
  }
  scen::BatchOptions bo;
  bo.jobs = std::max(1, o.jobs);
  bo.load.source_root = HILSIM_SOURCE_DIR;
  bo.load.build_root = o.build_dir.empty() ? default_build_dir() : o.build_dir;
  bo.run.keep_failed_dir = o.keep_failed;
  if (o.seed >= 0) bo.run.seed = static_cast<std::uint64_t>(o.seed);
  if (o.gdb_port >= 0) {
    // One debugger, one machine: a second scenario would need a second server.
    if (o.files.size() != 1 || bo.jobs != 1) {
      std::fprintf(stderr, "hilsim run: --gdb debugs one scenario: give exactly one file and no -j\n");
      return 2;
    }
    bo.run.gdb_port = o.gdb_port;
    bo.run.gdb_listen = o.gdb_listen;
    bo.run.gdb_nowait = o.gdb_nowait;
    bo.run.gdb_log = [](const std::string& line) { std::fprintf(stderr, "gdb: %s\n", line.c_str()); };
  }

  // --record: one scenario, one recording (docs/recording-format.md).
  std::unique_ptr<scen::rec::Recorder> recorder;
  if (!o.record.empty()) {
    if (o.files.size() != 1 || bo.jobs != 1) {
      std::fprintf(stderr, "hilsim run: --record records one session: give exactly one file and no -j\n");
      return 2;
    }
    if (o.gdb_port >= 0) {  // a debugger's register and memory writes are not inputs a replay could repeat
      std::fprintf(stderr, "hilsim run: --record does not go with --gdb\n");
      return 2;
    }
    recorder = open_recorder("run", o.record, o.checkpoint_every, bo.load.build_root, bo.run.seed);
    if (!recorder) return 2;
    bo.run.session = recorder.get();
  }

  using Clock = std::chrono::steady_clock;
  std::map<std::size_t, Clock::time_point> started;
  std::map<std::size_t, double> wall;
  Clock::time_point batch_start = Clock::now();

  scen::BatchCallbacks cb;
  cb.started = [&](std::size_t i) { started[i] = Clock::now(); };
  if (bo.jobs == 1 && !o.quiet)
    cb.live = [](const std::string& line) {
      std::fputs(line.c_str(), stdout);
      std::fflush(stdout);
    };
  cb.finished = [&](std::size_t i, const scen::ScenarioResult& r) {
    if (started.count(i)) wall[i] = std::chrono::duration<double>(Clock::now() - started[i]).count();
    if (r.status == scen::ScenarioResult::Status::Error) {
      std::printf("ERROR  %s\n\n", r.error.c_str());
    } else if (o.quiet) {
      if (r.failure) std::printf("FAIL   %s\n%s", r.name.c_str(), scen::format_failure(*r.failure, r.file).c_str());
      else std::printf("PASS   %s\n", r.name.c_str());
    } else if (bo.jobs > 1) {
      std::fputs(r.timeline.c_str(), stdout);
      std::fputs("\n", stdout);
    } else {
      std::fputs("\n", stdout);
    }
    std::fflush(stdout);
  };

  std::vector<scen::ScenarioResult> results = scen::run_batch(o.files, bo, cb);
  double batch_wall = std::chrono::duration<double>(Clock::now() - batch_start).count();

  std::size_t passed = 0, failed = 0, malformed = 0;
  double virtual_total = 0;
  std::printf("--- hilsim run summary ---\n");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const scen::ScenarioResult& r = results[i];
    passed += r.status == scen::ScenarioResult::Status::Passed;
    failed += r.status == scen::ScenarioResult::Status::Failed;
    malformed += r.status == scen::ScenarioResult::Status::Error;
    virtual_total += r.virtual_seconds;
    const char* tag = r.status == scen::ScenarioResult::Status::Passed   ? "PASS "
                      : r.status == scen::ScenarioResult::Status::Failed ? "FAIL "
                                                                         : "ERROR";
    if (r.status == scen::ScenarioResult::Status::Error) {
      std::printf("%s  %-28s malformed: %s\n", tag, r.name.c_str(), r.file.c_str());
      continue;
    }
    double w = wall.count(i) ? wall[i] : 0.0;
    std::printf("%s  %-28s %11.6f s virtual  %8.3f s wall  %7.0fx\n", tag, r.name.c_str(), r.virtual_seconds, w,
                w > 0 ? r.virtual_seconds / w : 0.0);
    if (r.failure)
      std::printf("       %s at %s: expected %s\n       replay: %s\n", r.failure->what.c_str(),
                  emu::format_mark(r.file, r.failure->mark).c_str(), r.failure->expected.c_str(), r.replay.c_str());
    for (const std::string& k : r.kept) std::printf("       kept %s\n", k.c_str());
  }
  std::printf("%zu passed, %zu failed", passed, failed + malformed);
  if (malformed) std::printf(" (%zu malformed)", malformed);
  std::printf(" in %.3f s wall, %.6f s virtual, %d job%s\n", batch_wall, virtual_total, bo.jobs, bo.jobs == 1 ? "" : "s");

  if (recorder && !report_recording("run", *recorder)) return 2;
  if (!o.junit.empty()) write_file(o.junit, scen::junit_report(results), "JUnit");
  if (!o.json.empty()) write_file(o.json, scen::json_report(results), "JSON");
  if (malformed) return 2;
  return failed ? 1 : 0;
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opts = std::make_shared<RunCommandOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run scenario files (scenarios/README.md) and report");
  cmd->add_option("files", opts->files, "scenario files (.yaml)");
  cmd->add_option("-j,--jobs", opts->jobs, "run this many scenarios at once (own machine each)")->capture_default_str();
  cmd->add_option("--junit", opts->junit, "write a JUnit XML report here");
  cmd->add_option("--json", opts->json, "write a JSON report here");
  cmd->add_option("--keep-failed", opts->keep_failed,
                  "for each failed scenario, save its flash image and a machine snapshot at the failing step in DIR/<name>/");
  cmd->add_flag("--quiet,-q", opts->quiet, "print only results and failures, not the timelines");
  cmd->add_option("--seed", opts->seed, "override every scenario's seed");
  cmd->add_option("--build-dir", opts->build_dir, "what ${build} means in scenario files (default: where hilsim is)");
  cmd->add_option("--gdb", opts->gdb_port,
                  "serve GDB's remote protocol on this port (0: any free port); the machine waits for "
                  "the debugger; 'monitor step-scenario' stops before the next step (docs/debugging.md)");
  cmd->add_option("--gdb-listen", opts->gdb_listen, "address the GDB server listens on")->capture_default_str();
  cmd->add_flag("--gdb-nowait", opts->gdb_nowait, "with --gdb: run at once; a debugger may attach later");
  cmd->add_option("--record", opts->record,
                  "record the session (inputs, identities, checkpoints) to this .hrec file; replay it with hilsim replay "
                  "(one scenario, no -j)");
  cmd->add_option("--checkpoint-every", opts->checkpoint_every, "with --record: virtual time between checkpoints")
      ->capture_default_str();
  cmd->add_flag("--print-schema", opts->print_schema, "print the scenario JSON schema (scenarios/scenario.schema.json)");
  cmd->add_flag("--list-steps", opts->list_steps, "print the step and invariant reference (Markdown)");
  cmd->callback([opts] {
    int code = run_command(*opts);
    if (code != 0) throw Exit{code};
  });
}

}  // namespace hilsim::cli
