// snapshot: saves the whole machine under a name (Machine::save_snapshot), for restore.
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv& env) { env.scenario.snapshot_names.insert(args.text("name")); }

StepResult run(const Args& args, RunContext& ctx) {
  std::string err = ctx.save_snapshot(args.text("name"));
  if (!err.empty()) return StepResult::fail("a snapshot named " + quoted(args.text("name")), err);
  return StepResult::pass();
}

}  // namespace

const StepType& step_snapshot() {
  static const StepType type{
      "snapshot",
      "save the whole machine under a name",
      {{"name", KeyKind::Name, "snapshot name", true}},
      "name",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
