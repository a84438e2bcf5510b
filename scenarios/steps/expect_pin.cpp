// expect-pin: a pin has a given level now.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  const std::string& pin = args.text("pin");
  int want = static_cast<int>(args.integer("value"));
  std::optional<bool> level = ctx.machine().pin(pin);
  if (level && static_cast<int>(*level) == want) return StepResult::pass();
  std::string seen = level ? pin + " = " + (*level ? "1" : "0") : "no level (the pin's device is missing)";
  const auto& changes = ctx.pin_changes();
  for (auto it = changes.rbegin(); it != changes.rend(); ++it)
    if (it->pin == pin) {
      seen += ", last changed at " + ctx.stamp(it->at);
      break;
    }
  return StepResult::fail(pin + " = " + std::to_string(want) + " at " + ctx.stamp(ctx.now()), seen);
}

}  // namespace

const StepType& step_expect_pin() {
  static const StepType type{
      "expect-pin",
      "a pin has a level now",
      {{"pin", KeyKind::Pin, "a pin of the board, e.g. LED0", true},
       {"value", KeyKind::Level, "0 or 1", true}},
      "",
      false,
      nullptr,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
