// A scenario run in progress (run_context.h).
// Index: [observe] machine observers · [wait] waiting and advancing time ·
// [device] power, reset, inputs, snapshots · [record] marks, lines, monitors, failures.
#include "scenarios/run_context.h"

#include <algorithm>
#include <cstdio>

#include "scenarios/text_util.h"

namespace hilsim::scen {

RunContext::RunContext(const Scenario& scenario, emu::Machine& machine, Timeline& timeline)
    : sc_(scenario), m_(machine), tl_(timeline), time_limit_(machine.now() + machine.ticks_from_ns(scenario.time_limit_ns)) {
  for (const auto& p : sc_.board.peripherals)
    if (p.type == "uart" || p.type == "cmsdk-uart") uarts_[p.name];
  halt_event_ = m_.add_event("scenario.halt", [] {});
  attach();
  current_marks_ = marks();
  previous_marks_ = current_marks_;
}

RunContext::~RunContext() {
  *alive_ = false;
  m_.on_uart_byte = nullptr;
  m_.on_pin_change = nullptr;
  m_.on_reset = nullptr;
  m_.on_fault = nullptr;
  m_.on_guest_error = nullptr;
  m_.on_semihost_output = nullptr;
}

std::string RunContext::stamp(emu::Ticks t) const { return seconds_text(seconds(t)); }

// ===== [observe] =======================================================================

namespace {
std::string op_text(const periph::FlashOp& op) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s #%llu at 0x%08x (%u bytes)", periph::to_string(op.kind),
                static_cast<unsigned long long>(op.seq), op.address, op.size);
  return buf;
}
}  // namespace

void RunContext::attach() {
  m_.on_uart_byte = [this](emu::Ticks at, const std::string& uart, std::uint8_t byte) { on_uart_byte(at, uart, byte); };
  m_.on_pin_change = [this](emu::Ticks at, const std::string& pin, bool level) {
    pins_.push_back({at, pin, level});
    if (tap_) tap_->pin_changed(at, pin, level);
    if (logs("pins")) note_at(at, "pin", pin + " = " + (level ? "1" : "0"));
    after_event();
  };
  m_.on_reset = [this](emu::Ticks at, periph::ResetReason reason) { on_reset(at, reason); };
  m_.on_fault = [this](const emu::FaultReport& f) { on_fault(f); };
  m_.on_guest_error = [this](const std::string& msg) {
    if (logs("guest-errors")) note("guest", msg);
  };
  m_.on_semihost_output = [this](std::string_view text) {
    for (char c : text) on_uart_byte(now(), "semihost", static_cast<std::uint8_t>(c));
  };
  // Controllers cannot drop a sink: it outlives this context, so it checks `alive_`.
  for (periph::FlashController* fc : flash_controllers()) {
    fc->add_op_sink([this, alive = alive_](const periph::FlashOp& op) {
      if (!*alive) return;
      if (tap_) tap_->flash_op(op);
      if (op.end == 0) {
        flash_ops_.push_back(op);
        if (logs("flash")) note_at(op.start, "flash", op_text(op) + " started");
      } else {
        auto it = std::find_if(flash_ops_.rbegin(), flash_ops_.rend(),
                               [&](const periph::FlashOp& o) { return o.seq == op.seq; });
        if (it != flash_ops_.rend()) *it = op;
        else flash_ops_.push_back(op);
        bool cut = op.result.rfind("power cut", 0) == 0;
        if (logs("flash") || cut) note_at(op.end, "flash", op_text(op) + ": " + op.result);
      }
      after_event();
    });
  }
}

void RunContext::on_uart_byte(emu::Ticks at, const std::string& uart, std::uint8_t byte) {
  if (tap_) tap_->uart_byte(at, uart, byte);
  UartLog& log = uarts_[uart];
  log.add(at, byte);
  if (byte == '\n') note_at(at, uart, log.line_text(log.lines().back()));
  each_monitor([&](Monitor& mon) { mon.on_uart(*this, uart); });
  after_event();
}

void RunContext::on_reset(emu::Ticks at, periph::ResetReason reason) {
  break_lines("reset");
  resets_.push_back({at, reason});
  faults_expected_ = false;
  stopped_.clear();
  note_at(at, "reset", periph::to_string(reason));
  each_monitor([&](Monitor& mon) { mon.on_reset(*this, at, reason); });
  after_event();
}

void RunContext::on_fault(const emu::FaultReport& f) {
  faults_.push_back(f);
  note_at(f.at, "fault", f.kind + ": " + f.detail + " at " + m_.symbols().format(f.pc) +
                             (f.pc_exact ? "" : " (block start)"));
  each_monitor([&](Monitor& mon) { mon.on_fault(*this, f); });
  after_event();
}

