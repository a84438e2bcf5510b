// build/hilsim-bench: `hilsim-bench machine` runs the machine benchmarks (docs/benchmarks.md).
#include <CLI/CLI.hpp>

#include "tools/bench.h"

int main(int argc, char** argv) {
  CLI::App app{"hilsim benchmarks: each figure is compared with a baseline measured in the same run"};
  hilsim::bench::Options options;
  options.build_dir = HILSIM_BUILD_DIR;
  app.add_option("--repeat", options.repeat, "runs per figure (the best is reported)")->capture_default_str();
  app.add_option("--build-dir", options.build_dir, "where the firmware images are")->capture_default_str();
  app.require_subcommand(1);
  int code = 0;
  app.add_subcommand("machine", "CPU-bound MIPS vs bare Unicorn, and WFI-idle speed")->callback([&] {
    code = hilsim::bench::machine_benchmarks(options);
  });
  app.add_subcommand("qemu", "the same CPU-bound ELF on qemu-system-arm (plain, -icount) and hilsim")->callback([&] {
    code = hilsim::bench::qemu_benchmarks(options);
  });
  app.add_subcommand("gui", "the panel's frames per second under Xvfb while the machine runs flat out")->callback([&] {
    code = hilsim::bench::gui_benchmarks(options);
  });
  CLI::App* campaign = app.add_subcommand("campaign", "the reference power-loss campaign: fork vs replay from power-on");
  campaign->add_option("--sample", options.sample, "judge every Nth point with both methods (default 1: all)");
  campaign->callback([&] { code = hilsim::bench::campaign_benchmarks(options); });
  app.add_subcommand("record", "the demo scenario with and without --record: wall-time cost and file size")->callback([&] {
    code = hilsim::bench::record_benchmarks(options);
  });
  CLI11_PARSE(app, argc, argv);
  return code;
}
