// hilsim-bench: benchmarks that compare against a baseline measured in the same run.
#pragma once

#include <string>

namespace hilsim::bench {

struct Options {
  int repeat = 3;
  std::string build_dir;
  int sample = 0;  // campaign: every Nth point (0: the benchmark's default)
};

int machine_benchmarks(const Options& options);
// The same CPU-bound ELF on QEMU's mps2-an386 (plain and -icount) and on hilsim (bench_qemu.cpp).
int qemu_benchmarks(const Options& options);
// The panel's frame rate under Xvfb while the machine runs flat out (bench_gui.cpp).
int gui_benchmarks(const Options& options);
// The reference power-loss campaign, fork vs replay on the same points (bench_campaign.cpp).
int campaign_benchmarks(const Options& options);
int record_benchmarks(const Options& options);  // bench_record.cpp

}  // namespace hilsim::bench
