// Test helpers for the panel's emulation thread without a window: scenarios to run it on, and a
// bounded wait on the views it publishes (the UI side never waits on the machine either).
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gui/emulation.h"
#include "scenarios/scenario.h"

namespace hilsim::test {

inline std::shared_ptr<const scen::Scenario> gui_scenario(const std::string& file) {
  scen::LoadOptions lo;
  lo.source_root = HILSIM_SOURCE_DIR;
  lo.build_root = HILSIM_BUILD_DIR;
  auto sc = scen::load_scenario(file, lo);
  REQUIRE_MESSAGE(sc, sc.error());
  return std::make_shared<const scen::Scenario>(std::move(*sc));
}

// scenarios/demo.yaml: the whole update story (about 70 s of virtual time).
inline std::shared_ptr<const scen::Scenario> demo_scenario() {
  return gui_scenario(std::string(HILSIM_SOURCE_DIR) + "/scenarios/demo.yaml");
}

// The demo board and firmware alone, as `hilsim gui --board demo-m4 --firmware ...` makes it.
inline std::shared_ptr<const scen::Scenario> demo_board_only() {
  scen::LoadOptions lo;
  lo.source_root = HILSIM_SOURCE_DIR;
  lo.build_root = HILSIM_BUILD_DIR;
  auto sc = scen::load_scenario_from_string(
      "name: board\nboard: demo-m4\nfirmware: \"" + std::string(HILSIM_BUILD_DIR) +
          "/firmware/demo-m4/demo-m4.elf\"\ntime-limit: 1000000s\nsteps:\n  - delay: 999999s\n",
      "<test>", lo);
  REQUIRE_MESSAGE(sc, sc.error());
  return std::make_shared<const scen::Scenario>(std::move(*sc));
}

// Polls the views until `pred` holds (true) or `seconds` of wall time pass (false).
template <typename P>
bool until(gui::Emulation& e, P pred, double seconds = 20) {
  auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::duration<double>(seconds)) {
    e.take_view();
    if (pred(e.view())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

}  // namespace hilsim::test
