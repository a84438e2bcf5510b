// The machine: one board (board.yaml) brought to life — CPU, memory, the System Control
// Space, device models, the event queue — and the run loop that ties them together.
//
// Run loop contract (docs/architecture.md, "The run loop"): the CPU runs until the earliest
// of {next event, the caller's limit, a chunk bound, the budget}; every stop is at a block
// boundary chosen from the instruction count, so results never depend on chunking.
// Interrupts are taken at block boundaries. WFI with nothing pending jumps virtual time to
// the next event. Faults become reports plus the architectural HardFault, never a crash.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/bus.h"
#include "emulator/clock.h"
#include "emulator/cpu.h"
#include "emulator/elf_image.h"
#include "emulator/exceptions.h"
#include "emulator/fault_report.h"
#include "emulator/fp_context.h"
#include "emulator/nvic.h"
#include "emulator/semihosting.h"
#include "emulator/symbols.h"
#include "emulator/system_control.h"
#include "emulator/systick.h"
#include "emulator/trace_hash.h"
#include "peripherals/device.h"

namespace hilsim::emu {

struct MachineOptions {
  std::uint64_t seed = 0;
  // Longest stretch the CPU runs without returning to the loop. Any value gives the same
  // results; it only bounds how long a host-side request waits.
  Ticks max_chunk = 4'000'000;
  Ticks instruction_budget = 0;  // 0 = unlimited; exceeding it is reported as a fault
  bool semihosting = false;
  std::string semihosting_root;  // directory that SYS_OPEN may use ("" = none)
};

enum class StopReason {
  TimeLimit,   // reached the requested virtual time
  Exited,      // semihosting SYS_EXIT
  Breakpoint,  // BKPT executed (not semihosting)
  Lockup,      // a fault the core could not handle
  Budget,      // instruction budget exhausted
  Stuck,       // asleep with nothing that could ever wake it
  PoweredOff,
  Halted,  // a debugger asked (request_halt): breakpoint, watchpoint, step, Ctrl-C
};
const char* to_string(StopReason reason);

struct RunResult {
  StopReason reason = StopReason::TimeLimit;
  int exit_code = 0;  // for Exited
};

class Machine final : public periph::DeviceHost, private CpuListener {
 public:
  static Loaded<std::unique_ptr<Machine>> create(const BoardConfig& board, MachineOptions options);
  ~Machine() override;

  // Firmware: bytes go into the memory buffers (flash persists across power cycles).
  std::string load_firmware(const ElfImage& image);
  const SymbolTable& symbols() const { return symbols_; }

  // Power and reset.
  void power_on();
  void power_off();
  bool powered() const { return powered_; }
  // Lets time pass with the power off (nothing runs, no events fire).
  void advance_unpowered(Ticks dt);
  // Lets time pass while powered but stopped for good (after a BKPT with no debugger, a
  // lockup or a semihosting exit, or asleep with nothing left to wake it): nothing runs and
  // no events fire; counted as idle cycles. A reset or power cycle starts the core again.
  void advance_stopped(Ticks dt) {
    idle_cycles_ += dt;
    cpu_.set_icount(cpu_.icount() + dt);
  }
  void reset(periph::ResetReason reason);  // immediate system reset (external/debugger)

  // Whole-machine snapshot: CPU, memory, SCS, every device's declared state, the event queue
  // (as ticks until due), the trace hash and the loop's own state. Format: docs/snapshot-format.md.
  // Restoring into a machine built from the same board gives a run identical to the original.
  std::vector<std::uint8_t> save_snapshot();
  std::string restore_snapshot(std::span<const std::uint8_t> snapshot);

  RunResult run_until(Ticks t);
  RunResult run_for(Ticks dt) { return run_until(now() + dt); }

  // Debugger control (emulator/debugger.h). request_halt() may be called from a CPU hook
  // (with Cpu::stop_before) or between runs: run_until returns Halted at its next turn,
  // before any event fires. While interrupts are held, pending exceptions are not taken
  // (single-step "hold interrupts", as QEMU's sstep NOIRQ). set_pc sets where the CPU resumes.
  void request_halt() { halt_requested_ = true; }
  void set_hold_interrupts(bool hold) { hold_interrupts_ = hold; }
  void set_pc(std::uint32_t pc) { pc_ = pc | 1u; }

  // Time.
  Ticks now() const override { return cpu_.now(); }
  std::uint64_t clock_hz() const override { return board_.clock_hz; }
  double seconds(Ticks t) const { return static_cast<double>(t) / static_cast<double>(board_.clock_hz); }
  Ticks ticks_from_ns(std::uint64_t ns) const;

  // Determinism.
  std::uint64_t trace_hash() const { return trace_.value(); }
  std::uint64_t trace_events() const { return trace_.events(); }
  // Every traced event also goes to `sink` (null: none); see emulator/trace_hash.h.
  void set_trace_sink(TraceSink* sink) { trace_.set_sink(sink); }

  // Inputs from outside.
  bool set_pin(const std::string& pin, bool level);
  std::optional<bool> pin(const std::string& pin) const;
  bool uart_input(const std::string& uart, std::span<const std::uint8_t> bytes);

