// One scenario run in progress: the Machine, what it has said and done so far (UART logs,
// resets, faults, pin changes, flash operations), the monitors that watch it (invariants,
// never-serial), host actions scheduled at virtual times, and the one way to let time pass:
// wait_until(). This is the API step executors use (scenarios/steps/*.cpp).
//
// Waiting: wait_until(deadline, done) runs the machine — or lets time pass while it is off or
// stopped — until done() holds, the deadline passes, or the run must end (a monitor reported
// a violation, the scenario's time limit). done() is re-checked after every event that could
// change it (UART byte, pin change, reset, fault, flash operation, power change); when it
// turns true inside the emulator the machine is halted at the next block boundary (after an
// event such as a UART byte: after at most one more basic block), so a step passes at a
// deterministic instant right after the event.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <vector>

#include "emulator/machine.h"
#include "peripherals/flash_controller.h"
#include "scenarios/input.h"
#include "scenarios/scenario.h"
#include "scenarios/serial.h"
#include "scenarios/timeline.h"

namespace hilsim::scen {

// Why a run failed, as reported (console, JUnit, JSON).
struct Failure {
  emu::Ticks at = 0;
  double seconds = 0;
  int step = 0;           // the step that was running (0: none)
  std::string step_type;  // its type
  std::string what;       // "step 3 wait-serial", "invariant no-hardfault", "time limit"
  SourceMark mark;        // where that is declared in the scenario file
  std::string expected, seen;
  std::vector<std::string> last_lines;  // the last UART lines, formatted like the timeline
};

// Watches the run continuously (invariants, never-serial). Handlers call ctx.violate().
class Monitor {
 public:
  virtual ~Monitor() = default;
  virtual std::string what() const = 0;  // "invariant no-hardfault", "never-serial (step 4)"
  SourceMark mark;
  std::string id;  // for clear-never
  virtual void on_uart(RunContext& ctx, const std::string& uart) {}
  virtual void on_reset(RunContext& ctx, emu::Ticks at, periph::ResetReason reason) {}
  virtual void on_fault(RunContext& ctx, const emu::FaultReport& fault) {}
  virtual void on_power(RunContext& ctx, bool on) {}
  // A time at which on_deadline() must run (kNever: none).
  virtual emu::Ticks deadline() const { return emu::kNever; }
  virtual void on_deadline(RunContext& ctx) {}
  virtual bool done() const { return false; }  // true: remove me
  virtual void on_end(RunContext& ctx) {}      // the run ended; may note what stayed unchecked
};

// Counts of everything recorded, taken when a step starts: "since the previous step".
struct Marks {
  emu::Ticks at = 0;
  std::map<std::string, std::size_t> uart;  // UartLog sizes
  std::size_t resets = 0, faults = 0, pins = 0, flash_ops = 0;
};

// Sees what the device puts out, as RunContext observes it (session recording): the stream
// hashes of scenarios/recording/streams.h. Resets, faults, exceptions and MMIO come from the
// machine's trace sink instead.
class OutputTap {
 public:
  virtual ~OutputTap() = default;
  virtual void uart_byte(emu::Ticks at, const std::string& uart, std::uint8_t byte) = 0;
  virtual void pin_changed(emu::Ticks at, const std::string& pin, bool level) = 0;
  virtual void flash_op(const periph::FlashOp& op) = 0;  // at its start (end == 0) and at its end
};

struct PinChange {
  emu::Ticks at;
  std::string pin;
  bool level;
};

class RunContext {
 public:
  RunContext(const Scenario& scenario, emu::Machine& machine, Timeline& timeline);
  ~RunContext();
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;

  emu::Machine& machine() { return m_; }
  // Runs the machine through `run` instead of Machine::run_until (the GDB server's loop for
  // `hilsim run --gdb`); it must return like run_until.
  void set_machine_runner(std::function<emu::RunResult(emu::Ticks)> run) { run_machine_ = std::move(run); }
  const Scenario& scenario() const { return sc_; }
  Timeline& timeline() { return tl_; }

