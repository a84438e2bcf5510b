// `hilsim-bench gui`: the panel's frame rate while the machine runs as fast as it can. Runs
// `hilsim gui scenarios/demo.yaml --measure-fps S` under xvfb-run (a 1600x1000 Xvfb screen,
// Mesa llvmpipe) `repeat` times and reports each run's frames per second next to the
// machine's speed over the same seconds, and the worst frame rate. Needs xvfb-run.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tools/bench.h"

namespace hilsim::bench {

int gui_benchmarks(const Options& options) {
  const std::string cmd = "xvfb-run -a -s '-screen 0 1600x1000x24' " + options.build_dir + "/hilsim gui " +
                          std::string(HILSIM_SOURCE_DIR) + "/scenarios/demo.yaml --measure-fps 5 2>&1";
  double worst = 1e9;
  for (int i = 0; i < options.repeat; ++i) {
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return 1;
    std::string out;
    std::array<char, 512> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::printf("gui: the panel failed (is xvfb-run installed?):\n%s", out.c_str());
      return 1;
    }
    std::printf("gui run %d: %s", i + 1, out.c_str());
    std::size_t at = out.find(": ");
    if (at != std::string::npos) worst = std::min(worst, std::strtod(out.c_str() + at + 2, nullptr));
  }
  std::printf("gui: worst %.1f frames per second with the machine running as fast as possible (goal: >= 30)\n", worst);
  return worst >= 30 ? 0 : 1;
}

}  // namespace hilsim::bench
