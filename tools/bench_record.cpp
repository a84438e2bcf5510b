// `hilsim-bench record`: the cost of recording a session. The demo scenario runs with and
// without `--record`, alternately, `--repeat` times each (at least 5) in one run; the figure is
// the ratio of the best wall times (target: at most 10 % slower; CPU time beside it, which a busy
// machine disturbs less), and the recording's size per
// virtual minute (target: at most 1 MiB).
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "tools/bench.h"

namespace hilsim::bench {

namespace {

struct Timed {
  bool ok = false;
  double wall = 0, cpu = 0, virtual_seconds = 0;
};

double children_cpu() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

Timed run(const Options& o, const std::string& extra) {
  const std::string cmd = o.build_dir + "/hilsim run -q " + HILSIM_SOURCE_DIR + "/scenarios/demo.yaml " + extra + " 2>&1";
  Timed t;
  auto start = std::chrono::steady_clock::now();
  const double cpu0 = children_cpu();
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return t;
  char line[4096];
  while (std::fgets(line, sizeof line, p)) {
    std::string l = line;
    if (l.rfind("1 passed, 0 failed", 0) == 0) {
      t.ok = true;
      std::size_t at = l.find(" s wall, ");
      if (at != std::string::npos) t.virtual_seconds = std::stod(l.substr(at + 9));
    }
  }
  t.ok = pclose(p) == 0 && t.ok;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.cpu = children_cpu() - cpu0;
  return t;
}

}  // namespace

int record_benchmarks(const Options& o) {
  const int n = std::max(5, o.repeat);
  const std::string file = "/tmp/hilsim-bench-record-" + std::to_string(::getpid()) + ".hrec";
  double best_plain = 1e9, best_record = 1e9, cpu_plain = 1e9, cpu_record = 1e9, virtual_seconds = 0;
  std::printf("the demo scenario (scenarios/demo.yaml), %d runs each, alternating; best wall time\n", n);
  for (int i = 0; i < n; ++i) {
    Timed plain = run(o, "");
    Timed rec = run(o, "--record " + file);
    if (!plain.ok || !rec.ok) {
      std::printf("a run failed\n");
      return 1;
    }
    best_plain = std::min(best_plain, plain.wall);
    best_record = std::min(best_record, rec.wall);
    cpu_plain = std::min(cpu_plain, plain.cpu);
    cpu_record = std::min(cpu_record, rec.cpu);
    virtual_seconds = rec.virtual_seconds;
  }
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0 || virtual_seconds <= 0) {
    std::printf("no recording was written\n");
    return 1;
  }
  std::remove(file.c_str());
  const double per_minute = static_cast<double>(st.st_size) / virtual_seconds * 60.0;
  std::printf("  without --record : %.3f s wall, %.3f s CPU\n", best_plain, cpu_plain);
  std::printf("  with --record    : %.3f s wall, %.3f s CPU\n", best_record, cpu_record);
  std::printf("recording costs %+.1f %% wall, %+.1f %% CPU (target <= +10 %%)\n", (best_record / best_plain - 1.0) * 100.0,
              (cpu_record / cpu_plain - 1.0) * 100.0);
  std::printf("recording size: %lld bytes for %.3f s virtual = %.0f KiB per virtual minute (target <= 1024 KiB)\n",
              static_cast<long long>(st.st_size), virtual_seconds, per_minute / 1024.0);
  return 0;
}

}  // namespace hilsim::bench
