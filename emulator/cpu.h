// The CPU: a Cortex-M3/M4 core on Unicorn 2.0.1, with exact instruction counting.
//
// Follows ../shared/notes/unicorn-2.0.1.md: UC_MODE_THUMB + set_cpu_model first (MCLASS would
// give an M33), memory mapped over host buffers, MMIO through uc_mmio_map, and exactly one
// UC_HOOK_BLOCK that adds each block's instruction count and stops at a deadline *before* a
// block runs (so every stop is at a block boundary chosen from the count: deterministic).
// No per-instruction or memory hooks: the hot path is the block hook only.
// On a Cortex-M4 it also keeps Unicorn's own FP machinery in step with the FPU model
// (unicorn_hidden_state.h): the FP context registers are mirrored into the engine, and CPACR is
// enforced by a flag in Unicorn's translation flags that makes FP instructions raise NOCP.
// Leaves out: the NVIC/SCB (nvic.h), exception entry/return (exceptions.h), the architectural
// FP rules (fp_context.h).
#pragma once

#include <unicorn/unicorn.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "emulator/clock.h"
#include "emulator/unicorn_hidden_state.h"

namespace hilsim::periph {
class StateVisitor;
}

namespace hilsim::emu {

// The architectural CPU state a snapshot carries, register by register (docs/snapshot-format.md),
// instead of Unicorn's opaque context: that blob holds host pointers and is tied to one build and
// one process, so a snapshot file could not be loaded anywhere else. Left out: the exclusive
// monitor (a restore clears it, as an exception entry does on hardware) and QEMU's cached flags,
// which are rebuilt.
struct CpuRegisters {
  std::array<std::uint32_t, 13> r{};  // r0..r12
  std::uint32_t lr = 0, pc = 0, xpsr = 0;
  std::uint32_t msp = 0, psp = 0;  // both banks, whichever is active
  std::uint32_t primask = 0, basepri = 0, faultmask = 0, control = 0;
  std::array<std::uint32_t, 32> s{};  // s0..s31 (FPv4-SP; zero on an M3)
  std::uint32_t fpscr = 0;
  void describe(periph::StateVisitor& v);
};

enum class CpuModel { CortexM3, CortexM4 };

// The FP context control registers (FPCCR, FPCAR, FPDSCR) and CPACR as the FPU model holds
// them (fp_context.h), for mirroring into the engine.
struct FpControl {
  std::uint32_t fpccr = 0, fpcar = 0, fpdscr = 0, cpacr = 0;
};

// Why uc_emu_start returned, as the run loop needs to know it.
enum class CpuStop {
  Deadline,   // the block hook reached the deadline; resume at stop_pc()
  Wfi,        // WFI executed; PC is after it
  Wfe,        // WFE/YIELD (reported by Unicorn as invalid instructions)
  Requested,  // a hook asked to stop (semihosting exit, breakpoint, lockup...)
  Error,      // Unicorn reported an error (unmapped/protected access, undefined instruction)
};

class CpuListener {
 public:
  virtual ~CpuListener() = default;
  virtual void on_interrupt(std::uint32_t intno) = 0;  // SVC=2, BKPT=7, EXC_RETURN=8 (or 3)
  // A load/store/fetch hit unmapped or protected memory (called before Unicorn fails).
  virtual void on_bad_access(uc_mem_type type, std::uint32_t address, int size, std::uint32_t value) = 0;
};

class Cpu {
 public:
  Cpu() = default;
  ~Cpu();
  Cpu(const Cpu&) = delete;
  Cpu& operator=(const Cpu&) = delete;

  // Opens the engine, sets the model and installs the hooks. Returns "" or an error.
  std::string open(CpuModel model, CpuListener* listener);
  uc_engine* uc() const { return uc_; }

  // Memory: RAM-like regions over host buffers (the buffer must outlive the Cpu).
  std::string map_host(std::uint32_t base, std::uint32_t size, std::uint8_t* host, std::uint32_t prot);
  std::string map_mmio(std::uint32_t base, std::uint32_t size, uc_cb_mmio_read_t read,
                       uc_cb_mmio_write_t write, void* user);

  // Registers (Unicorn ids). ~5 ns each: never per instruction.
  std::uint32_t reg(int id) const;
  void set_reg(int id, std::uint32_t value);
  // After writing IPSR/XPSR/CONTROL, Unicorn's cached "handler mode" flag is stale;
  // writing APSR_NZCV back rebuilds it (notes §3a).
  void rebuild_hflags();
  bool read_mem(std::uint32_t addr, void* out, std::size_t n) const;
  bool write_mem(std::uint32_t addr, const void* data, std::size_t n);
  // Forgets translated code in [begin, end) (after host writes to code, or new hooks).
  void flush_code(std::uint32_t begin, std::uint32_t end);

  // Cortex-M4 FPU (no-ops on an M3, whose FP instructions Unicorn already rejects with NOCP).
  // Mirrors the registers into the engine and takes CPACR.CP10 as the access rule: while it
  // denies the current privilege, FP instructions raise UC_HOOK_INTR 17 (NOCP) with PC at them.
  // Call between runs or from a hook; after a call from inside a block, stop at the next block
  // (translated blocks chained to this one keep the flags they were looked up with).
  void set_fp_control(const FpControl& control);
  // FPCCR as the engine has it now: an FP instruction clears LSPACT (lazy save done).
  std::uint32_t engine_fpccr();
  // Clears the engine's LSPACT; returns whether it was set (one engine round trip).
  bool take_engine_lspact();

  // Saves / restores the whole CPU state (registers, banked SPs, masks, FPU). Restore starts
  // from the engine's reset state and writes every register in an order Unicorn accepts.
  CpuRegisters save_context();
  void restore_context(const CpuRegisters& regs);
  void reset_context();  // back to the state right after open()

