// The panel's emulation thread (emulation.h).
// Index: [thread] lifetime, the run, free running · [slices] the machine runner, pausing ·
// [debugger] serving GDB between and inside slices · [commands] what the panel can ask ·
// [views] publishing copies.
#include "gui/emulation.h"

#include "emulator/debugger.h"
#include "gui/view_builder.h"
#include "scenarios/network.h"
#include "scenarios/text_util.h"

namespace hilsim::gui {

Emulation::Emulation(EmulationOptions options)
    : o_(std::move(options)),
      back_(std::make_unique<DeviceView>()),
      ready_(std::make_unique<DeviceView>()),
      front_(std::make_unique<DeviceView>()),
      gdb_(o_.gdb) {
  front_->board = o_.scenario ? o_.scenario->board.name : "";
}

Emulation::~Emulation() {
  post({Command::Kind::Quit});
  if (thread_.joinable()) thread_.join();
}

std::string Emulation::start() {
  if (std::string err = gdb_.open(); !err.empty()) return err;
  thread_ = std::thread([this] { thread_main(); });
  return {};
}

void Emulation::post(Command c) {
  {
    std::lock_guard<std::mutex> g(cmd_lock_);
    commands_.push_back(std::move(c));
  }
  cmd_cv_.notify_one();
}

void Emulation::allow_until(emu::Ticks t) {
  emu::Ticks before = allowed_.exchange(t);
  if (t > before) cmd_cv_.notify_one();
}

// ===== [thread] ========================================================================

void Emulation::thread_main() {
  builder_ = std::make_unique<ViewBuilder>();
  // A target that waits for a debugger is already stopped before its first instruction.
  if (o_.start_paused && !(gdb_.enabled() && !o_.gdb.nowait)) {
    paused_ = true;
    pause_reason_ = "started paused";
  }
  record_next_ = o_.record;
  do {
    restart_ = false;
    state_ = RunState::Starting;
    scen::RunOptions ro;
    ro.observer = this;
    recorder_.reset();
    if (!record_next_.empty()) {
      scen::rec::RecorderOptions rec;
      rec.path = record_next_;
      rec.build_dir = o_.build_dir;
      recorder_ = std::make_unique<scen::rec::Recorder>(rec);
      std::string err = recorder_->open();
      record_status_ = err.empty() ? "recording to " + record_next_ : "cannot record: " + err;
      if (err.empty()) ro.session = recorder_.get();
      else recorder_.reset();
      record_next_.clear();
    }
    scen::ScenarioResult r =
        scen::run_scenario(*o_.scenario, ro, [this](const std::string& line) { builder_->timeline_line(line); });
    if (r.status == scen::ScenarioResult::Status::Error) {
      error_ = r.error;
      state_ = RunState::Error;
      publish(true);
    }
    // The run is over (an error, or a quit/restart): wait for what comes next.
    while (!quit_ && !restart_) {
      {
        std::unique_lock<std::mutex> l(cmd_lock_);
        cmd_cv_.wait_for(l, std::chrono::milliseconds(20), [&] { return !commands_.empty(); });
      }
      drain();
    }
  } while (restart_ && !quit_);
}

void Emulation::attached(scen::RunContext& ctx) {
  ctx_ = &ctx;
  emu::Machine& m = ctx.machine();
  if (gdb_.enabled()) {
    gdb_.attach(ctx, [this] { return debugger_idle(); });
    dbg_ = &gdb_.server()->debugger();  // one Debugger per machine: breakpoints stay its own
  } else {
    own_dbg_ = std::make_unique<emu::Debugger>(m);
    dbg_ = own_dbg_.get();
  }
  // --snapshot: the machine starts where it was saved (the run does not power it on). Before the
  // panel adds its own event: a snapshot holds the machine's events, matched by name.
  if (!o_.snapshot.empty()) {
    std::string err = m.restore_snapshot(o_.snapshot);
    ctx.note("panel", err.empty() ? "started from the snapshot at " + ctx.stamp(m.now()) : "cannot start from the snapshot: " + err);
    if (!err.empty()) error_ = "--snapshot: " + err;
  }
  halt_event_ = m.add_event("gui.halt", [] {});
  ctx.set_machine_runner([this](emu::Ticks t) { return run_slices(t); });
  builder_->attach(ctx, *dbg_);
  for (periph::FlashController* fc : ctx.flash_controllers())
    fc->add_op_sink([this, alive = std::weak_ptr<int>(alive_token_)](const periph::FlashOp& op) {
      if (!alive.expired()) on_flash_op(op);
    });
  flash_ops_counted_ = 0;
  slices_ = 0;
  free_running_ = false;
  core_stopped_.clear();
  cut_next_ = cut_pending_ = pause_pending_ = false;
  if (o_.slice == 0) o_.slice = m.clock_hz() / 500;  // 2 ms
  state_ = RunState::Running;
  publish(true);
}

void Emulation::step_started(scen::RunContext& ctx, const scen::StepInstance& step, const std::string& head) {
  builder_->step_started(step, ctx.now());
  if (emu::GdbServer* g = gdb_.server()) g->scenario_step(head);  // 'monitor step-scenario'
  if (pause_at_step_) {
    pause_at_step_ = false;
    pause("before step " + head);
  }
  serve_debugger();  // a pause handed to the debugger is served here, before the step acts
  while (paused_ && !quit_ && !restart_) serve_paused();
}

void Emulation::step_finished(scen::RunContext& ctx, std::size_t i, const scen::StepRecord& record) {
  builder_->step_finished(i, record);
}

void Emulation::steps_done(scen::RunContext& ctx, const std::optional<scen::Failure>& failure) {
  trace_hash_ = ctx.machine().trace_hash();  // the instant `hilsim run` reports it
  // The steps are over; a recording goes on with the free-running device until Stop, a
  // restart or quitting.
  builder_->run_finished(failure ? "failed" : "passed",
                         failure ? scen::format_failure(*failure, ctx.scenario().file) : std::string());
  // The device keeps running (the panel is still open) until the user quits or restarts.
  free_running_ = true;
  while (!quit_ && !restart_) {
    emu::RunResult r = run_slices(emu::kNever);
    switch (r.reason) {
      case emu::StopReason::Breakpoint: core_stopped_ = "BKPT with no debugger attached"; break;
      case emu::StopReason::Lockup: core_stopped_ = "the core locked up"; break;
      case emu::StopReason::Exited: core_stopped_ = "the firmware exited"; break;
      case emu::StopReason::Budget: core_stopped_ = "the instruction budget ran out"; break;
      case emu::StopReason::Stuck: core_stopped_ = "asleep with nothing to wake it"; break;
      default: break;
    }
  }
  stop_recording(quit_ ? "the panel was closed" : "the session was restarted");
  publish(true);
  builder_->detach();
  alive_token_ = std::make_shared<int>(0);  // disarms this run's flash sink
  dbg_ = nullptr;
  own_dbg_.reset();
  gdb_.detach(failure ? 1 : 0);  // an attached debugger sees the program exit
  ctx_ = nullptr;
}

// ===== [slices] ========================================================================

// Runs the machine towards `target` in slices; returns like Machine::run_until. Between slices:
// commands, pending panel actions, pacing, pausing, publishing.
emu::RunResult Emulation::run_slices(emu::Ticks target) {
  emu::Machine& m = ctx_->machine();
  emu::GdbServer* gdb = gdb_.server();
  for (;;) {
    drain();
    handle_pending();
    if (quit_ || restart_) return {emu::StopReason::Halted};
    serve_debugger();
    if (quit_ || restart_) return {emu::StopReason::Halted};
    if (paused_) {
      if (serve_paused()) return {emu::StopReason::Halted};  // one instruction ran: let the scenario look
      continue;
    }
    emu::Ticks now = m.now();
    if (now >= target) return {emu::StopReason::TimeLimit};
    if (o_.pause_at != emu::kNever && now >= o_.pause_at && !reached_) {
      reached_ = true;
      pause("reached the requested time");
      continue;
    }
    emu::Ticks allowed = allowed_.load();
    if (allowed <= now) {  // pacing: wait for the UI's clock
      publish(false);
      std::unique_lock<std::mutex> l(cmd_lock_);
      cmd_cv_.wait_for(l, std::chrono::milliseconds(5), [&] { return !commands_.empty() || allowed_.load() > now; });
      continue;
    }
    emu::Ticks end = std::min({target, now + o_.slice, allowed});
    if (!reached_ && o_.pause_at != emu::kNever) end = std::min(end, std::max(o_.pause_at, now + 1));
    ++slices_;
    if (!m.powered()) {
      m.advance_unpowered(end - now);
    } else if (!core_stopped_.empty()) {
      m.advance_stopped(end - now);
    } else {
      // Through the GDB server when there is one: it stops at breakpoints and watchpoints, reads
      // a Ctrl-C, and serves the debugger until it resumes (virtual time stands still).
      emu::RunResult r = gdb ? gdb->run_until(end) : dbg_->resume(end, false).run;
      check_killed();
      handle_pending();
      publish(false);
      if (r.reason != emu::StopReason::TimeLimit) return r;
      continue;
    }
    publish(false);
  }
}

// Serves the panel while paused. Returns true after an instruction step (the caller gives the
// scenario a chance to look at what it did), false when the pause ended.
bool Emulation::serve_paused() {
  while (paused_ && !quit_ && !restart_) {
    publish(false);
    {
      std::unique_lock<std::mutex> l(cmd_lock_);
      cmd_cv_.wait_for(l, std::chrono::milliseconds(10), [&] { return !commands_.empty(); });
    }
    stepped_ = false;
    drain();
    handle_pending();
    if (hand_pause_to_debugger()) return false;
    if (stepped_) {
      publish(true);
      return true;
    }
  }
  return false;
}

void Emulation::pause(std::string why) {
  if (emu::GdbServer* g = gdb_.server(); g && g->attached()) {
    // A debugger is attached: it is told (SIGINT, like Ctrl-C) and holds the target from now
    // on, so the panel and GDB agree it is halted and only GDB resumes it.
    pause_reason_ = std::move(why);
    g->interrupt(pause_reason_);
    publish(true);
    return;
  }
  paused_ = true;
  pause_reason_ = std::move(why);
  capture_facts();
  publish(true);
}

void Emulation::capture_facts() {
  if (!ctx_) return;
  emu::Machine& m = ctx_->machine();
  nlohmann::json j;
  j["now"] = m.now();
  j["pc"] = m.pc() & ~1u;
  j["powered"] = m.powered();
  j["pause_reason"] = gdb_.holds() ? "debugger" : pause_reason_;
  if (emu::GdbServer* g = gdb_.server()) {
    j["debugger_halts"] = g->halts();
    j["debugger_halt_reason"] = g->halt_reason();
  }
  std::vector<periph::FlashController*> fcs = ctx_->flash_controllers();
  if (!fcs.empty()) {
    periph::FlashController& fc = *fcs[0];
    nlohmann::json f;
    f["ops_started"] = fc.ops_started();
    f["sector_size"] = fc.array().sector_size();
    f["sectors"] = fc.array().sectors();
    std::vector<std::uint32_t> erases;
    for (std::uint32_t s = 0; s < fc.array().sectors(); ++s) erases.push_back(fc.array().erase_count(s));
    f["erases"] = erases;
    if (const periph::FlashOp* op = fc.in_flight()) {
      f["in_flight"] = {{"seq", op->seq}, {"kind", periph::to_string(op->kind)}, {"address", op->address},
                        {"size", op->size}, {"sector", (op->address - fc.base()) / fc.array().sector_size()}};
    } else {
      f["in_flight"] = nullptr;
    }
    j["flash"] = f;
  }
  scen::NetworkState& net = scen::network_state(*ctx_);
  if (net.status) j["status"] = {{"version", net.status->version_text()},
                                 {"slot", periph::StatusPort::to_string(net.status->slot())},
                                 {"state", periph::StatusPort::to_string(net.status->state())}};
  std::lock_guard<std::mutex> g(facts_lock_);
  facts_ = std::move(j);
}

nlohmann::json Emulation::machine_facts() {
  std::lock_guard<std::mutex> g(facts_lock_);
  return facts_;
}

// From a flash-operation sink (inside the CPU run): stop at the next block boundary.
void Emulation::halt_soon() {
  emu::Machine& m = ctx_->machine();
  m.request_halt();
  m.schedule(halt_event_, 1);
}

void Emulation::on_flash_op(const periph::FlashOp& op) {
  if (op.end != 0 || !ctx_) return;
  if (cut_next_) {
    cut_next_ = false;
    cut_pending_ = true;
    cut_what_ = "flash " + std::string(periph::to_string(op.kind)) + " #" + std::to_string(op.seq);
    halt_soon();
  }
  if (o_.pause_at_flash_op != 0 && !reached_) {
    bool match = o_.pause_at_flash_partition.empty();
    if (!match)
      if (const emu::Partition* p = ctx_->scenario().board.find_partition(o_.pause_at_flash_partition)) {
        std::uint32_t base = ctx_->scenario().board.partition_base(*p);
        match = op.address >= base && op.address - base < p->size;
      }
    if (match && ++flash_ops_counted_ == o_.pause_at_flash_op) {
      pause_pending_ = true;
      pause_what_ = "flash " + std::string(periph::to_string(op.kind)) + " #" + std::to_string(op.seq) + " started (" +
                    std::to_string(flash_ops_counted_) + (o_.pause_at_flash_partition.empty() ? "" : " in " + o_.pause_at_flash_partition) + ")";
      halt_soon();
    }
  }
}

void Emulation::handle_pending() {
  if (!ctx_) return;
  if (cut_pending_) {
    cut_pending_ = false;
    ctx_->set_power_loss_policy(periph::PowerLossPolicy::Torn);
    ctx_->power_off("panel: cut during " + cut_what_ + ", policy torn");
  }
  if (pause_pending_) {
    pause_pending_ = false;
    reached_ = true;
    pause(pause_what_);
  }
}

void Emulation::abort_run(const std::string& who, const std::string& why) {
  if (ctx_ && !ctx_->violation())
    ctx_->violate(who, scen::SourceMark{1, 1}, "the scenario to run to its end", why, ctx_->now());
}

// ===== [debugger] ======================================================================

// While a debugger holds the target, or the target waits for one, serve it right here:
// nothing runs, so virtual time stands still; debugger_idle() keeps the panel going. Also takes
// a debugger that is attaching and a Ctrl-C that came while the machine was not running.
void Emulation::serve_debugger() {
  emu::GdbServer* g = gdb_.server();
  if (!g || quit_ || restart_ || !ctx_) return;
  if (g->poll()) {
    paused_ = false;  // the debugger's halt replaces the panel's own pause
    publish(true);
    g->run_until(ctx_->machine().now());  // returns when the debugger resumes (or we quit)
    publish(true);
  }
  check_killed();
}

// Called by the server about every 10 ms while it waits: the panel's commands and views go on.
bool Emulation::debugger_idle() {
  drain();
  if (quit_ || restart_) return false;
  publish(false);
  return true;
}

// A debugger attached while the panel was paused: the pause becomes the debugger's halt.
bool Emulation::hand_pause_to_debugger() {
  emu::GdbServer* g = gdb_.server();
  if (!g || !paused_ || !(g->poll() || g->attached())) return false;
  g->interrupt(pause_reason_);  // no-op when attaching already halted it
  paused_ = false;
  return true;
}

// `kill` from the debugger: the core stops for good and the scenario fails; the panel stays.
void Emulation::check_killed() {
  emu::GdbServer* g = gdb_.server();
  if (!g || !g->killed() || !core_stopped_.empty()) return;
  core_stopped_ = "killed by the debugger";
  abort_run("the debugger", "the debugger killed the target");
}

void Emulation::refuse(const std::string& what) {
  notice_ = "the debugger holds the target: " + what;
  publish(true);
}

// ===== [commands] ======================================================================

bool Emulation::drain() {
  std::deque<Command> todo;
  {
    std::lock_guard<std::mutex> g(cmd_lock_);
    todo.swap(commands_);
  }
  for (const Command& c : todo) apply(c);
  return !todo.empty();
}

void Emulation::instruction_step() {
  if (gdb_.holds()) return refuse("step from the debugger ('stepi')");
  if (!paused_) {
    pause("paused by the user");
    return;
  }
  if (!ctx_ || !dbg_) return;
  emu::Machine& m = ctx_->machine();
  if (!m.powered() || !core_stopped_.empty()) return;
  dbg_->step(false);
  stepped_ = true;
  pause_reason_ = "one instruction stepped";
}

std::string Emulation::publish_release(const std::string& version, const std::string& file) {
  scen::NetworkState& st = scen::network_state(*ctx_);
  if (!st.publisher) return "the board has no update server";
  if (!file.empty()) {
    const scen::Scenario& sc = ctx_->scenario();
    std::string error;
    std::vector<std::uint8_t> bundle =
        scen::bundle_from_file(file, version, scen::board_dev_key(sc.source_root, sc.board.name), error);
    if (!error.empty()) return error;
    st.bundles[version] = std::move(bundle);
  }
  if (st.bundles.find(version) == st.bundles.end()) return "no release " + version + " (give a file)";
  std::string err = scen::publish_release(*ctx_, version);  // an input: recorded, replayable
  if (err.empty()) ctx_->note("server", "publishing " + version + " (panel)");
  return err;
}

void Emulation::apply(const Command& c) {
  using K = Command::Kind;
  switch (c.kind) {
    case K::Quit:
      quit_ = true;
      abort_run("the panel", "the panel was closed");
      return;
    case K::Restart:
      restart_ = true;
      reached_ = false;
      abort_run("the panel", "restarted from the panel");
      return;
    case K::Run:
      // GDB (all-stop) cannot be told that someone else resumed a target it holds.
      if (gdb_.attached() && gdb_.holds()) return refuse("continue from the debugger");
      if (emu::GdbServer* g = gdb_.server()) g->release();  // nobody attached: do not wait for one
      paused_ = false;
      pause_at_step_ = false;
      pause_reason_.clear();
      return;
    case K::Pause:
      if (!paused_ && !gdb_.holds()) pause("paused by the user");
      return;
    case K::StepInstruction:
      instruction_step();
      return;
    case K::StepScenario:
      if (gdb_.holds()) return refuse("continue from the debugger ('monitor step-scenario' stops before the next step)");
      paused_ = false;
      pause_at_step_ = true;
      return;
    case K::CutAtNextFlashOp:
      cut_next_ = true;
      return;
    case K::Record:  // a replay starts from power-on: so does the recorded session
      if (gdb_.enabled()) {  // a debugger's writes to registers and memory are not inputs a replay repeats
        record_status_ = "cannot record while a GDB server serves this run";
        return;
      }
      record_next_ = c.text;
      restart_ = true;
      reached_ = false;
      abort_run("the panel", "restarted from the panel to record it");
      return;
    case K::StopRecording:
      stop_recording("stopped from the panel");
      return;
    default:
      break;
  }
  if (!ctx_) return;
  switch (c.kind) {
    case K::Reset:
      core_stopped_.clear();
      ctx_->reset("panel");
      break;
    case K::PowerCut:
      if (ctx_->machine().powered()) {
        ctx_->power_off("panel");
      }
      break;
    case K::PowerOn:
      if (!ctx_->machine().powered()) {
        core_stopped_.clear();
        ctx_->power_on("panel");
      }
      break;
    case K::SetPin:
      ctx_->set_input(c.text, c.value != 0, "panel");
      break;
    case K::UartInput:
      ctx_->send(c.text, c.text2);
      break;
    case K::Publish: {
      std::string err = publish_release(c.text, c.text2);
      if (!err.empty()) ctx_->note("panel", "publish " + c.text + ": " + err);
      break;
    }
    case K::NetFault: {
      scen::NetworkState& st = scen::network_state(*ctx_);
      if (!st.link) break;
      periph::NetFault f = c.text == "stall"      ? periph::NetFault::stall(1024, 5'000'000'000ull).on_path("/bundles/")
                           : c.text == "corrupt"  ? periph::NetFault::corrupt(4096).on_path("/bundles/")
                           : c.text == "truncate" ? periph::NetFault::truncate(3000).on_path("/bundles/")
                           : c.text == "refuse"   ? periph::NetFault::refuse().next(3)
                           : c.text == "slow"     ? periph::NetFault::slow(2000).next(2)
                                                  : periph::NetFault::drop(2048).on_path("/bundles/");
      if (std::string err = scen::add_net_fault(*ctx_, f); !err.empty()) ctx_->note("panel", "net fault: " + err);
      else ctx_->note("net", "fault armed (panel): " + periph::to_string(f));
      break;
    }
    default:
      break;
  }
}

void Emulation::stop_recording(const std::string& why) {
  if (!recorder_ || recorder_->finished() || !ctx_) return;
  std::string err = recorder_->finish(*ctx_, why);
  char buf[160];
  std::snprintf(buf, sizeof buf, ": %llu inputs, %llu checkpoints, %llu bytes",
                static_cast<unsigned long long>(recorder_->inputs()), static_cast<unsigned long long>(recorder_->checkpoints()),
                static_cast<unsigned long long>(recorder_->bytes()));
  record_status_ = err.empty() ? "recorded " + recorder_->path() + buf : "recording failed: " + err;
  ctx_->note("panel", record_status_);
}

// ===== [views] =========================================================================

void Emulation::publish(bool force) {
  if (!force && fresh_.load()) return;  // the UI has not taken the previous copy yet
  DeviceView& v = *back_;
  if (ctx_) builder_->fill(v);
  const bool held = gdb_.holds();
  if (!held) notice_.clear();  // a refusal is news only while the debugger holds the target
  gdb_.describe(v.debugger);
  v.debugger.notice = notice_;
  if (held && v.debugger.halts != facts_halts_) {  // a new halt for the debugger: what the machine says
    facts_halts_ = v.debugger.halts;
    capture_facts();
  }
  v.state = state_ == RunState::Error ? RunState::Error
            : held                    ? RunState::Halted
            : paused_                 ? RunState::Paused
                                      : state_;
  v.pause_reason = held      ? v.debugger.status
                   : paused_ ? pause_reason_
                   : core_stopped_.empty() ? ""
                                           : "core stopped: " + core_stopped_;
  v.scenario.trace_hash = trace_hash_;
  v.error = error_;
  v.slices = slices_;
  v.free_running = free_running_;
  v.recording = record_status_;
  if (recorder_ && !recorder_->finished()) {
    char buf[120];
    std::snprintf(buf, sizeof buf, " (%llu inputs, %llu checkpoints, %llu bytes)",
                  static_cast<unsigned long long>(recorder_->inputs()),
                  static_cast<unsigned long long>(recorder_->checkpoints()),
                  static_cast<unsigned long long>(recorder_->bytes()));
    v.recording += buf;
  }
  v.armed.clear();
  if (cut_next_) v.armed.push_back("power cut at the next flash operation");
  if (pause_at_step_) v.armed.push_back("pause before the next scenario step");
  v.generation = published_.load() + 1;
  {
    std::lock_guard<std::mutex> g(view_lock_);
    std::swap(back_, ready_);
    fresh_ = true;
  }
  published_.fetch_add(1);
}

bool Emulation::take_view() {
  std::lock_guard<std::mutex> g(view_lock_);
  if (!fresh_.load()) return false;
  std::swap(front_, ready_);
  fresh_ = false;
  return true;
}

}  // namespace hilsim::gui
