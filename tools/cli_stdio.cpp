// The --stdio loop of `hilsim boot` (cli_stdio.h). Virtual time advances in 1 ms slices; stdin
// is polled between slices (and waited on while the firmware is stuck asleep).
#include "tools/cli_stdio.h"

#include <poll.h>
#include <unistd.h>

#include <cstdio>

namespace hilsim::cli {

int run_stdio(emu::Machine& m, const std::string& uart, emu::Ticks limit) {
  m.on_uart_byte = [&uart](emu::Ticks, const std::string& name, std::uint8_t byte) {
    if (name != uart) return;
    std::fputc(byte, stdout);
    if (byte == '\n') std::fflush(stdout);
  };
  m.on_semihost_output = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  };
  m.on_fault = [&m](const emu::FaultReport& f) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s", emu::format_fault(f, &m.symbols()).c_str());
  };
  bool stdin_open = true;
  const emu::Ticks slice = std::max<emu::Ticks>(1, m.clock_hz() / 1000);
  auto feed = [&](int timeout_ms) {
    if (!stdin_open) return;
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return;
    std::uint8_t buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
      stdin_open = false;
      return;
    }
    m.uart_input(uart, std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
  };
  for (;;) {
    emu::Ticks until = m.now() + slice;
    if (limit) until = std::min(until, limit);
    emu::RunResult r = m.run_until(until);
    std::fflush(stdout);
    switch (r.reason) {
      case emu::StopReason::TimeLimit:
        if (limit && m.now() >= limit) return m.faults().empty() ? 0 : 1;
        feed(0);
        break;
      case emu::StopReason::Stuck:  // asleep with nothing scheduled: only input can wake it
        if (!stdin_open) return 0;
        feed(-1);
        break;
      case emu::StopReason::Exited: return r.exit_code;
      case emu::StopReason::PoweredOff: return 0;
      default: return 1;
    }
  }
}

}  // namespace hilsim::cli