  // Observers (set before running). Called on the emulation thread.
  std::function<void(Ticks, const std::string& uart, std::uint8_t byte)> on_uart_byte;
  std::function<void(Ticks, const std::string& pin, bool level)> on_pin_change;
  std::function<void(Ticks, periph::ResetReason)> on_reset;
  std::function<void(const FaultReport&)> on_fault;
  std::function<void(const std::string& message)> on_guest_error;
  std::function<void(std::string_view text)> on_semihost_output;

  // Introspection.
  const BoardConfig& board() const { return board_; }
  const std::vector<FaultReport>& faults() const { return faults_; }
  const std::vector<std::pair<Ticks, periph::ResetReason>>& resets() const { return resets_; }
  const std::vector<std::string>& guest_errors() const { return guest_errors_; }
  periph::Device* device(const std::string& name);
  Cpu& cpu() { return cpu_; }
  Nvic& nvic() { return nvic_; }
  Bus& bus() { return bus_; }
  SystemControl& scs() { return *scs_; }
  FpContext& fp() { return *fp_; }
  std::uint64_t exceptions_taken() const { return exceptions_taken_; }
  std::uint64_t sleeps() const { return sleeps_; }
  // Cycles skipped while asleep or powered off; now() - idle_cycles() = instructions executed.
  Ticks idle_cycles() const { return idle_cycles_; }
  Ticks instructions() const { return now() - idle_cycles_; }
  bool sleeping() const { return sleeping_; }
  std::uint32_t pc() const { return pc_; }
  FaultReport capture(const std::string& kind, const std::string& detail, std::uint32_t pc,
                      bool pc_exact);

  // DeviceHost.
  EventId add_event(std::string name, std::function<void()> fire) override;
  void schedule(EventId event, Ticks delay) override;
  void cancel(EventId event) override;
  bool is_scheduled(EventId event) const override { return events_.is_scheduled(event); }
  Ticks due_at(EventId event) const override { return events_.due_at(event); }
  void set_irq(int line, bool level) override;
  void request_reset(periph::ResetReason reason) override;
  void guest_error(std::string_view device, std::uint32_t offset, std::string_view what) override;
  MemoryView memory(const std::string& region) override;
  void memory_changed(std::uint32_t address, std::uint32_t size) override;

 private:
  explicit Machine(const BoardConfig& board, MachineOptions options);
  std::string build();
  void system_reset(periph::ResetReason reason);
  void take_exception(int e, std::uint32_t return_address);
  void handle_cpu_error();
  void coprocessor_fault(std::uint32_t pc);
  void escalate_fault(const FaultReport& report, int preferred, std::uint32_t cfsr_bits,
                      std::uint32_t return_address);
  void lockup(const std::string& why, std::uint32_t pc, bool pc_exact);
  void record_fault(const FaultReport& report);
  void describe_machine(periph::StateVisitor& v);
  std::string apply_snapshot(std::span<const std::uint8_t> snapshot);
  std::vector<std::uint32_t> backtrace(std::uint32_t sp, std::uint32_t lr) const;
  bool is_code(std::uint32_t addr) const;

  // CpuListener (called from Unicorn hooks).
  void on_interrupt(std::uint32_t intno) override;
  void on_bad_access(uc_mem_type type, std::uint32_t address, int size, std::uint32_t value) override;

  BoardConfig board_;
  MachineOptions options_;
  Cpu cpu_;
  TraceHash trace_;
  EventQueue events_;
  Bus bus_{cpu_, trace_};
  Nvic nvic_;
  std::unique_ptr<SysTick> systick_;
  std::unique_ptr<SystemControl> scs_;
  std::unique_ptr<FpContext> fp_;
  std::unique_ptr<ExceptionUnit> exceptions_;
  std::unique_ptr<Semihosting> semihosting_;
  std::vector<std::unique_ptr<periph::Device>> devices_;
  std::map<std::string, periph::Device*> device_by_name_;
  SymbolTable symbols_;

  bool powered_ = false;
  bool nmi_level_ = false;              // a device's NMI input (periph::kIrqNmi)
  std::vector<LoadChunk> ram_image_;    // firmware segments in RAM, reloaded at power-on
  bool halt_requested_ = false;   // debugger
  bool hold_interrupts_ = false;  // debugger
  bool sleeping_ = false;
  bool event_register_ = false;  // WFE/SEV
  std::uint32_t pc_ = 0;         // where the CPU resumes
  std::optional<periph::ResetReason> pending_reset_;
  std::optional<RunResult> stop_;  // set by hooks: exit, breakpoint, lockup
  bool svc_pending_ = false;       // an SVC executed: must be taken at once or escalate
  bool sleep_on_exit_ = false;     // returning to thread mode with SCR.SLEEPONEXIT
  std::string exc_return_error_;
  std::optional<std::uint32_t> nocp_at_;  // a coprocessor instruction raised NOCP (its address)
  struct BadAccess {
    bool seen = false;
    uc_mem_type type{};
    std::uint32_t address = 0;
    int size = 0;
  } bad_access_;

  std::vector<FaultReport> faults_;
  std::vector<std::pair<Ticks, periph::ResetReason>> resets_;
  std::vector<std::string> guest_errors_;
  std::set<std::pair<std::string, std::uint32_t>> guest_error_seen_;
  std::uint64_t exceptions_taken_ = 0;
  std::uint64_t sleeps_ = 0;
  Ticks idle_cycles_ = 0;
};

}  // namespace hilsim::emu
