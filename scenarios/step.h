// Step and invariant types: the vocabulary of a scenario, declared once each as data (name,
// one-line summary, keys) with a checker and an executor. The registry (step_registry.cpp)
// lists them; the loader, the JSON schema, `hilsim run --list-steps` and the README tables all
// come from it. Adding a step type = one file in scenarios/steps/ + one line in the registry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scenarios/args.h"

namespace hilsim::scen {

class RunContext;
class Monitor;
struct Scenario;

// What a step executor returns. A failure says what was expected and what was seen; the
// runner adds the time, the step, the file position and the last UART lines.
struct StepResult {
  enum class Status { Passed, Failed, Stopped };  // Stopped: a violation ended the wait
  Status status = Status::Passed;
  std::string note;  // optional, shown on the "pass" line ("matched at ...")
  std::string expected, seen;

  static StepResult pass(std::string note = {}) { return {Status::Passed, std::move(note), {}, {}}; }
  static StepResult fail(std::string expected, std::string seen) {
    return {Status::Failed, {}, std::move(expected), std::move(seen)};
  }
  static StepResult stopped() { return {Status::Stopped, {}, {}, {}}; }
  bool ok() const { return status == Status::Passed; }
};

// Checks made after the generic key checks, while loading: rules between keys, references to
// other steps (a restore needs an earlier snapshot). Calls fail_at() to reject.
struct CheckEnv {
  const ParseEnv& env;
  Scenario& scenario;  // what has been loaded so far (earlier steps); checks may note names
};

struct StepType {
  std::string name;
  std::string summary;  // one line, for docs and the schema
  std::vector<KeySpec> keys;
  std::string scalar_key;  // `- delay: 500ms` fills this key ("" = no scalar form)
  bool reserved = false;   // parsed, but not wired yet (fails at run time with a clear message)
  void (*check)(const Args& args, const CheckEnv& env) = nullptr;
  StepResult (*run)(const Args& args, RunContext& ctx) = nullptr;
};

struct InvariantType {
  std::string name;
  std::string summary;
  std::vector<KeySpec> keys;
  std::string scalar_key;
  void (*check)(const Args& args, const CheckEnv& env) = nullptr;
  std::unique_ptr<Monitor> (*make)(const Args& args, RunContext& ctx) = nullptr;
};

// Called at the start of every run, after the RunContext exists and before power-on: for
// extensions that must be in place before the firmware runs (an update server offering the
// scenario's releases). A hook may call ctx.violate() to fail the run. Listed in
// step_registry.cpp (HILSIM_SCENARIO_RUN_HOOKS; empty for now).
using RunHook = void (*)(RunContext& ctx);
const std::vector<RunHook>& run_hooks();

const std::vector<const StepType*>& step_types();
const StepType* find_step_type(const std::string& name);
const std::vector<const InvariantType*>& invariant_types();
const InvariantType* find_invariant_type(const std::string& name);

// Key declarations shared by several step types.
KeySpec timeout_key(const std::string& default_text = "step-timeout");
std::vector<KeySpec> serial_pattern_keys();  // text, regex, uart

}  // namespace hilsim::scen
