// clear-never: ends an earlier never-serial watch, named by its id (or its pattern).
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

void check(const Args& args, const CheckEnv& env) {
  const std::string& id = args.text("id");
  if (!env.scenario.never_ids.count(id)) {
    std::vector<std::string> ids(env.scenario.never_ids.begin(), env.scenario.never_ids.end());
    fail_at(args.mark("id"), "clear-never: no earlier never-serial step has the id " + quoted(id) +
                                 (ids.empty() ? std::string(" (there is none before this step)") : "; known: " + join(ids)));
  }
}

StepResult run(const Args& args, RunContext& ctx) {
  bool removed = ctx.remove_monitors(args.text("id"));
  return StepResult::pass(removed ? "stopped watching " + quoted(args.text("id"))
                                  : quoted(args.text("id")) + " was no longer watched");
}

}  // namespace

const StepType& step_clear_never() {
  static const StepType type{
      "clear-never",
      "end an earlier never-serial watch",
      {{"id", KeyKind::Text, "the never-serial's id (or its pattern as written)", true}},
      "id",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
