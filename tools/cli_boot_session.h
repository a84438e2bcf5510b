// `hilsim boot --record/--net-bridge`: a boot session run by the scenario engine, so that it can
// be recorded (scenarios/recording/) and bridged to a real server. The board, firmware, seed,
// inputs (--uart-at, --pin-at) and duration become a made-up scenario: delays and input steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hilsim::cli {

struct BootSession {
  struct TimedInput {
    std::uint64_t at_ns = 0;
    bool uart = false;
    std::string target, text;
    bool level = false;
  };
  std::string board, firmware;
  std::uint64_t duration_ns = 0, seed = 0;
  bool semihosting = false, quiet = false;
  std::vector<TimedInput> inputs;  // sorted by time
  std::string record, checkpoint_every, net_bridge;
};

// Runs it and prints the timeline and a summary; returns the exit code.
int run_boot_session(const BootSession& session);

}  // namespace hilsim::cli
