// expect-slot: the device runs from a given slot, optionally in a given state, read from the
// firmware's status channel (status-port), now or within `timeout`.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

std::string slot_name(const std::string& s) {
  if (s == "a" || s == "b") return "slot-" + s;
  return s;
}

StepResult run(const Args& args, RunContext& ctx) {
  periph::StatusPort* status = network_state(ctx).status;
  if (status == nullptr)
    return StepResult::fail("a board with a status-port device", "board " + ctx.machine().board().name + " has none");
  const std::string want_slot = slot_name(args.text("slot"));
  const std::string want_state = args.text_or("state", "");
  auto done = [&] {
    return periph::StatusPort::to_string(status->slot()) == want_slot &&
           (want_state.empty() || periph::StatusPort::to_string(status->state()) == want_state);
  };
  const std::uint64_t timeout = args.ns("timeout");
  const emu::Ticks until = ctx.after(timeout);
  RunContext::Wait w = done() ? RunContext::Wait::Met : ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met) return StepResult::pass();
  std::string expected = want_slot;
  if (!want_state.empty()) expected += " in state " + want_state;
  if (timeout != 0) {
    expected += ' ';
    expected += steps::within(ctx, timeout, until);
  }
  std::string seen = periph::StatusPort::to_string(status->slot());
  seen += " in state ";
  seen += periph::StatusPort::to_string(status->state());
  seen += ", version ";
  seen += status->version_text();
  return steps::stopped_or(w, StepResult::fail(expected, seen));
}

}  // namespace

const StepType& step_expect_slot() {
  static const StepType type{
      "expect-slot",
      "the device runs from a given slot, optionally in a given state (status port), now or within timeout",
      {{"slot", KeyKind::Choice, "the slot the device reports", true, "", {"a", "b", "slot-a", "slot-b", "factory", "none"}},
       {"state", KeyKind::Choice, "the state the device reports", false, "",
        {"booting", "running", "trial", "factory", "failed"}},
       timeout_key("0s")},
      "slot",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
