// hilsim-bench: benchmarks that compare against a baseline measured in the same run.
#pragma once

#include <string>

namespace hilsim::bench {

struct Options {
  int repeat = 3;
  std::string build_dir;
};

int machine_benchmarks(const Options& options);

}  // namespace hilsim::bench
