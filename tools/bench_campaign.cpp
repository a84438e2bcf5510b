// `hilsim-bench campaign`: the reference power-loss campaign (scenarios/campaigns/
// update_power_loss.yaml) and its quick form (update_power_loss_quick.yaml: the same points,
// judged by "old or new within 5 s" only), each judged both ways on the same points in one
// run: fork (stop at each point, fork a judge) against replay (run from power-on to every
// point). Both use -j 2 and, by default, every point (--sample N takes every Nth).
//
// Besides wall time it measures CPU time (getrusage of the campaign and its workers) and one
// plain `hilsim run` of the scenario, which splits a point's cost into reaching it and judging
// it. That split bounds the ratio any reach-for-free method can have over replay:
// (reach + judge) / judge per point, printed so a missed target can be told from a slow fork.
#include <sys/resource.h>

#include <cstdio>
#include <string>

#include "tools/bench.h"

namespace hilsim::bench {

namespace {
struct Run {
  bool ok = false;
  int points = 0;
  double wall = 0, rate = 0, cpu = 0;
  std::string summary;
};

double children_cpu() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  auto sec = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// Runs a command, collecting the lines that match `marker` and the CPU time it and its
// descendants used (pclose reaps it; it has reaped its own workers).
double run_command(const std::string& cmd, const std::string& marker, std::string* line) {
  const double before = children_cpu();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p))
    if (std::string(buf).find(marker) != std::string::npos) *line = std::string(buf, std::string(buf).size() - 1);
  pclose(p);
  return children_cpu() - before;
}

Run campaign(const Options& o, const std::string& file, const std::string& method, int sample) {
  Run r;
  std::string l;
  r.cpu = run_command(o.build_dir + "/hilsim campaign -q -j 2 --sample " + std::to_string(sample) + " --method " +
                          method + " " + file,
                      " s wall, ", &l);
  std::size_t at = l.find(" s wall, ");
  if (at == std::string::npos) return r;
  r.summary = l;
  std::size_t in = l.rfind(" in ", at);
  r.wall = std::stod(l.substr(in + 4, at - in - 4));
  r.rate = std::stod(l.substr(at + 9));
  r.points = std::stoi(l);
  r.ok = l.find(" 0 failed") != std::string::npos;
  return r;
}

// One campaign file both ways; prints the comparison and the reach/judge split.
int compare(const Options& o, const std::string& name, int sample) {
  const std::string file = std::string(HILSIM_SOURCE_DIR) + "/scenarios/campaigns/" + name;
  std::printf("%s, %s, -j 2, both methods on the same points\n", name.c_str(),
              sample == 1 ? "every point" : ("every " + std::to_string(sample) + "th point").c_str());
  std::string l;
  const double one_run = run_command(o.build_dir + "/hilsim run -q " + file, "1 passed", &l);
  Run fork = campaign(o, file, "fork", sample);
  std::printf("  fork   : %s (%.1f s CPU)\n", fork.summary.c_str(), fork.cpu);
  Run replay = campaign(o, file, "replay", sample);
  std::printf("  replay : %s (%.1f s CPU)\n", replay.summary.c_str(), replay.cpu);
  if (!fork.ok || !replay.ok || fork.wall <= 0 || replay.wall <= 0 || fork.points != replay.points ||
      fork.points == 0) {
    std::printf("  a run failed or printed no summary\n");
    return 1;
  }
  std::printf("  fork is %.1fx faster than replay (wall, same %d points; target >= 10x)\n", replay.wall / fork.wall,
              fork.points);
  std::printf("  fork %.1f points/s, replay %.1f points/s\n", fork.rate, replay.rate);
  // Fork's CPU is two whole runs (discovery, the run that forks) plus the judges; replay's is
  // the discovery run plus, per point, the run up to it and the judge.
  const double n = fork.points;
  const double judge = (fork.cpu - 2 * one_run) / n, reach = (replay.cpu - one_run) / n - judge;
  std::printf("  one run of the scenario: %.2f s CPU; per point: reaching %.3f s, judging %.3f s (CPU)\n", one_run,
              reach, judge);
  std::printf("  bound for any method that reaches points for free: (reach + judge) / judge = %.1fx\n",
              (reach + judge) / judge);
  return 0;
}
}  // namespace

int campaign_benchmarks(const Options& o) {
  const int sample = o.sample > 0 ? o.sample : 1;
  int bad = compare(o, "update_power_loss.yaml", sample);
  bad |= compare(o, "update_power_loss_quick.yaml", sample);
  return bad;
}

}  // namespace hilsim::bench
