// Test helpers: load scenario text (a demo-m4 header plus steps) and run it, keeping the
// timeline; error messages are checked with their exact file:line:col.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/text_util.h"

namespace hilsim::test {

inline scen::LoadOptions load_options() { return {HILSIM_SOURCE_DIR, HILSIM_BUILD_DIR}; }

// Two lines: the board and the demo firmware. Steps written after it start on line 3.
inline const std::string kDemo =
    "board: demo-m4\n"
    "firmware: ${build}/firmware/demo-m4/demo-m4.elf\n";
// The flash_writer test program (exits through semihosting).
inline const std::string kFlashWriter =
    "board: demo-m4\n"
    "firmware: ${build}/firmware/test-programs/flash_writer.elf\n"
    "semihosting: true\n";

inline emu::Loaded<scen::Scenario> load(const std::string& text, const std::string& file = "test.yaml") {
  return scen::load_scenario_from_string(text, file, load_options());
}

// The error of a malformed scenario ("" if it loaded).
inline std::string load_error(const std::string& text) {
  auto sc = load(text);
  return sc ? std::string() : sc.error();
}

inline scen::ScenarioResult run(const std::string& text, scen::RunOptions options = {},
                                const std::string& file = "test.yaml") {
  auto sc = load(text, file);
  REQUIRE_MESSAGE(sc.ok(), sc.error());
  return scen::run_scenario(*sc, options, nullptr);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace hilsim::test
