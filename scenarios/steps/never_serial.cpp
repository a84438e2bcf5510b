// never-serial: from this step on, a pattern must not appear on a UART — until the end of
// the run, for `for:` a duration, or until a clear-never step names its id (default: the
// pattern as written). Checked continuously, whatever step is running.
#include "scenarios/monitors.h"
#include "scenarios/steps/common.h"

namespace hilsim::scen {
namespace {

std::string id_of(const Args& args) {
  return args.has("id") ? args.text("id") : args.has("text") ? args.text("text") : args.value("regex").raw;
}

void check(const Args& args, const CheckEnv& env) {
  check_pattern(args, "never-serial");
  env.scenario.never_ids.insert(id_of(args));
}

StepResult run(const Args& args, RunContext& ctx) {
  const StepInstance* st = ctx.current_step();
  std::string what = "never-serial (step " + std::to_string(st ? st->index : 0) + ")";
  emu::Ticks until = args.has("for") ? ctx.after(args.ns("for")) : emu::kNever;
  auto mon = std::make_unique<NeverSerialMonitor>(what, pattern_from(args), ctx.uart_of(args), ctx, until);
  mon->mark = st ? st->mark : args.where;
  mon->id = id_of(args);
  ctx.add_monitor(std::move(mon));
  return StepResult::pass("watching from now on");
}

std::vector<KeySpec> keys() {
  std::vector<KeySpec> k = serial_pattern_keys();
  k.push_back({"for", KeyKind::Duration, "stop watching after this long (default: until the end or a clear-never)"});
  k.push_back({"id", KeyKind::Text, "name for clear-never (default: the pattern as written)"});
  return k;
}

}  // namespace

const StepType& step_never_serial() {
  static const StepType type{
      "never-serial", "from now on a pattern must not appear (checked continuously)", keys(), "text", false, &check, &run,
  };
  return type;
}

}  // namespace hilsim::scen
