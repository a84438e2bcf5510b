// Inputs: everything from outside the machine that changes its course (docs/recording-format.md).
// Scenario steps, the panel and the command line all reach the machine through RunContext's
// input methods (power, reset, pins, UART, flash damage, network faults, releases, snapshots);
// each of those reports an Input here before acting, so a session recorder sees every one with
// its virtual time, and replay (scenarios/recording/replayer.h) applies the same Input through
// apply_input(), which calls the same methods. One vocabulary, one code path, both directions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/clock.h"
#include "peripherals/net_link.h"

namespace hilsim::scen {

class RunContext;

struct Input {
  // The numbers are part of the recording format: never renumber, only add.
  enum class Kind : std::uint8_t {
    PowerOn = 1,
    PowerOff = 2,         // value: the flash controllers' power-loss policy at the cut (0 before, 1 after, 2 torn)
    Reset = 3,            // the reset pin
    Pin = 4,              // name: input pin, value: level
    Uart = 5,             // name: uart, bytes: what the device receives
    Poke = 6,             // name: memory region, value: offset, bytes: written as is (flash-corrupt)
    NetFault = 7,         // fault: armed on the first net-link
    NetClearFaults = 8,
    Publish = 9,          // name: release version (its bundle is in the recording's release table)
    Unpublish = 10,       // name: release version
    SnapshotSave = 11,    // name
    SnapshotRestore = 12, // name
  };
  Input() = default;
  Input(Kind k) : kind(k) {}  // NOLINT: implicit, so record_input({Input::Kind::Reset}) reads well
  Kind kind = Kind::PowerOn;
  emu::Ticks at = 0;  // virtual time it was applied (filled in by RunContext)
  std::string name;
  std::uint64_t value = 0;
  std::vector<std::uint8_t> bytes;
  periph::NetFault fault;
};

const char* to_string(Input::Kind kind);   // "power-on", "uart", ...
bool is_known(std::uint8_t kind);          // a Kind this build understands
std::string describe(const Input& input);  // "uart0 <- \"status\\n\"", for reports

// Applies `input` to the run as its origin did; "" or why it could not be applied.
std::string apply_input(RunContext& ctx, const Input& input);

}  // namespace hilsim::scen
