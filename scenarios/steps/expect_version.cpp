// expect-version: the device runs a given script version, read from the firmware's status
// channel (the status-port device, docs/peripherals.md), now or within `timeout`. `version` may
// list alternatives, "1.0.0|2.0.0" (a campaign's "the old or the new one, never neither").
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  periph::StatusPort* status = network_state(ctx).status;
  if (status == nullptr)
    return StepResult::fail("a board with a status-port device",
                            "board " + ctx.machine().board().name + " has none");
  const std::string& want = args.text("version");
  const std::uint64_t timeout = args.ns("timeout");
  const emu::Ticks until = ctx.after(timeout);
  auto done = [&] {
    const std::string seen = status->version_text();
    for (std::size_t at = 0;;) {
      std::size_t bar = want.find('|', at);
      if (want.compare(at, bar == std::string::npos ? std::string::npos : bar - at, seen) == 0) return true;
      if (bar == std::string::npos) return false;
      at = bar + 1;
    }
  };
  RunContext::Wait w = done() ? RunContext::Wait::Met : ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met) return StepResult::pass();
  std::string expected = want.find('|') == std::string::npos ? "version " : "one of the versions ";
  expected += want;
  if (timeout != 0) {
    expected += ' ';
    expected += steps::within(ctx, timeout, until);
  }
  std::string seen = "version ";
  seen += status->version_text();
  seen += " (";
  seen += periph::StatusPort::to_string(status->slot());
  seen += ", ";
  seen += periph::StatusPort::to_string(status->state());
  seen += ")";
  return steps::stopped_or(w, StepResult::fail(expected, seen));
}

}  // namespace

const StepType& step_expect_version() {
  static const StepType type{
      "expect-version",
      "the device runs a given script version (status port), now or within timeout",
      {{"version", KeyKind::Text, "MAJOR.MINOR.PATCH, or 'none' for no downloaded script; alternatives separated by |", true}, timeout_key("0s")},
      "version",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
