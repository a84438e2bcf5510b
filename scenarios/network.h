// The scenario engine's side of the network and update story: per run, an in-process update
// server (network/update_server.h) attached to the board's net-link device, the scenario's
// releases packed and signed (release/release.h) and published on demand, the link's fault
// knobs, and the firmware's status port (peripherals/status_port.h) for expect-version and
// expect-slot. Created by the `network` run hook before the device is powered on.
#pragma once

#include <functional>
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
  // A live peer (the scenario's network-bridge): set before the run hook, by the session
  // recorder (to see every answer) and by replay (which answers from the recording instead).
  std::function<std::shared_ptr<periph::NetBackend>(std::shared_ptr<periph::NetBackend>)> wrap_live;
  std::shared_ptr<periph::NetBackend> replay_live;
  std::shared_ptr<periph::NetBackend> live;  // what the link talks to when bridged
};

// The run's network state; steps call this (the run hook has filled it before step 1).
NetworkState& network_state(RunContext& ctx);

// Network inputs (scenarios/input.h): each is reported to the run's input sink, then applied.
// "" or why it could not be applied.
std::string publish_release(RunContext& ctx, const std::string& version);    // from NetworkState::bundles
std::string unpublish_release(RunContext& ctx, const std::string& version);
std::string add_net_fault(RunContext& ctx, const periph::NetFault& fault);  // on the first net-link
void clear_net_faults(RunContext& ctx);
// The bundle file name a release is served under: /bundles/<this>.
std::string bundle_file_name(const std::string& version);
// The board's development signing key (boards/<board>/keys/dev.key): releases given as scripts
// are signed with it unless they name another key.
std::string board_dev_key(const std::string& source_root, const std::string& board);
// A release's bundle from a file: a prebuilt .bundle as is, or a script packed as `version` and
// signed with the key in `key_path`. Empty with `error` set if it cannot be made.
std::vector<std::uint8_t> bundle_from_file(const std::string& file, const std::string& version,
                                           const std::string& key_path, std::string& error);

}  // namespace hilsim::scen