// ===== [wait] ==========================================================================

RunContext::Wait RunContext::wait_until(emu::Ticks deadline, const std::function<bool()>& done) {
  const std::function<bool()>* outer = waiter_;
  waiter_ = &done;
  struct Restore {
    RunContext* c;
    const std::function<bool()>* w;
    ~Restore() { c->waiter_ = w; }
  } restore{this, outer};
  for (;;) {
    if (violation_) return Wait::Stopped;
    if (interrupt_due_ && interrupt_due_()) {
      std::function<void()> act = interrupt_act_;  // act may replace or clear the interrupt
      act();
      continue;
    }
    if (done()) return Wait::Met;
    emu::Ticks t = now();
    if (next_due() <= t) {
      run_due(t);
      continue;
    }
    if (t >= time_limit_) {
      std::string running = step_ ? "step " + std::to_string(step_->index) + " " + step_->type->name + " was running"
                                  : "the scenario was still running";
      violate("time limit", step_ ? step_->mark : SourceMark{},
              "the scenario ends within its time-limit of " + duration_text(sc_.time_limit_ns),
              running + " at " + stamp(t), t);
      return Wait::Stopped;
    }
    if (t >= deadline) return Wait::Timeout;
    advance(std::min({deadline, time_limit_, next_due()}));
  }
}

void RunContext::advance(emu::Ticks target) {
  emu::Ticks t = now();
  if (target <= t) return;
  if (!m_.powered()) {
    m_.advance_unpowered(target - t);
    return;
  }
  if (!stopped_.empty()) {
    m_.advance_stopped(target - t);
    return;
  }
  running_ = true;
  run_target_ = target;
  emu::RunResult r = run_machine_ ? run_machine_(target) : m_.run_until(target);
  running_ = false;
  m_.cancel(halt_event_);
  auto stop = [&](const std::string& why) {
    stopped_ = why;
    note("halt", why + "; the core stays stopped until a reset or power cycle");
  };
  switch (r.reason) {
    case emu::StopReason::TimeLimit:
    case emu::StopReason::Halted:
    case emu::StopReason::PoweredOff:
      break;
    case emu::StopReason::Stuck:  // asleep with nothing to wake it: time still passes
      m_.advance_stopped(target - now());
      break;
    case emu::StopReason::Exited:
      stop("the firmware exited with code " + std::to_string(r.exit_code));
      break;
    case emu::StopReason::Breakpoint:
      if (sc_.resume_after_bkpt) {
        std::uint32_t pc = m_.pc() & ~1u;
        m_.set_pc(pc + 2);
        note("halt", "BKPT at " + m_.symbols().format(pc) + ": resumed after it (on-bkpt: resume)");
      } else {
        stop("BKPT at " + m_.symbols().format(m_.pc() & ~1u) + " with no debugger attached (on-bkpt: halt)");
      }
      break;
    case emu::StopReason::Lockup:
      stop("the core locked up");
      break;
    case emu::StopReason::Budget:
      stop("the instruction budget ran out");
      break;
  }
}

void RunContext::after_event() {
  if (!running_) return;
  bool halt = violation_.has_value() || (waiter_ && (*waiter_)()) || (interrupt_due_ && interrupt_due_());
  // A monitor armed a deadline (or an action was scheduled) earlier than where the run stops.
  if (!halt && next_due() < run_target_) halt = true;
  if (halt) halt_now();
}

// Machine::request_halt alone takes effect at the run loop's next turn, which may be a whole
// CPU chunk later when the request comes from an event (a UART byte). The halt event bounds
// that: from an MMIO callback it pulls the running block's deadline in (Machine::schedule), so
// the CPU stops at the next block boundary; from an event it makes the loop's next CPU run end
// after at most one block (an event due at once would fire in the same pass and be gone).
void RunContext::halt_now() {
  m_.request_halt();
  m_.schedule(halt_event_, 1);
}

void RunContext::schedule(emu::Ticks at, std::string what, std::function<void()> action, bool keep_on_restore) {
  actions_.push_back({at, action_order_++, std::move(what), std::move(action), keep_on_restore});
}

emu::Ticks RunContext::next_due() const {
  emu::Ticks due = emu::kNever;
  for (const Action& a : actions_) due = std::min(due, a.at);
  for (const auto& mon : monitors_) due = std::min(due, mon->deadline());
  return due;
}

