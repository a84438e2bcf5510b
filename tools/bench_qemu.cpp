// `hilsim-bench qemu`: the same CPU-bound ELF (tests/firmware-mps2/bench.c, CRC-32) on
// qemu-system-arm -M mps2-an386 (plain, and -icount shift=0) and on hilsim's mps2-an386, in
// one run. The instruction count is hilsim's exact count (the program is deterministic, so
// QEMU executes the same instructions); start-up cost is removed by subtracting the time of
// the same program built with 0 repetitions (bench0). MIPS = instructions / net wall time.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "emulator/machine.h"
#include "tools/bench.h"

namespace hilsim::bench {

namespace {
using Clock = std::chrono::steady_clock;

struct Run {
  double seconds = 0;
  std::uint64_t instructions = 0;
  bool ok = false;
};

Run run_hilsim(const std::string& elf_path) {
  Run r;
  auto board = emu::load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/mps2-an386/board.yaml");
  auto elf = emu::load_elf(elf_path);
  if (!board || !elf) return r;
  emu::MachineOptions mo;
  mo.semihosting = true;
  auto m = emu::Machine::create(*board, mo);
  if (!m || !(*m)->load_firmware(*elf).empty()) return r;
  (*m)->on_uart_byte = [](emu::Ticks, const std::string&, std::uint8_t) {};
  auto t0 = Clock::now();
  (*m)->power_on();
  emu::RunResult res = (*m)->run_for(25'000'000ull * 3600);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.instructions = (*m)->instructions();
  r.ok = res.reason == emu::StopReason::Exited && res.exit_code == 0;
  return r;
}

Run run_qemu(const std::string& elf_path, bool icount) {
  Run r;
  std::string cmd = std::string("timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null") +
                    " -semihosting-config enable=on,target=native" + (icount ? " -icount shift=0" : "") +
                    " -kernel '" + elf_path + "' >/dev/null 2>&1";
  auto t0 = Clock::now();
  int status = std::system(cmd.c_str());
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return r;
}

template <typename F>
Run best_of(int repeat, F f) {
  Run best;
  for (int i = 0; i < repeat; ++i) {
    Run r = f();
    if (!r.ok) return r;
    if (!best.ok || r.seconds < best.seconds) best = r;
  }
  return best;
}
}  // namespace

int qemu_benchmarks(const Options& options) {
  std::string dir = options.build_dir + "/firmware/mps2-tests/";
  std::string big = dir + "bench-an386.elf", empty = dir + "bench0-an386.elf";
  if (std::system("command -v qemu-system-arm >/dev/null 2>&1") != 0) {
    std::printf("qemu-system-arm not found: nothing to compare with\n");
    return 1;
  }
  Run h = best_of(options.repeat, [&] { return run_hilsim(big); });
  Run h0 = best_of(options.repeat, [&] { return run_hilsim(empty); });
  if (!h.ok || !h0.ok) {
    std::printf("hilsim could not run %s\n", big.c_str());
    return 1;
  }
  std::uint64_t work = h.instructions - h0.instructions;
  struct Row {
    const char* name;
    Run full, start;
  } rows[3] = {
      {"hilsim mps2-an386", h, h0},
      {"qemu -M mps2-an386", best_of(options.repeat, [&] { return run_qemu(big, false); }),
       best_of(options.repeat, [&] { return run_qemu(empty, false); })},
      {"qemu -M mps2-an386 -icount shift=0", best_of(options.repeat, [&] { return run_qemu(big, true); }),
       best_of(options.repeat, [&] { return run_qemu(empty, true); })},
  };
  std::printf("CRC-32 bench, %llu instructions (hilsim's exact count, start-up subtracted)\n",
              static_cast<unsigned long long>(work));
  std::printf("%-36s %10s %10s %10s\n", "emulator", "total s", "start s", "MIPS");
  double mips[3] = {};
  for (int i = 0; i < 3; ++i) {
    const Row& r = rows[i];
    if (!r.full.ok || !r.start.ok) {
      std::printf("%-36s failed\n", r.name);
      continue;
    }
    double net = r.full.seconds - r.start.seconds;
    mips[i] = net > 0 ? static_cast<double>(work) / net / 1e6 : 0;
    std::printf("%-36s %10.3f %10.3f %10.1f\n", r.name, r.full.seconds, r.start.seconds, mips[i]);
  }
  if (mips[1] > 0 && mips[2] > 0)
    std::printf("hilsim / qemu plain = %.2fx (target >= 0.3x), hilsim / qemu -icount = %.2fx (target >= 1.0x)\n",
                mips[0] / mips[1], mips[0] / mips[2]);
  return 0;
}

}  // namespace hilsim::bench
