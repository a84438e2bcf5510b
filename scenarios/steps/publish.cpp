// publish: the update server starts offering a release (listed under `releases:`); its
// manifest now names this release.
#include "scenarios/steps/reserved.h"

namespace hilsim::scen {
namespace {

StepResult run(const Args& args, RunContext& ctx) {
  StepResult failure;
  NetworkState* st = steps::network_or_fail(ctx, failure);
  if (st == nullptr) return failure;
  const std::string& v = args.text("version");
  auto it = st->bundles.find(v);
  if (it == st->bundles.end()) return StepResult::fail("release " + v + " packed", "it was not packed");
  const std::string err = st->publisher->publish(bundle_file_name(v), it->second);
  if (!err.empty()) return StepResult::fail("a valid bundle for " + v, err);
  return StepResult::pass("/bundles/" + bundle_file_name(v) + ", " + std::to_string(it->second.size()) + " bytes");
}

}  // namespace

const StepType& step_publish() {
  static const StepType type{
      "publish",
      "the update server starts offering a release (its manifest names it)",
      {{"version", KeyKind::Text, "a version listed under releases", true}},
      "version",
      false,
      &steps::check_release,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
