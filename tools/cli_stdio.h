// `hilsim boot --stdio`: the firmware's UART0 on the terminal, like
// `qemu-system-arm -nographic -serial stdio`.
#pragma once

#include "emulator/machine.h"

namespace hilsim::cli {

// Runs a powered-on machine with UART0 bytes written raw to stdout and stdin bytes injected
// into UART0 as they arrive (external input: timing is the host's, so such runs are not
// reproducible). Runs until the firmware exits, faults or `limit` (0 = no limit) is reached;
// while the firmware sleeps with nothing to wake it, waits for stdin. Returns the exit code
// `boot` documents (the firmware's SYS_EXIT status when it exits).
int run_stdio(emu::Machine& m, const std::string& uart, emu::Ticks limit);

}  // namespace hilsim::cli
