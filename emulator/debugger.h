// The machine-side debug API used by the GDB server (gdb_server.h): halt/resume/step,
// breakpoints, watchpoints, register and memory access, and the target/memory-map XML that
// GDB's remote protocol asks for (GDB manual, "Target Descriptions" and "Memory Map Format").
//
// Costs nothing while unused: a breakpoint is a UC_HOOK_CODE bounded to its one instruction,
// added when set and removed when cleared (the translated code of that range is flushed both
// times, notes §7.6). Single-step and watchpoints install one whole-address-space code hook
// (the "tracer") that gives a precise stop; a watchpoint adds a UC_HOOK_MEM_READ/WRITE bounded
// to its range, which slows every load/store while it exists (notes §2). The tracer is removed
// when the target continues with no watchpoint set.
// Leaves out: FPU registers (the reference firmware is soft-float), watchpoints on host-side
// writes (exception stacking, debugger writes), a hardware-breakpoint limit (no FPB model).
#pragma once

#include <unicorn/unicorn.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "emulator/machine.h"

namespace hilsim::emu {

enum class WatchKind { Write = 2, Read = 3, Access = 4 };  // = GDB's Z2/Z3/Z4

struct DebugStop {
  enum class Kind {
    Breakpoint,  // a breakpoint at `address` (PC)
    Watchpoint,  // a watched access at `address` (data), stopped after the instruction
    Step,        // one instruction done
    TimeLimit,   // reached the limit given to resume()
    Halted,      // halted for another reason (request_halt from outside)
    Machine,     // the machine stopped on its own: see `run` (exit, BKPT, lockup, ...)
  };
  Kind kind = Kind::Halted;
  RunResult run;
  std::uint32_t address = 0;
  WatchKind watch = WatchKind::Write;
  bool hardware = false;
};

class Debugger {
 public:
  // Registers in the order of target_xml(), which is GDB's remote numbering.
  static constexpr int kRegisterCount = 23;
  static const char* register_name(int n);

  explicit Debugger(Machine& machine);
  ~Debugger();
  Debugger(const Debugger&) = delete;
  Debugger& operator=(const Debugger&) = delete;

  Machine& machine() { return m_; }

  // Execution. resume() runs until `limit` or a stop; `from_halt` lets the instruction at
  // the current PC run once even if it has a breakpoint (GDB usually steps over it itself).
  DebugStop resume(Ticks limit, bool from_halt);
  // Exactly one instruction (one tick of virtual time), unless the instruction sleeps (WFI).
  // With hold_interrupts no exception is taken during the step (QEMU's sstep NOIRQ).
  DebugStop step(bool hold_interrupts);

  // Breakpoints (software and hardware are the same mechanism here).
  bool add_breakpoint(std::uint32_t addr, bool hardware);
  bool remove_breakpoint(std::uint32_t addr);
  std::size_t breakpoints() const { return breakpoints_.size(); }
  // Watchpoints on host memory (RAM/flash); `len` bytes from `addr`.
  bool add_watchpoint(WatchKind kind, std::uint32_t addr, std::uint32_t len);
  bool remove_watchpoint(WatchKind kind, std::uint32_t addr, std::uint32_t len);
  std::size_t watchpoints() const { return watchpoints_.size(); }
  void clear_points();  // all breakpoints and watchpoints (detach)

  // Registers; PC is where the machine resumes (Unicorn's own PC may be stale, notes §7.5).
  std::uint32_t read_register(int n);
  bool write_register(int n, std::uint32_t value);

  // Memory: host memory directly; device windows through the models (reads may have side
  // effects, e.g. popping a UART receive FIFO). Returns the number of bytes transferred:
  // fewer than asked when an address is not mapped. Writes to flash act like a probe.
  std::size_t read_memory(std::uint32_t addr, std::uint8_t* out, std::size_t n);
  std::size_t write_memory(std::uint32_t addr, const std::uint8_t* in, std::size_t n);
  bool is_device(std::uint32_t addr);
  std::uint64_t device_reads() const { return device_reads_; }

  std::string target_xml() const;
  std::string memory_map_xml();

 private:
  struct Breakpoint {
    uc_hook hook;
    bool hardware;
  };
  struct Watchpoint {
    WatchKind kind;
    std::uint32_t addr, len;
    std::vector<uc_hook> hooks;
  };
  static void hook_breakpoint(uc_engine* uc, std::uint64_t addr, std::uint32_t size, void* user);
  static void hook_tracer(uc_engine* uc, std::uint64_t addr, std::uint32_t size, void* user);
  static void hook_watch(uc_engine* uc, uc_mem_type type, std::uint64_t addr, int size,
                         std::int64_t value, void* user);
  bool skip(std::uint32_t addr, Ticks at) const;
  void halt_before(std::uint32_t addr, DebugStop::Kind kind);
  void set_tracer(bool on);
  void flush_all();
  DebugStop finish(const RunResult& r);

  Machine& m_;
  std::map<std::uint32_t, Breakpoint> breakpoints_;
  std::vector<Watchpoint> watchpoints_;
  uc_hook tracer_ = 0;
  bool tracer_on_ = false;
  bool stepping_ = false;
  // The instruction the target resumes from after a halt: allowed to run once.
  bool skip_valid_ = false;
  std::uint32_t skip_pc_ = 0;
  Ticks skip_at_ = 0;
  // A watched access seen in a memory hook; the tracer stops before the next instruction.
  bool watch_hit_ = false;
  std::uint32_t watch_addr_ = 0;
  WatchKind watch_kind_ = WatchKind::Write;
  bool have_stop_ = false;
  DebugStop stop_;
  std::uint64_t device_reads_ = 0;
};

}  // namespace hilsim::emu
