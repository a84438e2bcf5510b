// Machine benchmarks for `hilsim-bench machine`: CPU-bound speed under hilsim against bare
// Unicorn with no hooks (the physical limit on this host), and the speed of a WFI-idle device
// in virtual seconds per wall second. Every figure is measured in the same run, best of N.
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/elf_image.h"
#include "emulator/machine.h"
#include "tools/bench.h"

namespace hilsim::bench {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct HilsimRun {
  double wall = 0;
  emu::Ticks instructions = 0, cycles = 0;
  std::uint64_t hash = 0;
  bool ok = false;
};

HilsimRun run_hilsim(const emu::BoardConfig& board, const emu::ElfImage& elf, double seconds,
                     bool semihosting) {
  HilsimRun out;
  emu::MachineOptions o;
  o.semihosting = semihosting;
  auto m = emu::Machine::create(board, o);
  if (!m || !(*m)->load_firmware(elf).empty()) return out;
  emu::Machine& machine = **m;
  machine.on_semihost_output = [](std::string_view) {};
  auto t0 = Clock::now();
  machine.power_on();
  emu::RunResult r = machine.run_until(static_cast<emu::Ticks>(seconds * static_cast<double>(board.clock_hz)));
  out.wall = since(t0);
  out.instructions = machine.instructions();
  out.cycles = machine.now();
  out.hash = machine.trace_hash();
  out.ok = semihosting ? r.reason == emu::StopReason::Exited && r.exit_code == 0
                       : r.reason == emu::StopReason::TimeLimit;
  return out;
}

// The same ELF on Unicorn alone: memory mapped, peripheral pages as plain RAM (the UART's
// STATUS preset to "ready" so prints do not spin), no hooks at all. It runs until the
// semihosting BKPT, which ends uc_emu_start with an exception (no interrupt hook is installed).
double run_bare_unicorn(const emu::BoardConfig& board, const emu::ElfImage& elf) {
  uc_engine* uc = nullptr;
  if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc) != UC_ERR_OK) return -1;
  uc_ctl_set_cpu_model(uc, board.cpu == emu::BoardConfig::Cpu::CortexM4 ? UC_CPU_ARM_CORTEX_M4 : UC_CPU_ARM_CORTEX_M3);
  std::vector<std::vector<std::uint8_t>> buffers;
  for (const emu::MemoryRegion& r : board.memory) {
    buffers.emplace_back(r.size, r.kind == emu::MemoryRegion::Kind::Ram ? 0 : 0xff);
    uc_mem_map_ptr(uc, r.base, r.size, UC_PROT_ALL, buffers.back().data());
  }
  for (const periph::DeviceConfig& d : board.peripherals) {
    buffers.emplace_back(0x1000, 0);
    if (d.type == "uart") buffers.back()[4] = 0x5;  // TXRDY | TXIDLE
    uc_mem_map_ptr(uc, d.base, 0x1000, UC_PROT_READ | UC_PROT_WRITE, buffers.back().data());
  }
  buffers.emplace_back(0x1000, 0);
  uc_mem_map_ptr(uc, 0xE000E000, 0x1000, UC_PROT_READ | UC_PROT_WRITE, buffers.back().data());
  auto chunks = emu::place(elf, board);
  if (!chunks) return -1;
  for (const emu::LoadChunk& c : *chunks) uc_mem_write(uc, c.address, c.bytes.data(), c.bytes.size());
  std::uint32_t sp = 0, pc = 0;
  uc_mem_read(uc, 0, &sp, 4);
  uc_mem_read(uc, 4, &pc, 4);
  uc_reg_write(uc, UC_ARM_REG_SP, &sp);
  auto t0 = Clock::now();
  uc_emu_start(uc, pc | 1, 0xFFFFFFFF, 0, 0);
  double wall = since(t0);
  uc_close(uc);
  return wall;
}

}  // namespace

int machine_benchmarks(const Options& options) {
  auto board = emu::load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml");
  if (!board) {
    std::fprintf(stderr, "%s\n", board.error().c_str());
    return 2;
  }
  std::string fw = options.build_dir + "/firmware/";
  auto cpu = emu::load_elf(fw + "test-programs/cpu_bound.elf");
  auto idle = emu::load_elf(fw + "test-programs/idle_100hz.elf");
  auto demo = emu::load_elf(fw + "demo-m4/demo-m4.elf");
  for (auto* e : {&cpu, &idle, &demo})
    if (!*e) {
      std::fprintf(stderr, "%s\n", e->error().c_str());
      return 2;
    }

  std::printf("hilsim-bench machine (best of %d runs each)\n\n", options.repeat);
  HilsimRun best_cpu;
  double best_bare = 1e9;
  for (int i = 0; i < options.repeat; ++i) {
    HilsimRun r = run_hilsim(*board, *cpu, 60.0, true);
    if (!r.ok) {
      std::fprintf(stderr, "cpu_bound.elf did not exit cleanly under hilsim\n");
      return 1;
    }
    if (i == 0 || r.wall < best_cpu.wall) best_cpu = r;
    best_bare = std::min(best_bare, run_bare_unicorn(*board, *cpu));
  }
  // Both run the same program to the same exit; the instruction count is hilsim's exact one
  // (the bare run's prints do not wait for the UART, a difference of well under 0.1%).
  double n = static_cast<double>(best_cpu.instructions);
  double hilsim_mips = n / best_cpu.wall / 1e6, bare_mips = n / best_bare / 1e6;
  std::printf("CPU-bound (cpu_bound.elf: CRC-32, %.0f M instructions)\n", n / 1e6);
  std::printf("  %-34s %9.1f MIPS  (%.3f s)\n", "bare Unicorn 2.0.1, no hooks", bare_mips, best_bare);
  std::printf("  %-34s %9.1f MIPS  (%.3f s)\n", "hilsim (exact count, full machine)", hilsim_mips, best_cpu.wall);
  std::printf("  %-34s %9.1f %%   (target >= 30 %%)\n\n", "hilsim / bare", 100.0 * hilsim_mips / bare_mips);

  struct IdleCase {
    const char* label;
    const emu::ElfImage* elf;
    double seconds;
  };
  std::printf("WFI-idle devices (virtual seconds per wall second)\n");
  for (const IdleCase& c : {IdleCase{"idle_100hz.elf (10 ms wakeups)", &*idle, 600.0},
                            IdleCase{"demo-m4.elf (1 kHz SysTick)", &*demo, 60.0}}) {
    HilsimRun best;
    for (int i = 0; i < options.repeat; ++i) {
      HilsimRun r = run_hilsim(*board, *c.elf, c.seconds, false);
      if (i == 0 || r.wall < best.wall) best = r;
    }
    std::printf("  %-34s %9.0f x real time  (%.0f s virtual in %.3f s, %.1f%% of cycles asleep)\n", c.label,
                c.seconds / best.wall, c.seconds, best.wall,
                100.0 * (1.0 - static_cast<double>(best.instructions) / static_cast<double>(best.cycles)));
  }
  std::printf("  (target: an idle device >= 1000x real time)\n");
  return 0;
}

}  // namespace hilsim::bench
