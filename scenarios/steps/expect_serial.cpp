// expect-serial: a pattern must have been printed since the previous step started, or be
// printed within `timeout` (default 0s: it must already be there). Moves the UART's cursor.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv&) { check_pattern(args, "expect-serial"); }

StepResult run(const Args& args, RunContext& ctx) {
  std::string uart = ctx.uart_of(args);
  UartLog& log = ctx.uart(uart);
  const Marks& since = ctx.previous_step_marks();
  auto it = since.uart.find(uart);
  std::size_t from = it == since.uart.end() ? 0 : it->second;
  Matcher matcher(pattern_from(args), log, from);
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, [&] { return matcher.poll().has_value(); });
  if (w == RunContext::Wait::Met) {
    log.cursor = std::max(log.cursor, matcher.match()->end);
    return StepResult::pass("seen " + quoted(matcher.match()->line) + " at " + ctx.stamp(matcher.match()->at));
  }
  std::string when = "since the previous step started (" + ctx.stamp(since.at) + ")";
  if (args.ns("timeout") != 0) when += " or " + steps::within(ctx, args.ns("timeout"), until);
  return steps::stopped_or(w, StepResult::fail(matcher.pattern().describe() + " on " + uart + " " + when,
                                               steps::serial_seen(ctx, uart, from)));
}

std::vector<KeySpec> keys() {
  std::vector<KeySpec> k = serial_pattern_keys();
  k.push_back(timeout_key("0s"));
  return k;
}

}  // namespace

const StepType& step_expect_serial() {
  static const StepType type{
      "expect-serial", "a pattern was printed since the previous step started (or is, within timeout)", keys(), "text",
      false, &check, &run,
  };
  return type;
}

}  // namespace hilsim::scen
