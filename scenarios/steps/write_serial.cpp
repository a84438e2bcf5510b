// write-serial: sends bytes to a UART's receive line (paced at the UART's baud rate by the
// model). `line` sends the text followed by "\n".
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv&) {
  if (args.has("text") == args.has("line"))
    fail_at(args.has("line") ? args.mark("line") : args.where, "write-serial takes 'text' (bytes as written) or 'line' (text + \\n), exactly one");
}

StepResult run(const Args& args, RunContext& ctx) {
  std::string bytes = args.has("line") ? args.text("line") + "\n" : args.text("text");
  ctx.send(ctx.uart_of(args), bytes);
  return StepResult::pass();
}

}  // namespace

const StepType& step_write_serial() {
  static const StepType type{
      "write-serial",
      "send bytes to a UART (the device receives them at its baud rate)",
      {{"text", KeyKind::Text, "bytes to send, YAML escapes allowed (\"status\\n\")"},
       {"line", KeyKind::Text, "a line to send; \\n is appended"},
       {"uart", KeyKind::Uart, "which UART (default: the board's first)"}},
      "text",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
