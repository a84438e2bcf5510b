// The scenario engine's side of the network and update story: per run, an in-process update
// server (network/update_server.h) attached to the board's net-link device, the scenario's
// releases packed and signed (release/release.h) and published on demand, the link's fault
// knobs, and the firmware's status port (peripherals/status_port.h) for expect-version and
// expect-slot. Created by the `network` run hook before the device is powered on.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "network/update_server.h"
#include "peripherals/net_link.h"
#include "peripherals/status_port.h"
#include "release/release.h"
#include "scenarios/run_context.h"

namespace hilsim::scen {

struct NetworkState {
  std::shared_ptr<network::UpdateServer> server;
  std::unique_ptr<release::Publisher> publisher;
  periph::NetLink* link = nullptr;        // the board's first net-link device (or none)
  periph::StatusPort* status = nullptr;   // the board's first status-port device (or none)
  std::map<std::string, std::vector<std::uint8_t>> bundles;  // by release version text
  std::string error;                      // why the network could not be set up
  // A status-port change waits to be noted at this tick (kNever: none). A tick, not a flag: a
  // restore drops the pending note action and takes time back before it, which ends the wait.
  emu::Ticks status_note_due = emu::kNever;
  std::string last_status_note;
};

// The run's network state; steps call this (the run hook has filled it before step 1).
NetworkState& network_state(RunContext& ctx);
// The bundle file name a release is served under: /bundles/<this>.
std::string bundle_file_name(const std::string& version);

}  // namespace hilsim::scen
