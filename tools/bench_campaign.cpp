// `hilsim-bench campaign`: the reference power-loss campaign (scenarios/campaigns/
// update_power_loss.yaml) judged both ways on the same points in one run: fork (stop at each
// point, fork a judge) against replay (run from power-on to every point). Both use -j 2. The
// replay baseline is too slow for all points, so both methods take the same sample (every
// Nth point, --sample, default 40); the whole campaign's time is `hilsim campaign` itself.
#include <cstdio>
#include <string>

#include "tools/bench.h"

namespace hilsim::bench {

namespace {
struct Run {
  bool ok = false;
  double wall = 0, rate = 0;
  std::string summary;
};

Run campaign(const Options& o, const std::string& method, int sample) {
  std::string cmd = o.build_dir + "/hilsim campaign -q -j 2 --sample " + std::to_string(sample) + " --method " + method +
                    " " + HILSIM_SOURCE_DIR + "/scenarios/campaigns/update_power_loss.yaml 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char line[4096];
  while (std::fgets(line, sizeof line, p)) {
    std::string l = line;
    std::size_t at = l.find(" s wall, ");
    if (at != std::string::npos) {
      r.summary = l.substr(0, l.size() - 1);
      std::size_t in = l.rfind(" in ", at);
      r.wall = std::stod(l.substr(in + 4, at - in - 4));
      r.rate = std::stod(l.substr(at + 9));
      r.ok = l.find(" 0 failed") != std::string::npos;
    }
  }
  pclose(p);
  return r;
}
}  // namespace

int campaign_benchmarks(const Options& o) {
  const int sample = o.sample > 0 ? o.sample : 40;
  std::printf("reference campaign, every %dth point, -j 2, both methods on the same points\n", sample);
  Run fork = campaign(o, "fork", sample);
  std::printf("  fork   : %s\n", fork.summary.c_str());
  Run replay = campaign(o, "replay", sample);
  std::printf("  replay : %s\n", replay.summary.c_str());
  if (!fork.ok || !replay.ok || fork.wall <= 0 || replay.wall <= 0) {
    std::printf("a run failed or printed no summary\n");
    return 1;
  }
  std::printf("fork is %.1fx faster than replay (wall, same points; target >= 10x)\n", replay.wall / fork.wall);
  std::printf("  fork %.1f points/s, replay %.1f points/s\n", fork.rate, replay.rate);
  return 0;
}

}  // namespace hilsim::bench
