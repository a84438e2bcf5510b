// `hilsim campaign`: runs a scenario's power-loss campaign (scenarios/campaign.h): a discovery
// run lists the points, then every point of this shard is cut and judged in forked workers.
// Prints a live progress bar on a terminal (plain lines otherwise), then the summary table and a
// reproducer per failure; writes JUnit and JSON. `--merge` combines shard reports. Wall time
// appears only here.
// Exit code: 0 every point passed · 1 a point failed · 2 bad input or the campaign could not run.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/campaign.h"
#include "scenarios/campaign_report.h"
#include "tools/cli.h"

namespace hilsim::cli {

namespace {

struct CampaignCommandOptions {
  std::string file;
  int jobs = 2;
  std::string shard = "1/1";
  std::string method = "fork";
  int sample = 1;
  int point = 0;  // --point N (0: all)
  std::string junit, json, out_dir = "campaign-failures", build_dir;
  std::vector<std::string> merge;
  std::int64_t seed = -1;
  bool quiet = false;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "hilsim campaign: %s\n", message.c_str());
  throw Exit{2};
}

void write_file(const std::string& path, const std::string& text, const char* what) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) fail(std::string("cannot write the ") + what + " report to " + path);
}

// A bar on a terminal (redrawn in place), otherwise a plain line every 10 % of the points.
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet) : tty_(!quiet && ::isatty(STDERR_FILENO)), quiet_(quiet) {}
  void update(const scen::CampaignProgress& p) {
    if (quiet_ || p.total == 0) return;
    const double rate = p.wall_seconds > 0 ? static_cast<double>(p.done) / p.wall_seconds : 0.0;
    const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0.0;
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(kWidth * p.done / p.total);
      std::fprintf(stderr, "\r[%-*s] %zu/%zu points, %zu failed, %.1f points/s, ETA %.0f s ", kWidth,
                   std::string(static_cast<std::size_t>(filled), '#').c_str(), p.done, p.total, p.failed, rate, eta);
      if (p.done == p.total) std::fputc('\n', stderr);
      std::fflush(stderr);
      return;
    }
    const std::size_t decile = p.done * 10 / p.total;
    if (decile == last_decile_ && p.done != p.total) return;
    last_decile_ = decile;
    std::fprintf(stderr, "campaign: %zu/%zu points, %zu failed, %.1f points/s, ETA %.0f s\n", p.done, p.total,
                 p.failed, rate, eta);
  }

 private:
  bool tty_, quiet_;
  std::size_t last_decile_ = 0;
};

int report(const scen::CampaignResult& c, const CampaignCommandOptions& o, double wall) {
  std::fputs(scen::campaign_summary(c).c_str(), stdout);
  std::size_t failed = 0;
  for (const scen::PointResult& r : c.results) failed += !r.passed;
  if (!o.junit.empty()) write_file(o.junit, scen::campaign_junit(c), "JUnit");
  if (!o.json.empty()) write_file(o.json, scen::campaign_json(c), "JSON");
  std::printf("%zu passed, %zu failed", c.results.size() - failed, failed);
  if (c.shards > 1) std::printf(" (shard %d/%d of %zu points)", c.shard, c.shards, c.points.size());
  else std::printf(" of %zu points", c.points.size());
  if (wall > 0)
    std::printf(" in %.2f s wall, %.1f points/s", wall, wall > 0 ? static_cast<double>(c.results.size()) / wall : 0.0);
  std::printf("\n");
  return failed ? 1 : 0;
}