  // ---- time ---------------------------------------------------------------------------
  emu::Ticks now() const { return m_.now(); }
  emu::Ticks ticks(std::uint64_t ns) const { return m_.ticks_from_ns(ns); }
  emu::Ticks after(std::uint64_t ns) const { return now() + ticks(ns); }
  double seconds(emu::Ticks t) const { return m_.seconds(t); }
  std::uint64_t ns(emu::Ticks dt) const {  // exact, rounded down
    return static_cast<std::uint64_t>(static_cast<unsigned __int128>(dt) * 1'000'000'000u / m_.clock_hz());
  }
  std::string stamp(emu::Ticks t) const;  // "1.234567 s"

  enum class Wait { Met, Timeout, Stopped };
  Wait wait_until(emu::Ticks deadline, const std::function<bool()>& done);
  // Host actions at a virtual time (a button released after `for:`); they run inside waits.
  // A restore drops pending actions unless `keep_on_restore` (the recorder's checkpoints).
  void schedule(emu::Ticks at, std::string what, std::function<void()> action, bool keep_on_restore = false);
  // Something a waiter may depend on changed outside the events RunContext observes itself
  // (a status register the firmware wrote): re-check the current wait.
  void changed() { after_event(); }

  // ---- the device ----------------------------------------------------------------------
  void power_on(const std::string& why = {});
  void power_off(const std::string& why = {});
  void reset(const std::string& why = {});  // external reset (reset pin)
  // Non-empty while the core is stopped for good (BKPT with on-bkpt: halt, lockup, exit).
  const std::string& stopped() const { return stopped_; }
  bool set_input(const std::string& pin, bool level, const std::string& why = {});
  void send(const std::string& uart, const std::string& bytes);
  std::string save_snapshot(const std::string& name);  // "" or an error
  std::string restore_snapshot(const std::string& name);
  // Writes bytes into a memory region as they are (flash damage: no flash operation the firmware
  // could see); "" or why not.
  std::string poke(const std::string& region, std::uint32_t offset, const std::vector<std::uint8_t>& bytes);
  // What the next power cut does to a flash operation in flight (every controller).
  void set_power_loss_policy(periph::PowerLossPolicy policy);
  std::vector<periph::FlashController*> flash_controllers();
  // Faults from now until the next reset/power-on are expected (no-hardfault ignores them).
  void expect_faults() { faults_expected_ = true; }
  bool faults_expected() const { return faults_expected_; }

  // ---- what happened -------------------------------------------------------------------
  UartLog& uart(const std::string& name);
  std::string uart_of(const Args& args) const;  // the `uart` key, or the board's first uart
  const std::vector<std::pair<emu::Ticks, periph::ResetReason>>& resets() const { return resets_; }
  const std::vector<emu::FaultReport>& faults() const { return faults_; }
  const std::vector<PinChange>& pin_changes() const { return pins_; }
  const std::vector<periph::FlashOp>& flash_ops() const { return flash_ops_; }  // by start; ends filled in
  Marks marks() const;
  // Marks taken when the previous step started (the run's start for the first step).
  const Marks& previous_step_marks() const { return previous_marks_; }
  std::vector<std::string> last_uart_lines(std::size_t n) const;

  // ---- monitors and failures -----------------------------------------------------------
  void add_monitor(std::unique_ptr<Monitor> monitor);
  bool remove_monitors(const std::string& id);  // true if any had that id
  // A monitor (or anything) found the run broken: the current wait ends with Stopped.
  void violate(const Monitor& who, std::string expected, std::string seen, emu::Ticks at);
  void violate(std::string what, SourceMark mark, std::string expected, std::string seen, emu::Ticks at);
  const std::optional<Failure>& violation() const { return violation_; }

  // ---- timeline ------------------------------------------------------------------------
  void note(const std::string& who, const std::string& text) { note_at(now(), who, text); }
  void note_at(emu::Ticks at, const std::string& who, const std::string& text);
  bool logs(const std::string& source) const { return sc_.log.count(source) != 0; }

  // ---- outside drivers (campaigns) -------------------------------------------------------
  // `due` is checked after every event the context observes; when it holds, the machine halts
  // at the next block boundary (as a waiter's condition does) and `act` runs inside the current
  // wait, before that wait's own condition is checked again. `act` must make `due` false.
  void set_interrupt(std::function<bool()> due, std::function<void()> act) {
    interrupt_due_ = std::move(due);
    interrupt_act_ = std::move(act);
  }
  void clear_interrupt() { interrupt_due_ = nullptr, interrupt_act_ = nullptr; }

  // ---- inputs (scenarios/input.h) --------------------------------------------------------
  // Every input method above (and the network ones in network.h) reports its Input here first,
  // stamped with the current time. One sink: the session recorder.
  void set_input_sink(std::function<void(const Input&)> sink) { input_sink_ = std::move(sink); }
  void record_input(Input input);
  void set_output_tap(OutputTap* tap) { tap_ = tap; }

  // ---- for the runner ------------------------------------------------------------------
  void begin_step(const StepInstance& step);
  const StepInstance* current_step() const { return step_; }
  void end_run();

  // Per-run state of extensions (e.g. the network steps' server), created on first use.
  template <typename T>
  T& state() {
    auto& slot = extensions_[std::type_index(typeid(T))];
    if (!slot) slot = std::shared_ptr<void>(new T(), [](void* p) { delete static_cast<T*>(p); });
    return *static_cast<T*>(slot.get());
  }

 private:
  void attach();
  void advance(emu::Ticks target);
  std::function<emu::RunResult(emu::Ticks)> run_machine_;  // set_machine_runner
  void after_event();  // re-checks the waiter; halts the machine if it is satisfied
  void halt_now();
  void run_due(emu::Ticks now);
  emu::Ticks next_due() const;
  void break_lines(const std::string& why);
  void on_uart_byte(emu::Ticks at, const std::string& uart, std::uint8_t byte);
  void on_reset(emu::Ticks at, periph::ResetReason reason);
  void on_fault(const emu::FaultReport& fault);
  template <typename F>
  void each_monitor(F&& f);

  const Scenario& sc_;
  emu::Machine& m_;
  Timeline& tl_;
  emu::Ticks time_limit_;
  std::map<std::string, UartLog> uarts_;
  std::vector<std::pair<emu::Ticks, periph::ResetReason>> resets_;
  std::vector<emu::FaultReport> faults_;
  std::vector<PinChange> pins_;
  std::vector<periph::FlashOp> flash_ops_;
  std::vector<std::unique_ptr<Monitor>> monitors_;
  bool in_monitors_ = false;
  std::vector<std::unique_ptr<Monitor>> added_while_iterating_;
  struct Action {
    emu::Ticks at;
    std::uint64_t order;
    std::string what;
    std::function<void()> run;
    bool keep_on_restore = false;
  };
  std::vector<Action> actions_;
  std::uint64_t action_order_ = 0;
  struct Saved {
    std::vector<std::uint8_t> blob;
    std::string stopped;
  };
  std::map<std::string, Saved> snapshots_;
  std::optional<Failure> violation_;
  const std::function<bool()>* waiter_ = nullptr;
  std::function<bool()> interrupt_due_;  // set_interrupt
  std::function<void()> interrupt_act_;
  std::function<void(const Input&)> input_sink_;  // set_input_sink
  OutputTap* tap_ = nullptr;                       // set_output_tap
  bool running_ = false;  // inside Machine::run_until
  emu::Ticks run_target_ = 0;
  emu::EventId halt_event_ = 0;
  std::string stopped_;
  bool faults_expected_ = false;
  const StepInstance* step_ = nullptr;
  Marks previous_marks_, current_marks_;
  std::map<std::type_index, std::shared_ptr<void>> extensions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hilsim::scen
