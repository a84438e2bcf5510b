// The registry of step and invariant types. Adding a step type: write
// scenarios/steps/<name>.cpp defining `const StepType& step_<name>()` (dashes become
// underscores), add one X(<name>) line below, then regenerate the schema:
//   build/hilsim run --print-schema > scenarios/scenario.schema.json
// (tests/scenarios/schema_test.cpp fails until the file matches the registry).
#include "scenarios/step.h"

namespace hilsim::scen {

// Steps, in the order the README and the schema list them.
#define HILSIM_SCENARIO_STEPS(X) \
  X(delay)                       \
  X(wait_serial)                 \
  X(write_serial)                \
  X(expect_serial)               \
  X(never_serial)                \
  X(clear_never)                 \
  X(set_control)                 \
  X(expect_pin)                  \
  X(wait_pin)                    \
  X(power_off)                   \
  X(power_on)                    \
  X(power_cycle)                 \
  X(reset)                       \
  X(wait_reset)                  \
  X(wait_flash)                  \
  X(power_loss)                  \
  X(flash_corrupt)               \
  X(expect_flash_wear)           \
  X(snapshot)                    \
  X(restore)                     \
  X(expect_fault)                \
  X(publish)                     \
  X(unpublish)                   \
  X(net_drop)                    \
  X(net_stall)                   \
  X(net_corrupt)                 \
  X(net_truncate)                \
  X(net_refuse)                  \
  X(net_slow)                    \
  X(expect_version)              \
  X(expect_slot)

#define HILSIM_SCENARIO_INVARIANTS(X) \
  X(no_hardfault)                     \
  X(running_within)                   \
  X(never_serial)

// Run hooks (see step.h): X(name) calls `void run_hook_<name>(RunContext&)`.
#define HILSIM_SCENARIO_RUN_HOOKS(X) X(network)

#define DECLARE_STEP(id) const StepType& step_##id();
HILSIM_SCENARIO_STEPS(DECLARE_STEP)
#undef DECLARE_STEP
#define DECLARE_INVARIANT(id) const InvariantType& invariant_##id();
HILSIM_SCENARIO_INVARIANTS(DECLARE_INVARIANT)
#undef DECLARE_INVARIANT

const std::vector<const StepType*>& step_types() {
#define ENTRY(id) &step_##id(),
  static const std::vector<const StepType*> types = {HILSIM_SCENARIO_STEPS(ENTRY)};
#undef ENTRY
  return types;
}

#define DECLARE_HOOK(id) void run_hook_##id(RunContext& ctx);
HILSIM_SCENARIO_RUN_HOOKS(DECLARE_HOOK)
#undef DECLARE_HOOK

const std::vector<RunHook>& run_hooks() {
#define ENTRY(id) &run_hook_##id,
  static const std::vector<RunHook> hooks = {HILSIM_SCENARIO_RUN_HOOKS(ENTRY)};
#undef ENTRY
  return hooks;
}

const StepType* find_step_type(const std::string& name) {
  for (const StepType* t : step_types())
    if (t->name == name) return t;
  return nullptr;
}

const std::vector<const InvariantType*>& invariant_types() {
#define ENTRY(id) &invariant_##id(),
  static const std::vector<const InvariantType*> types = {HILSIM_SCENARIO_INVARIANTS(ENTRY)};
#undef ENTRY
  return types;
}

const InvariantType* find_invariant_type(const std::string& name) {
  for (const InvariantType* t : invariant_types())
    if (t->name == name) return t;
  return nullptr;
}

KeySpec timeout_key(const std::string& default_text) {
  return {"timeout", KeyKind::Duration,
          default_text == "step-timeout" ? "how long to wait (default: the scenario's step-timeout)"
                                         : "how long to wait (default " + default_text + ")",
          false, default_text};
}

std::vector<KeySpec> serial_pattern_keys() {
  return {
      {"text", KeyKind::Text, "substring of the UART output (may end mid-line; \\n spans lines)"},
      {"regex", KeyKind::Regex, "ECMAScript regular expression, searched in each complete line"},
      {"uart", KeyKind::Uart, "which UART (default: the board's first)"},
  };
}

}  // namespace hilsim::scen
