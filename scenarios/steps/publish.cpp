// publish: the update server starts offering a release (listed under `releases:`, or given
// here with `file`); its manifest now names this release.
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
  const std::string err = publish_release(ctx, v);
  if (!err.empty()) return StepResult::fail("a valid bundle for " + v, err);
  return StepResult::pass("/bundles/" + bundle_file_name(v) + ", " + std::to_string(it->second.size()) + " bytes");
}

// With `file`, the step defines the release itself (handy inside `repeat`, where each copy
// publishes a new version): it joins the scenario's releases, packed at the start of the run.
void check(const Args& args, const CheckEnv& env) {
  if (!args.has("file")) {
    if (args.has("key")) fail_at(args.mark("key"), "'key' only goes with 'file' (a release listed under 'releases' has its own)");
    steps::check_release(args, env);
    return;
  }
  check_release_version(args);
  const std::string& v = args.text("version");
  for (const Release& r : env.scenario.releases)
    if (r.args.text("version") == v) {
      if (r.args.text("file") == args.text("file")) return;  // the same release again
      fail_at(args.mark("version"), "release " + quoted(v) + " is already defined (line " + std::to_string(r.mark.line) +
                                        ") with another file");
    }
  Release r;
  r.mark = args.where;
  r.args.where = args.where;
  for (const char* key : {"version", "file", "key"})
    if (args.has(key)) r.args.set(key, args.value(key), true);
  Value published;
  published.kind = KeyKind::Bool;
  published.defaulted = true;
  published.raw = published.text = "false";
  r.args.set("published", published, false);
  env.scenario.releases.push_back(std::move(r));
}

}  // namespace

const StepType& step_publish() {
  static const StepType type{
      "publish",
      "the update server starts offering a release (its manifest names it)",
      {{"version", KeyKind::Text, "a version listed under releases, or a new one given with file", true},
       {"file", KeyKind::Path, "defines the release here: the script (or .bundle) to pack and sign"},
       {"key", KeyKind::Path, "with file: signing key (default: the board's keys/dev.key)"}},
      "version",
      false,
      &check,
      &run,
  };
  return type;
}

}  // namespace hilsim::scen