int campaign_command(const CampaignCommandOptions& o) {
  if (!o.merge.empty()) {
    scen::CampaignResult merged;
    if (std::string err = scen::merge_campaign_reports(o.merge, merged); !err.empty()) fail(err);
    int code = report(merged, o, 0);
    if (merged.results.size() != merged.points.size())
      std::printf("note: %zu of %zu points are in these reports (a shard missing?)\n", merged.results.size(),
                  merged.points.size());
    return code;
  }
  if (o.file.empty()) fail("give a scenario file with a 'campaign:' section (scenarios/README.md, \"Campaigns\")");
  int shard = 0, shards = 0;
  char tail = 0;
  if (std::sscanf(o.shard.c_str(), "%d/%d%c", &shard, &shards, &tail) != 2 || shards < 1 || shard < 1 || shard > shards)
    fail("--shard '" + o.shard + "': expected K/N with 1 <= K <= N, e.g. 2/4");
  if (o.method != "fork" && o.method != "replay") fail("--method '" + o.method + "': expected fork or replay");
  if (o.sample < 1) fail("--sample must be 1 or more");

  scen::LoadOptions lo;
  lo.source_root = HILSIM_SOURCE_DIR;
  lo.build_root = o.build_dir.empty() ? default_build_dir() : o.build_dir;
  emu::Loaded<scen::Scenario> sc = scen::load_scenario(o.file, lo);
  if (!sc) fail(sc.error());
  if (!sc->campaign.present) fail(o.file + ": the scenario has no 'campaign:' section");

  scen::CampaignOptions co;
  co.jobs = std::max(1, o.jobs);
  co.shard = shard;
  co.shards = shards;
  co.method = o.method;
  co.sample = o.sample;
  co.out_dir = o.out_dir;
  if (o.point > 0) co.only_point = o.point;
  if (o.seed >= 0) co.seed = static_cast<std::uint64_t>(o.seed);
  co.reproduce_prefix = "hilsim campaign " + o.file + (o.seed >= 0 ? " --seed " + std::to_string(o.seed) : "");
  ProgressLine progress(o.quiet || o.point > 0);
  co.progress = [&](const scen::CampaignProgress& p) { progress.update(p); };

  std::printf("=== campaign %s (%s): %s at %s, policies", sc->name.c_str(), o.file.c_str(), sc->campaign.fault.c_str(),
              sc->campaign.at.c_str());
  for (const std::string& p : sc->campaign.policies) std::printf(" %s", p.c_str());
  std::printf(", steps %d..%d, -j %d, method %s\n", sc->campaign.from, sc->campaign.to, co.jobs, co.method.c_str());
  std::fflush(stdout);
  scen::CampaignResult c = scen::run_campaign(*sc, co);
  if (!c.error.empty()) {
    std::fprintf(stderr, "hilsim campaign: %s\n", c.error.c_str());
    if (!c.discovery_timeline.empty() && c.points.empty()) std::fputs(c.discovery_timeline.c_str(), stdout);
    return 2;
  }
  if (o.point > 0) std::fputs(c.point_timeline.c_str(), stdout);
  return report(c, o, c.wall_seconds);
}

}  // namespace

void add_campaign_command(CLI::App& app) {
  auto opts = std::make_shared<CampaignCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "campaign", "Run a scenario's power-loss campaign: cut the power at every point, judge the device after");
  cmd->add_option("file", opts->file, "scenario file with a 'campaign:' section");
  cmd->add_option("-j,--jobs", opts->jobs, "points judged at once (worker processes)")->capture_default_str();
  cmd->add_option("--shard", opts->shard, "run slice K of N (K/N) of the points; merge the reports with --merge")
      ->capture_default_str();
  cmd->add_option("--point", opts->point, "rerun exactly this point, in this process, and print its timeline");
  cmd->add_option("--junit", opts->junit, "write a JUnit XML report (one test case per point)");
  cmd->add_option("--json", opts->json, "write a JSON report (also what --merge reads)");
  cmd->add_option("--out", opts->out_dir, "where failing points' machine snapshots are saved")->capture_default_str();
  cmd->add_option("--merge", opts->merge, "merge these shard reports (JSON) into one summary / JUnit / JSON");
  cmd->add_option("--method", opts->method,
                  "fork: stop at each point and fork; replay: run from power-on to every point (the slow baseline)")
      ->capture_default_str();
  cmd->add_option("--sample", opts->sample, "take only every Nth point (benchmarks)")->capture_default_str();
  cmd->add_option("--seed", opts->seed, "override the scenario's seed");
  cmd->add_option("--build-dir", opts->build_dir, "what ${build} means in scenario files (default: where hilsim is)");
  cmd->add_flag("--quiet,-q", opts->quiet, "no progress display");
  cmd->callback([opts] {
    int code = campaign_command(*opts);
    if (code != 0) throw Exit{code};
  });
}

}  // namespace hilsim::cli
