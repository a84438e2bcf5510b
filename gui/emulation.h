// The emulation thread behind the panel: it owns the scenario run (scenarios/runner.h) and so
// the Machine, runs it in slices of virtual time, and between slices drains the panel's
// command queue and publishes a DeviceView copy (triple buffer: the lock is held only to swap
// a pointer). The UI thread never waits for the machine, and the machine never waits for the
// UI except when paused or when the UI's pacing allowance (real time, ×N) is used up.
// No wall clock here: the UI converts wall time into an allowance of virtual time.
// With a GDB server (options.gdb, gui/gdb_link.h) every slice runs through the server, so a
// debugger and the panel drive the same machine; while the debugger holds the target the
// thread serves it and keeps taking commands and publishing views in between.
// Recording (the Record button, --record) restarts the session from power-on with a recorder
// attached: a replay starts from power-on too. Stop ends the file; the session goes on.
// Leaves out: several scenarios at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "emulator/debugger.h"
#include "gui/device_view.h"
#include "gui/gdb_link.h"
#include "scenarios/recording/recorder.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace hilsim::gui {

class ViewBuilder;

struct Command {
  enum class Kind {
    Run, Pause,
    StepInstruction,  // one instruction (pauses first when running)
    StepScenario,     // run until the next scenario step starts, then pause
    Reset,            // the reset pin
    PowerCut, PowerOn,
    Restart,          // the whole scenario again, on a new machine
    SetPin,           // text = pin, value = level
    UartInput,        // text = uart, text2 = bytes
    Publish,          // text = version, text2 = file ("" = a release the scenario lists)
    NetFault,         // text = drop | stall | corrupt | truncate | refuse | slow
    CutAtNextFlashOp, // power cut (torn) when the next flash operation starts
    Record,           // text = .hrec path: restart the session from power-on, recorded
    StopRecording,    // end the recording now (the session goes on)
    Quit,
  };
  Command(Kind k = Kind::Run, std::string t = {}, std::string t2 = {}, std::int64_t v = 0)
      : kind(k), text(std::move(t)), text2(std::move(t2)), value(v) {}
  Kind kind;
  std::string text, text2;
  std::int64_t value;
};

struct EmulationOptions {
  std::shared_ptr<const scen::Scenario> scenario;
  bool start_paused = false;
  // Pause when the Nth flash operation (counted from the run's start, optionally only those in
  // a partition) starts, leaving it in flight: a deterministic "middle of an update".
  std::uint64_t pause_at_flash_op = 0;
  std::string pause_at_flash_partition;
  emu::Ticks pause_at = emu::kNever;  // pause at this virtual time (at a slice boundary)
  emu::Ticks slice = 0;               // virtual time per slice; 0 = 2 ms of the board clock
  GdbLinkOptions gdb;                 // port -1: no GDB server
  std::string record;                 // record the session from its start to this .hrec file
  std::string build_dir;              // for the recording's firmware path (replay elsewhere)
  std::vector<std::uint8_t> snapshot; // start from this machine snapshot instead of power-on
};

class Emulation final : private scen::RunObserver {
 public:
  explicit Emulation(EmulationOptions options);
  ~Emulation() override;  // quits and joins
  Emulation(const Emulation&) = delete;
  Emulation& operator=(const Emulation&) = delete;

  // Opens the GDB port if asked (before anything runs), then starts the thread. "" or an error.
  std::string start();
  int gdb_port() const { return gdb_.port(); }
  void post(Command c);
  // The UI's pacing: the machine may run up to this virtual time (kNever: as fast as it can).
  void allow_until(emu::Ticks t);
  // The newest published view; takes it if there is a fresh one (lock held for a pointer swap).
  // Returns true if it changed since the last call.
  bool take_view();
  const DeviceView& view() const { return *front_; }
  // True once the pause_at_* condition has been reached (and the machine is paused there).
  bool reached_pause_point() const { return reached_.load(); }
  std::uint64_t published() const { return published_.load(); }
  // Read straight from the machine (not through the view) when it last paused: flash
  // controller, status port, time. Tests compare it with what the panels drew.
  nlohmann::json machine_facts();

 private:
  void thread_main();
  // RunObserver
  void attached(scen::RunContext& ctx) override;
  void step_started(scen::RunContext& ctx, const scen::StepInstance& step, const std::string& head) override;
  void step_finished(scen::RunContext& ctx, std::size_t i, const scen::StepRecord& record) override;
  void steps_done(scen::RunContext& ctx, const std::optional<scen::Failure>& failure) override;

  emu::RunResult run_slices(emu::Ticks target);  // the context's machine runner
  bool serve_paused();
  // The debugger's side (gdb_link.h): serving it while it holds the target, the panel's work
  // while the server waits, and what the panel refuses meanwhile.
  void serve_debugger();
  bool debugger_idle();
  bool hand_pause_to_debugger();
  void check_killed();
  void refuse(const std::string& what);
  void handle_pending();
  std::string publish_release(const std::string& version, const std::string& file);
  void stop_recording(const std::string& why);
  bool drain();  // applies queued commands; true if any
  void apply(const Command& c);
  void instruction_step();
  void publish(bool force);
  void pause(std::string why);
  void halt_soon();
  void abort_run(const std::string& who, const std::string& why);
  void on_flash_op(const periph::FlashOp& op);

  EmulationOptions o_;
  std::thread thread_;
  // Commands (UI → emulation).
  std::mutex cmd_lock_;
  std::condition_variable cmd_cv_;
  std::deque<Command> commands_;
  std::atomic<emu::Ticks> allowed_{emu::kNever};
  // Views (emulation → UI).
  std::mutex view_lock_;
  std::unique_ptr<DeviceView> back_, ready_, front_;
  std::atomic<bool> fresh_{false};
  std::atomic<std::uint64_t> published_{0};
  std::atomic<bool> reached_{false};
  std::mutex facts_lock_;
  nlohmann::json facts_;
  void capture_facts();

  // Emulation-thread state (gdb_ is opened by start(), on the caller's thread, before that).
  GdbLink gdb_;
  std::unique_ptr<ViewBuilder> builder_;
  std::unique_ptr<emu::Debugger> own_dbg_;  // without a GDB server; with one, the server's
  emu::Debugger* dbg_ = nullptr;
  scen::RunContext* ctx_ = nullptr;
  emu::EventId halt_event_ = 0;
  bool quit_ = false, restart_ = false, paused_ = false, pause_at_step_ = false;
  bool cut_next_ = false, cut_pending_ = false, pause_pending_ = false, free_running_ = false;
  bool stepped_ = false;
  std::string pause_reason_, core_stopped_, error_, cut_what_, pause_what_;
  std::string notice_;                  // what the panel refused while the debugger held the target
  std::uint64_t facts_halts_ = ~0ull;   // the debugger halt machine_facts() were captured at
  std::uint64_t trace_hash_ = 0;        // when the steps ended
  std::shared_ptr<int> alive_token_ = std::make_shared<int>(0);  // replaced when a run ends
  std::uint64_t flash_ops_counted_ = 0, slices_ = 0;
  RunState state_ = RunState::Starting;
  // Session recording (scenarios/recording/): the next run records to record_next_.
  std::unique_ptr<scen::rec::Recorder> recorder_;
  std::string record_next_, record_status_;
};

}  // namespace hilsim::gui
