// restore: puts the machine back to a named snapshot; virtual time goes back with it. The
// scenario's records (UART logs, the timeline) are history and stay; host actions still
// pending (a button release) are dropped.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv& env) {
  const std::string& name = args.text("name");
  if (!env.scenario.snapshot_names.count(name)) {
    std::vector<std::string> known(env.scenario.snapshot_names.begin(), env.scenario.snapshot_names.end());
    std::string c = closest(name, known);
    fail_at(args.mark("name"), "restore: no earlier snapshot step saves " + quoted(name) +
                                   (c.empty() ? "" : " (did you mean '" + c + "'?)") +
                                   (known.empty() ? "; there is no snapshot step before this one" : "; saved before: " + join(known)));
  }
}

StepResult run(const Args& args, RunContext& ctx) {
  std::string err = ctx.restore_snapshot(args.text("name"));
  if (!err.empty()) return StepResult::fail("snapshot " + quoted(args.text("name")) + " to restore", err);
  return StepResult::pass();
}

}  // namespace

const StepType& step_restore() {
  static const StepType type{
      "restore",
      "put the machine back to a named snapshot (time goes back too)",
      {{"name", KeyKind::Name, "a name saved by an earlier snapshot step", true}},
      "name",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
