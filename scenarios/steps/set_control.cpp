// set-control: drives an input pin of the board (a button, a switch) to 0 or 1; with `for:`
// the previous level comes back after that long, while the following steps run.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  const std::string& pin = args.text("pin");
  bool level = args.integer("value") != 0;
  bool before = ctx.machine().pin(pin).value_or(!level);
  if (!ctx.set_input(pin, level)) return StepResult::fail("pin " + pin + " to accept an input level", "the board's model refused it");
  if (args.has("for")) {
    std::string why = "after " + duration_text(args.ns("for"));
    ctx.schedule(ctx.after(args.ns("for")), pin + " back to " + (before ? "1" : "0"),
                 [&ctx, pin, before, why] { ctx.set_input(pin, before, why); });
    return StepResult::pass(pin + " back to " + (before ? "1" : "0") + " at " + ctx.stamp(ctx.after(args.ns("for"))));
  }
  return StepResult::pass();
}

}  // namespace

const StepType& step_set_control() {
  static const StepType type{
      "set-control",
      "drive an input pin (button, switch) to 0 or 1, optionally for a while",
      {{"pin", KeyKind::InputPin, "an input pin of the board, e.g. BUTTON", true},
       {"value", KeyKind::Level, "0 or 1 (the electrical level; a pulled-up button reads 0 when pressed)", true},
       {"for", KeyKind::Duration, "restore the previous level after this long (the next steps run meanwhile)"}},
      "",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