  // Runs from `pc` until the deadline, WFI, a requested stop or an error.
  CpuStop run(std::uint32_t pc);
  uc_err last_error() const { return last_error_; }
  void request_stop();  // from a hook (not from MMIO callbacks: use stop_at_next_block)
  void stop_at_next_block() { deadline_ = icount_; }
  // For a debugger's bounded UC_HOOK_CODE at `addr` (Unicorn syncs PC before a code hook, and
  // the block hook has already counted the whole block): the instruction count at which the
  // instruction at `addr` starts, and a stop right before it. The stop looks like a deadline
  // stop (resume at stop_pc() == addr) with the count taken back to `addr`.
  Ticks count_before(std::uint32_t addr) const;
  void stop_before(std::uint32_t addr);

  // Instruction count = virtual cycles since the machine was created. While a block runs
  // this already includes the whole block (the block hook counts it up front).
  Ticks icount() const { return icount_; }
  // Virtual time as devices see it. Between runs it is icount(); inside a block (an MMIO
  // access) the exact instruction is unknown (Unicorn's PC is stale there, notes §2), so it
  // is the block's start plus the number of MMIO accesses made so far in the block: monotonic,
  // deterministic, and never past the block's end. Two reads of a timer in one block differ.
  Ticks now() const {
    if (!running_) return icount_;
    Ticks t = block_start_ + mmio_in_block_;
    return t < icount_ ? t : icount_;
  }
  void note_mmio_access() { ++mmio_in_block_; }
  void set_icount(Ticks t) { icount_ = t; }
  Ticks deadline() const { return deadline_; }
  void set_deadline(Ticks t) { deadline_ = t; }
  std::uint32_t stop_pc() const { return stop_pc_; }
  std::uint32_t block_addr() const { return block_addr_; }

  // Memory backed by host buffers: block sizes are decoded from it, and stack frames are
  // pushed/popped with memcpy instead of uc_mem_write (which costs TB-invalidation checks).
  // Stack pages never hold translated code here: code in RAM is not supported on a stack page.
  void add_host_region(std::uint32_t base, std::uint32_t size, std::uint8_t* host, bool writable);
  bool fast_read(std::uint32_t addr, void* out, std::size_t n) const;
  bool is_host_memory(std::uint32_t addr) const {
    for (const CodeRegion& r : code_)
      if (addr >= r.base && addr - r.base < r.size) return true;
    return false;
  }
  bool fast_write(std::uint32_t addr, const void* data, std::size_t n);

 private:
  struct CountEntry;
  static void hook_block(uc_engine* uc, std::uint64_t addr, std::uint32_t size, void* user);
  [[gnu::noinline, gnu::cold]] void block_slow(uc_engine* uc, std::uint32_t addr, std::uint32_t size,
                                               CountEntry& e);
  static void hook_intr(uc_engine* uc, std::uint32_t intno, void* user);
  static bool hook_insn_invalid(uc_engine* uc, void* user);
  static bool hook_mem_invalid(uc_engine* uc, uc_mem_type type, std::uint64_t addr, int size,
                               std::int64_t value, void* user);
  void count_block(std::uint32_t addr, std::uint32_t size, std::uint16_t* count, std::uint16_t* flags);
  // Unicorn recomputed (or is about to recompute) its translation flags, dropping the FP trap.
  void note_flags_rebuilt();
  void set_fp_trap_stale();
  void apply_fp_trap();

  struct CodeRegion {
    std::uint32_t base, size;
    std::uint8_t* host;
    bool writable;
  };
  // Direct-mapped cache: block (addr, size) -> instruction count and what the block contains.
  static constexpr std::uint16_t kBlockUsesFp = 1;         // an FP/coprocessor instruction
  static constexpr std::uint16_t kBlockRebuildsFlags = 2;  // MSR or CPS (Unicorn rebuilds hflags)
  struct CountEntry {
    std::uint32_t addr = 1, size = 0;
    std::uint16_t count = 0, flags = 0;
  };

  uc_engine* uc_ = nullptr;
  CpuListener* listener_ = nullptr;
  uc_context* reset_ctx_ = nullptr;
  Ticks icount_ = 0;
  Ticks deadline_ = 0;
  std::uint16_t block_attention_ = 0;  // kBlock* flags the block hook must act on (FPU, below)
  std::uint32_t stop_pc_ = 0;
  std::uint32_t block_addr_ = 0;
  Ticks block_start_ = 0;
  Ticks mmio_in_block_ = 0;
  bool running_ = false;
  bool hit_deadline_ = false;
  bool stop_requested_ = false;
  bool wfe_ = false;
  uc_err last_error_ = UC_ERR_OK;
  std::vector<CodeRegion> code_;
  std::array<CountEntry, 4096> counts_{};
  std::uint32_t page_size_ = 0;  // Unicorn's guest page size, asked on first use (flush_code)

  // FPU (Cortex-M4). The trap is Unicorn's hflags.FPEXC_EL; it is re-applied lazily: when it may
  // be out of date (stale), the block hook stops before the next block that holds an FP
  // instruction and run() applies it, so firmware that never uses the FPU pays nothing.
  static constexpr unsigned kFpFullAccess = 3;
  bool has_fpu_ = false;
  UnicornHiddenState hidden_;
  unsigned fp_access_ = kFpFullAccess;  // CPACR.CP10: 0/2 denied, 1 privileged only, 3 full
  bool fp_trap_stale_ = false;          // the engine's flags may not match CPACR and privilege
  bool fp_trap_apply_ = false;          // run() applies it before starting
};

}  // namespace hilsim::emu
