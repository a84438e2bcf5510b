// unpublish: the update server stops offering a release; the manifest falls back to the
// release published before it, or disappears (404).
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  StepResult failure;
  if (steps::network_or_fail(ctx, failure) == nullptr) return failure;
  const std::string& v = args.text("version");
  if (!unpublish_release(ctx, v).empty()) return StepResult::fail("release " + v + " published", "it is not");
  return StepResult::pass();
}

}  // namespace

const StepType& step_unpublish() {
  static const StepType type{
      "unpublish",
      "the update server stops offering a release",
      {{"version", KeyKind::Text, "a version listed under releases", true}},
      "version",
      false,
      &steps::check_release,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
