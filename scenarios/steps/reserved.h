// The network and update steps are parsed and checked like every other step, but run only
// once the network peripheral and the update server are wired in. Until then each fails with
// this message. Wiring one: replace its run() (scenarios/steps/<name>.cpp) and clear
// `reserved` in its StepType; RunContext gives the Machine, the timeline (note), waiting
// (wait_until), the scenario's releases (ctx.scenario().releases) and per-run state for the
// server (ctx.state<T>()).
#pragma once

#include "scenarios/steps/common.h"

namespace hilsim::scen::steps {

inline StepResult not_available(const Args&, RunContext& ctx) {
  const StepInstance* st = ctx.current_step();
  std::string name = st ? st->type->name : "this step";
  return StepResult::fail(name + " to run",
                          "not available: " + name + " needs the network peripheral and the update server, which are "
                          "not wired into the scenario engine yet");
}

// publish/unpublish name a release listed under `releases:`.
inline void check_release(const Args& args, const CheckEnv& env) {
  const std::string& v = args.text("version");
  std::vector<std::string> known;
  for (const Release& r : env.scenario.releases) {
    if (r.args.text("version") == v) return;
    known.push_back(r.args.text("version"));
  }
  fail_at(args.mark("version"), "no release " + quoted(v) + " is listed under 'releases'" +
                                    (known.empty() ? std::string(" (there are none)") : "; listed: " + join(known)));
}

// Keys shared by the network fault steps.
inline KeySpec net_count_key() {
  return {"count", KeyKind::Integer, "how many requests are affected (default: all until 'for' ends)", false, "", {}, 1};
}
inline KeySpec net_for_key(bool required = false) {
  return {"for", KeyKind::Duration, "how long the fault lasts", required};
}
inline KeySpec net_match_key() {
  return {"match", KeyKind::Text, "only requests whose path contains this text"};
}

}  // namespace hilsim::scen::steps
