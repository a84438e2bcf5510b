// wait-serial: waits for a pattern in a UART's output after the previous serial match (the
// UART's cursor), so output that arrived before this step started but after the last match
// counts; moves the cursor past the match.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv&) { check_pattern(args, "wait-serial"); }

StepResult run(const Args& args, RunContext& ctx) {
  std::string uart = ctx.uart_of(args);
  UartLog& log = ctx.uart(uart);
  std::size_t from = log.cursor;
  Matcher matcher(pattern_from(args), log, from);
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, [&] { return matcher.poll().has_value(); });
  if (w == RunContext::Wait::Met) {
    log.cursor = matcher.match()->end;
    return StepResult::pass("matched " + quoted(matcher.match()->line) + " at " + ctx.stamp(matcher.match()->at));
  }
  return steps::stopped_or(w, StepResult::fail(matcher.pattern().describe() + " on " + uart + " " +
                                                   steps::within(ctx, args.ns("timeout"), until),
                                               steps::serial_seen(ctx, uart, from)));
}

std::vector<KeySpec> keys() {
  std::vector<KeySpec> k = serial_pattern_keys();
  k.push_back(timeout_key());
  return k;
}

}  // namespace

const StepType& step_wait_serial() {
  static const StepType type{
      "wait-serial", "wait until a UART prints a pattern (after the previous serial match)", keys(), "text", false,
      &check, &run,
  };
  return type;
}

}  // namespace hilsim::scen