void RunContext::run_due(emu::Ticks t) {
  // Host actions first (in the order they were scheduled), then monitor deadlines.
  std::vector<Action> due;
  for (auto it = actions_.begin(); it != actions_.end();) {
    if (it->at <= t) {
      due.push_back(std::move(*it));
      it = actions_.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(due.begin(), due.end(), [](const Action& a, const Action& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  for (Action& a : due) a.run();
  each_monitor([&](Monitor& mon) {
    if (mon.deadline() <= t) mon.on_deadline(*this);
  });
}

// ===== [device] ========================================================================

void RunContext::record_input(Input input) {
  if (!input_sink_) return;
  input.at = now();
  input_sink_(input);
}

void RunContext::power_on(const std::string& why) {
  if (m_.powered()) return;
  record_input({Input::Kind::PowerOn});
  note("power", "on" + (why.empty() ? "" : " (" + why + ")"));
  stopped_.clear();
  m_.power_on();  // logs the power-on reset through on_reset
  each_monitor([&](Monitor& mon) { mon.on_power(*this, true); });
}

void RunContext::power_off(const std::string& why) {
  if (!m_.powered()) return;
  {
    std::vector<periph::FlashController*> fcs = flash_controllers();
    Input in{Input::Kind::PowerOff};
    in.value = static_cast<std::uint64_t>(fcs.empty() ? periph::PowerLossPolicy::Before : fcs.front()->power_loss_policy());
    record_input(in);
  }
  break_lines("power off");
  note("power", "off" + (why.empty() ? "" : " (" + why + ")"));
  m_.power_off();
  stopped_.clear();
  each_monitor([&](Monitor& mon) { mon.on_power(*this, false); });
}

void RunContext::reset(const std::string& why) {
  if (!m_.powered()) {
    note("input", "reset pin pulsed while powered off: nothing happens");
    return;
  }
  record_input({Input::Kind::Reset});
  note("input", "reset pin" + (why.empty() ? "" : " (" + why + ")"));
  m_.reset(periph::ResetReason::External);
}

bool RunContext::set_input(const std::string& pin, bool level, const std::string& why) {
  Input in{Input::Kind::Pin};
  in.name = pin;
  in.value = level ? 1 : 0;
  record_input(in);
  note("input", pin + " <- " + (level ? "1" : "0") + (why.empty() ? "" : " (" + why + ")"));
  return m_.set_pin(pin, level);
}

void RunContext::send(const std::string& uart, const std::string& bytes) {
  Input in{Input::Kind::Uart};
  in.name = uart;
  in.bytes.assign(bytes.begin(), bytes.end());
  record_input(in);
  note("input", uart + " <- " + quoted(bytes));
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  m_.uart_input(uart, data);
}

std::string RunContext::save_snapshot(const std::string& name) {
  Input in{Input::Kind::SnapshotSave};
  in.name = name;
  record_input(in);
  Saved s{m_.save_snapshot(), stopped_};
  note("state", "snapshot '" + name + "' saved (" + std::to_string(s.blob.size()) + " bytes)");
  snapshots_[name] = std::move(s);
  return {};
}

std::string RunContext::restore_snapshot(const std::string& name) {
  auto it = snapshots_.find(name);
  if (it == snapshots_.end()) return "no snapshot named '" + name + "' has been saved in this run";
  Input in{Input::Kind::SnapshotRestore};
  in.name = name;
  record_input(in);
  break_lines("restore");
  emu::Ticks from = now();
  std::string err = m_.restore_snapshot(it->second.blob);
  if (!err.empty()) return err;
  stopped_ = it->second.stopped;
  faults_expected_ = false;
  std::string dropped;
  for (const Action& a : actions_)
    if (!a.keep_on_restore) dropped += (dropped.empty() ? "" : ", ") + a.what;
  std::erase_if(actions_, [](const Action& a) { return !a.keep_on_restore; });
  note("state", "snapshot '" + name + "' restored: time goes back from " + stamp(from) + " to " + stamp(now()) +
                    (dropped.empty() ? "" : "; pending actions dropped: " + dropped));
  each_monitor([&](Monitor& mon) { mon.on_power(*this, m_.powered()); });
  return {};
}

std::string RunContext::poke(const std::string& region, std::uint32_t offset, const std::vector<std::uint8_t>& bytes) {
  periph::DeviceHost::MemoryView view = m_.memory(region);
  if (view.bytes == nullptr) return "board " + m_.board().name + " has no memory region " + region;
  if (offset > view.size || bytes.size() > view.size - offset)
    return std::to_string(bytes.size()) + " bytes at offset " + std::to_string(offset) + " do not fit region " + region +
           " (" + std::to_string(view.size) + " bytes)";
  Input in{Input::Kind::Poke};
  in.name = region;
  in.value = offset;
  in.bytes = bytes;
  record_input(in);
  std::copy(bytes.begin(), bytes.end(), view.bytes + offset);
  // Code may live there (a partition holding firmware): drop its translations.
  m_.memory_changed(view.base + offset, static_cast<std::uint32_t>(bytes.size()));
  return {};
}

void RunContext::set_power_loss_policy(periph::PowerLossPolicy policy) {
  for (periph::FlashController* fc : flash_controllers()) fc->set_power_loss_policy(policy);
}

std::vector<periph::FlashController*> RunContext::flash_controllers() {
  std::vector<periph::FlashController*> out;
  for (const auto& p : sc_.board.peripherals)
    if (auto* fc = dynamic_cast<periph::FlashController*>(m_.device(p.name))) out.push_back(fc);
  return out;
}

// ===== [record] ========================================================================

UartLog& RunContext::uart(const std::string& name) { return uarts_[name]; }

std::string RunContext::uart_of(const Args& args) const {
  return args.has("uart") ? args.text("uart") : sc_.first_uart();
}

Marks RunContext::marks() const {
  Marks mk;
  mk.at = m_.now();
  for (const auto& [name, log] : uarts_) mk.uart[name] = log.size();
  mk.resets = resets_.size();
  mk.faults = faults_.size();
  mk.pins = pins_.size();
  mk.flash_ops = flash_ops_.size();
  return mk;
}

void RunContext::begin_step(const StepInstance& step) {
  previous_marks_ = current_marks_;
  current_marks_ = marks();
  step_ = &step;
}

void RunContext::break_lines(const std::string& why) {
  for (auto& [name, log] : uarts_)
    if (std::optional<std::string> rest = log.break_line(now())) note(name, *rest + "  (line cut: " + why + ")");
}

std::vector<std::string> RunContext::last_uart_lines(std::size_t n) const {
  struct L {
    emu::Ticks at;
    std::string uart, text;
  };
  std::vector<L> all;
  for (const auto& [name, log] : uarts_) {
    const auto& lines = log.lines();
    for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
      all.push_back({lines[i].at, name, log.line_text(lines[i])});
    if (!log.line_complete()) all.push_back({now(), name, log.partial() + "  (no newline yet)"});
  }
  std::stable_sort(all.begin(), all.end(), [](const L& a, const L& b) { return a.at < b.at; });
  if (all.size() > n) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(n));
  std::vector<std::string> out;
  for (const L& l : all) {
    char stamp[48];
    std::snprintf(stamp, sizeof stamp, "[%11.6f s] %-6s ", seconds(l.at), l.uart.c_str());
    out.push_back(stamp + l.text);
  }
  return out;
}

template <typename F>
void RunContext::each_monitor(F&& f) {
  bool outer = in_monitors_;
  in_monitors_ = true;
  for (auto& mon : monitors_) f(*mon);
  in_monitors_ = outer;
  if (outer) return;
  for (auto& mon : added_while_iterating_) monitors_.push_back(std::move(mon));
  added_while_iterating_.clear();
  monitors_.erase(std::remove_if(monitors_.begin(), monitors_.end(), [](const auto& m) { return m->done(); }),
                  monitors_.end());
}

void RunContext::add_monitor(std::unique_ptr<Monitor> monitor) {
  if (in_monitors_) added_while_iterating_.push_back(std::move(monitor));
  else monitors_.push_back(std::move(monitor));
}

bool RunContext::remove_monitors(const std::string& id) {
  std::size_t before = monitors_.size();
  monitors_.erase(std::remove_if(monitors_.begin(), monitors_.end(), [&](const auto& m) { return m->id == id; }),
                  monitors_.end());
  return monitors_.size() != before;
}

void RunContext::violate(const Monitor& who, std::string expected, std::string seen, emu::Ticks at) {
  violate(who.what(), who.mark, std::move(expected), std::move(seen), at);
}

void RunContext::violate(std::string what, SourceMark mark, std::string expected, std::string seen, emu::Ticks at) {
  if (violation_) return;
  Failure f;
  f.at = at;
  f.seconds = seconds(at);
  if (step_) {
    f.step = step_->index;
    f.step_type = step_->type->name;
  }
  f.what = std::move(what);
  f.mark = mark;
  f.expected = std::move(expected);
  f.seen = std::move(seen);
  f.last_lines = last_uart_lines(10);
  violation_ = std::move(f);
  if (running_) halt_now();
}

void RunContext::note_at(emu::Ticks at, const std::string& who, const std::string& text) {
  tl_.entry(seconds(at), who, text);
}

void RunContext::end_run() {
  break_lines("end of run");
  each_monitor([&](Monitor& mon) { mon.on_end(*this); });
}

}  // namespace hilsim::scen
