// wait-pin: waits until an output pin has a level (passes at once if it already has it), or
// for its next edge (rising, falling or any) after the step starts.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv&) {
  if (args.has("value") == args.has("edge"))
    fail_at(args.has("edge") ? args.mark("edge") : args.where, "wait-pin takes 'value' (0/1) or 'edge' (rising, falling, any), exactly one");
}

StepResult run(const Args& args, RunContext& ctx) {
  const std::string& pin = args.text("pin");
  std::size_t from = ctx.pin_changes().size();
  std::size_t scanned = from;
  std::optional<PinChange> hit;
  std::string want;
  std::function<bool()> done;
  if (args.has("value")) {
    bool level = args.integer("value") != 0;
    want = pin + " = " + (level ? "1" : "0");
    done = [&, level] { return ctx.machine().pin(pin) == level; };
  } else {
    const std::string& edge = args.text("edge");
    want = (edge == "any" ? std::string("an edge") : "a " + edge + " edge") + " on " + pin;
    done = [&, edge] {
      const auto& changes = ctx.pin_changes();
      for (; !hit && scanned < changes.size(); ++scanned) {
        const PinChange& c = changes[scanned];
        if (c.pin == pin && (edge == "any" || c.level == (edge == "rising"))) hit = c;
      }
      return hit.has_value();
    };
  }
  emu::Ticks until = ctx.after(args.ns("timeout"));
  RunContext::Wait w = ctx.wait_until(until, done);
  if (w == RunContext::Wait::Met) return StepResult::pass(hit ? "at " + ctx.stamp(hit->at) : "");
  std::size_t changes = 0;
  for (std::size_t i = from; i < ctx.pin_changes().size(); ++i) changes += ctx.pin_changes()[i].pin == pin;
  std::optional<bool> level = ctx.machine().pin(pin);
  return steps::stopped_or(w, StepResult::fail(want + " " + steps::within(ctx, args.ns("timeout"), until),
                                               pin + " changed " + std::to_string(changes) + " times; now " +
                                                   (level ? (*level ? "1" : "0") : "unknown")));
}

}  // namespace

const StepType& step_wait_pin() {
  static const StepType type{
      "wait-pin",
      "wait until an output pin has a level, or for its next edge",
      {{"pin", KeyKind::OutputPin, "an output pin of the board, e.g. LED0", true},
       {"value", KeyKind::Level, "wait for this level (passes at once if the pin has it)"},
       {"edge", KeyKind::Choice, "wait for the next edge after the step starts", false, "", {"rising", "falling", "any"}},
       timeout_key()},
      "",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
