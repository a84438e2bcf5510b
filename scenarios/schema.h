// The JSON schema of scenario files (scenarios/scenario.schema.json), generated from the
// declarations the loader uses: the top-level keys, the section keys and the step and
// invariant registries. Editors use it for completion; a test keeps the file equal to this.
#pragma once

#include <string>

namespace hilsim::scen {

std::string scenario_schema_json();  // pretty-printed, ends with a newline
// Markdown tables of the steps and invariants with their keys (for the README).
std::string scenario_reference_markdown();

}  // namespace hilsim::scen
