// Invariants: properties that hold for the whole run, checked continuously by monitors.
//   no-hardfault    no fault report (bad access, undefined instruction, lockup, BKPT halt),
//                   except from an expect-fault step until the next reset
//   running-within  after every power-on (or every reset), the device prints a pattern
//                   within a time: it reaches its running state
//   never-serial    a pattern never appears on a UART
#include "scenarios/monitors.h"
#include "scenarios/run_context.h"
#include "scenarios/step.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {

namespace {

// ---- no-hardfault ---------------------------------------------------------------------

class NoHardfault final : public Monitor {
 public:
  std::string what() const override { return "invariant no-hardfault"; }
  void on_fault(RunContext& ctx, const emu::FaultReport& f) override {
    if (ctx.faults_expected()) return;
    ctx.violate(*this, "no fault for the whole run",
                f.kind + ": " + f.detail + " at " + ctx.machine().symbols().format(f.pc), f.at);
  }
};

std::unique_ptr<Monitor> make_no_hardfault(const Args&, RunContext&) { return std::make_unique<NoHardfault>(); }

// ---- running-within -------------------------------------------------------------------

class RunningWithin final : public Monitor {
 public:
  RunningWithin(const Args& args, RunContext& ctx)
      : after_reset_(args.text("after") == "reset"),
        within_ns_(args.ns("within")),
        uart_(ctx.uart_of(args)),
        pattern_(pattern_from(args, "serial", "regex")) {}

  std::string what() const override { return "invariant running-within"; }

  void on_reset(RunContext& ctx, emu::Ticks at, periph::ResetReason reason) override {
    if (!after_reset_ && reason != periph::ResetReason::PowerOn) return;
    if (armed_ && matcher_) settle(ctx);  // a reset before the deadline: judged afresh from this one
    armed_ = true;
    since_ = at;
    reason_ = periph::to_string(reason);
    deadline_ = at + ctx.ticks(within_ns_);
    matcher_.emplace(pattern_, ctx.uart(uart_), ctx.uart(uart_).size());
  }
  void on_uart(RunContext& ctx, const std::string& uart) override {
    if (armed_ && uart == uart_) settle(ctx);
  }
  emu::Ticks deadline() const override { return armed_ ? deadline_ : emu::kNever; }
  void on_deadline(RunContext& ctx) override {
    if (!armed_ || settle(ctx)) return;
    armed_ = false;
    ctx.violate(*this,
                pattern_.describe() + " on " + uart_ + " within " + duration_text(within_ns_) + " after every " +
                    (after_reset_ ? "reset" : "power-on"),
                "after the " + reason_ + " reset at " + ctx.stamp(since_) + ", nothing matching by " +
                    ctx.stamp(deadline_),
                deadline_);
  }
  void on_power(RunContext& ctx, bool on) override {
    if (!armed_ || on) return;
    armed_ = false;
    ctx.note("watch", "running-within: the power went off " + duration_text(ns_since(ctx)) +
                          " after the reset, before the device printed " + pattern_.describe() + "; not judged");
  }
  void on_end(RunContext& ctx) override {
    if (armed_ && !settle(ctx))
      ctx.note("watch", "running-within: the run ended " + duration_text(ns_since(ctx)) + " after the " + reason_ +
                            " reset at " + ctx.stamp(since_) + ", before the deadline; not judged");
  }

 private:
  std::uint64_t ns_since(RunContext& ctx) const { return ctx.ns(ctx.now() - since_); }
  // True (and disarmed) once the pattern has appeared since the reset.
  bool settle(RunContext& ctx) {
    if (!matcher_ || !matcher_->poll()) return false;
    armed_ = false;
    ctx.note_at(matcher_->match()->at, "watch",
                "running-within: running " + duration_text(ctx.ns(matcher_->match()->at - since_)) +
                    " after the " + reason_ + " reset");
    matcher_.reset();
    return true;
  }

  bool after_reset_;
  std::uint64_t within_ns_;
  std::string uart_;
  Pattern pattern_;
  bool armed_ = false;
  emu::Ticks since_ = 0, deadline_ = 0;
  std::string reason_;
  std::optional<Matcher> matcher_;
};

void check_running_within(const Args& args, const CheckEnv&) { check_pattern(args, "running-within", "serial", "regex"); }

std::unique_ptr<Monitor> make_running_within(const Args& args, RunContext& ctx) {
  return std::make_unique<RunningWithin>(args, ctx);
}

// ---- never-serial ---------------------------------------------------------------------

void check_never(const Args& args, const CheckEnv&) { check_pattern(args, "never-serial"); }

std::unique_ptr<Monitor> make_never(const Args& args, RunContext& ctx) {
  return std::make_unique<NeverSerialMonitor>("invariant never-serial", pattern_from(args), ctx.uart_of(args), ctx,
                                              emu::kNever);
}

}  // namespace

const InvariantType& invariant_no_hardfault() {
  static const InvariantType type{
      "no-hardfault", "no fault report during the run (except after an expect-fault, until the next reset)", {}, "",
      nullptr, &make_no_hardfault,
  };
  return type;
}

const InvariantType& invariant_running_within() {
  static const InvariantType type{
      "running-within",
      "after every power-on (or reset) the device prints a pattern within a time",
      {{"after", KeyKind::Choice, "which resets start the clock", false, "power-on", {"power-on", "reset"}},
       {"within", KeyKind::Duration, "how long the device may take", true},
       {"serial", KeyKind::Text, "substring that shows the device is running"},
       {"regex", KeyKind::Regex, "or a regular expression, searched in each complete line"},
       {"uart", KeyKind::Uart, "which UART (default: the board's first)"}},
      "",
      &check_running_within,
      &make_running_within,
  };
  return type;
}

const InvariantType& invariant_never_serial() {
  static const InvariantType type{
      "never-serial", "a pattern never appears on a UART", serial_pattern_keys(), "text", &check_never, &make_never,
  };
  return type;
}

}  // namespace hilsim::scen
