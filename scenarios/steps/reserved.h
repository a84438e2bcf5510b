// Helpers shared by the network and update steps (publish, unpublish, net-*, expect-version,
// expect-slot): the run's update server and link (scenarios/network.h), release checks and the
// keys the fault steps share.
#pragma once

#include "scenarios/network.h"
#include "scenarios/steps/common.h"

namespace hilsim::scen::steps {

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

// The run's network, or a failure saying why there is none. The link faults need only the
// link; publishing needs the in-process update server too (not there when the link is bridged).
inline NetworkState* network_or_fail(RunContext& ctx, StepResult& failure, bool need_server = true) {
  NetworkState& st = network_state(ctx);
  if (st.link != nullptr && (st.server || !need_server)) return &st;
  failure = StepResult::fail("a board with a net-link device and the update server",
                             st.error.empty() ? "board " + ctx.machine().board().name + " has no net-link device" : st.error);
  return nullptr;
}

// Keys shared by the network fault steps.
inline KeySpec net_count_key() {
  return {"count", KeyKind::Integer, "how many connections are affected (default 1; with 'for': all until it ends)",
          false, "", {}, 1};
}
inline KeySpec net_for_key(bool required = false) {
  return {"for", KeyKind::Duration, "affect every connection for this long, then clear the fault", required};
}
inline KeySpec net_match_key() {
  return {"match", KeyKind::Text, "only connections whose request path starts with this (e.g. /bundles/)"};
}

// Applies `fault` with the scope the step's count/for/match keys give it. With `for`, the
// fault applies to every connection and is cleared when the time is up.
inline StepResult apply_fault(const Args& args, RunContext& ctx, periph::NetFault fault) {
  StepResult failure;
  if (network_or_fail(ctx, failure, false) == nullptr) return failure;
  if (args.has("match")) fault.on_path(args.text("match"));
  if (args.has("for")) fault.always();
  else if (args.has("count")) fault.next(static_cast<std::uint32_t>(args.integer("count")));
  if (std::string err = add_net_fault(ctx, fault); !err.empty()) return StepResult::fail("a fault the link can apply", err);
  const std::string what = periph::to_string(fault);
  ctx.note("net", "fault armed: " + what);
  if (args.has("for")) {
    ctx.schedule(ctx.after(args.ns("for")), "net fault ends", [&ctx, what] {
      clear_net_faults(ctx);
      ctx.note("net", "fault cleared: " + what);
    });
  }
  return StepResult::pass(what);
}

}  // namespace hilsim::scen::steps
