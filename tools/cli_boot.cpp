// `hilsim boot`: power on a board with a firmware, run it in virtual time, stream its UART,
// and end with a summary (instructions, virtual and wall time, MIPS, trace hash, resets,
// faults). Inputs can be scheduled at virtual times (--uart-at, --pin-at). With --snapshot the
// machine starts from a saved snapshot (scenario evidence, campaign failures) instead of power-on,
// and every time given is counted from the snapshot's moment.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/elf_image.h"
#include "emulator/gdb_server.h"
#include "emulator/machine.h"
#include "emulator/units.h"
#include "tools/cli.h"
#include "tools/cli_boot_session.h"
#include "tools/cli_stdio.h"
#include "tools/console.h"

namespace hilsim::cli {

namespace {

struct BootOptions {
  std::string board = "demo-m4";
  std::string firmware;
  std::string duration = "5s";
  std::uint64_t seed = 0;
  std::uint64_t max_chunk = 4'000'000;
  std::uint64_t budget = 0;
  bool semihosting = false;
  std::string semihosting_root;
  std::vector<std::string> uart_at, pin_at;
  bool quiet = false;
  bool stdio = false;  // --stdio: uart0 <-> stdin/stdout, no summary (tools/cli_stdio.h)
  bool duration_given = false;
  int gdb_port = -1;  // --gdb: serve GDB's remote protocol (0 = any free port)
  std::string gdb_listen = "127.0.0.1";
  bool gdb_nowait = false;
  std::string snapshot;       // --snapshot: start from this Machine::save_snapshot file
  std::string save_snapshot;  // --save-snapshot: write one at the end of the run
  std::string record;         // --record: a session recording (cli_boot_session.cpp)
  std::string checkpoint_every = "100ms";
  std::string net_bridge;     // --net-bridge DEVICE:PORT=HOST:PORT
};

struct Input {
  std::uint64_t at_ns;
  bool uart;
  std::string target, text;
  bool level = false;
};

[[noreturn]] void fail(const std::string& message, int code = 2) {
  std::fprintf(stderr, "hilsim boot: %s\n", message.c_str());
  throw Exit{code};
}

std::vector<Input> parse_inputs(const BootOptions& o) {
  std::vector<Input> inputs;
  for (const std::string& spec : o.uart_at) {  // TIME:TEXT, "\n" escapes allowed
    auto colon = spec.find(':');
    auto ns = colon == std::string::npos ? std::nullopt : emu::parse_duration_ns(spec.substr(0, colon));
    if (!ns) fail("--uart-at '" + spec + "': expected TIME:TEXT, e.g. 1s:status\\n");
    std::string text;
    for (std::size_t i = colon + 1; i < spec.size(); ++i) {
      if (spec[i] == '\\' && i + 1 < spec.size() && spec[i + 1] == 'n') {
        text += '\n';
        ++i;
      } else {
        text += spec[i];
      }
    }
    inputs.push_back({*ns, true, "uart0", text});
  }
  for (const std::string& spec : o.pin_at) {  // TIME:PIN=0|1
    auto colon = spec.find(':'), eq = spec.find('=');
    auto ns = colon == std::string::npos ? std::nullopt : emu::parse_duration_ns(spec.substr(0, colon));
    if (!ns || eq == std::string::npos || eq < colon || (spec.substr(eq + 1) != "0" && spec.substr(eq + 1) != "1"))
      fail("--pin-at '" + spec + "': expected TIME:PIN=0|1, e.g. 2s:BUTTON=0");
    inputs.push_back({*ns, false, spec.substr(colon + 1, eq - colon - 1), "", spec[eq + 1] == '1'});
  }
  std::stable_sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) { return a.at_ns < b.at_ns; });
  return inputs;
}

int run_boot(const BootOptions& o) {
  auto duration = emu::parse_duration_ns(o.duration);
  if (!duration) fail("--for '" + o.duration + "': expected a duration such as 5s, 250ms or 10us");
  std::vector<Input> inputs = parse_inputs(o);
  if (!o.record.empty() || !o.net_bridge.empty()) {
    // A session: the same machine and inputs, run by the scenario engine so it can be recorded
    // and talk to a real server (cli_boot_session.cpp).
    if (o.stdio || !o.snapshot.empty() || o.gdb_port >= 0 || o.budget || !o.save_snapshot.empty())
      fail("--record and --net-bridge do not go with --stdio, --snapshot, --save-snapshot, --gdb or --budget");
    BootSession session;
    session.board = o.board;
    session.firmware = o.firmware;
    session.duration_ns = *duration;
    session.seed = o.seed;
    session.semihosting = o.semihosting;
    session.quiet = o.quiet;
    session.record = o.record;
    session.checkpoint_every = o.checkpoint_every;
    session.net_bridge = o.net_bridge;
    for (const Input& in : inputs) session.inputs.push_back({in.at_ns, in.uart, in.target, in.text, in.level});
    return run_boot_session(session);
  }

  auto board = emu::load_board(emu::resolve_board_path(o.board, HILSIM_SOURCE_DIR));
  if (!board) fail(board.error());
  auto elf = emu::load_elf(o.firmware);
  if (!elf) fail(elf.error());

  emu::MachineOptions mo;
  mo.seed = o.seed;
  mo.max_chunk = std::max<std::uint64_t>(1, o.max_chunk);
  mo.instruction_budget = o.budget;
  mo.semihosting = o.semihosting;
  mo.semihosting_root = o.semihosting_root;
  auto created = emu::Machine::create(*board, mo);
  if (!created) fail(created.error());
  emu::Machine& m = **created;
  if (std::string err = m.load_firmware(*elf); !err.empty()) fail(err);
  for (const Input& in : inputs)
    if (!in.uart && !m.board().find_pin(in.target)) fail("--pin-at: the board has no pin named '" + in.target + "'");

  // Starts the machine: power-on, or the snapshot's moment (its CPU, memory, devices and events).
  auto start = [&] {
    if (o.snapshot.empty()) return m.power_on();
    std::ifstream in(o.snapshot, std::ios::binary);
    if (!in) fail("--snapshot " + o.snapshot + ": cannot read the file");
    std::vector<std::uint8_t> blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (std::string err = m.restore_snapshot(blob); !err.empty()) fail("--snapshot " + o.snapshot + ": " + err);
  };
  if (o.stdio) {
    start();
    return run_stdio(m, "uart0", o.duration_given ? m.now() + m.ticks_from_ns(*duration) : 0);
  }
  Console console(m, o.quiet);
  console.attach();

  auto wall_start = std::chrono::steady_clock::now();
  start();
  const emu::Ticks base = m.now();  // 0, or the snapshot's moment
  if (base) console.note("started from snapshot " + o.snapshot + " at " + emu::format_seconds(m.seconds(base)));
  std::unique_ptr<emu::GdbServer> gdb;
  if (o.gdb_port >= 0) {
    emu::GdbServerOptions go;
    go.listen_address = o.gdb_listen;
    go.port = o.gdb_port;
    go.wait_for_client = !o.gdb_nowait;
    gdb = std::make_unique<emu::GdbServer>(m, go);
    if (std::string err = gdb->start(); !err.empty()) fail("--gdb: " + err);
    std::fprintf(stderr, "gdb: listening on %s:%d\n", o.gdb_listen.c_str(), gdb->port());
  }
  emu::Ticks end = base + m.ticks_from_ns(*duration);
  if (gdb && !o.duration_given) end = emu::kNever;  // a debug session runs until the debugger ends it
  emu::RunResult result;
  std::size_t next_input = 0;
  for (;;) {
    emu::Ticks until = end;
    if (next_input < inputs.size()) until = std::min(until, base + m.ticks_from_ns(inputs[next_input].at_ns));
    result = gdb ? gdb->run_until(until) : m.run_until(until);
    if (gdb && gdb->killed()) break;
    if (result.reason != emu::StopReason::TimeLimit) break;
    if (m.now() >= end) break;
    const Input& in = inputs[next_input++];
    if (in.uart) {
      std::vector<std::uint8_t> bytes(in.text.begin(), in.text.end());
      m.uart_input(in.target, bytes);
      console.note("uart0 <- " + std::to_string(bytes.size()) + " bytes");
    } else {
      m.set_pin(in.target, in.level);
      console.note(in.target + (in.level ? " <- 1" : " <- 0"));
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  console.flush();

  double vsec = m.seconds(m.now());
  std::printf("\n--- hilsim boot summary ---\n");
  std::printf("board         %s (%s @ %.3f MHz)\n", m.board().name.c_str(), emu::to_string(m.board().cpu),
              static_cast<double>(m.board().clock_hz) / 1e6);
  std::printf("firmware      %s\n", o.firmware.c_str());
  std::printf("stopped       %s", emu::to_string(result.reason));
  if (result.reason == emu::StopReason::Exited) std::printf(" (exit code %d)", result.exit_code);
  std::printf("\n");
  std::printf("instructions  %llu executed, %llu cycles (%.1f%% asleep)\n",
              static_cast<unsigned long long>(m.instructions()), static_cast<unsigned long long>(m.now()),
              m.now() ? 100.0 * static_cast<double>(m.idle_cycles()) / static_cast<double>(m.now()) : 0.0);
  std::printf("virtual time  %s\n", emu::format_seconds(vsec).c_str());
  std::printf("wall time     %.3f s (%.1fx real time)\n", wall, wall > 0 ? vsec / wall : 0.0);
  std::printf("MIPS          %.1f\n", wall > 0 ? static_cast<double>(m.instructions()) / wall / 1e6 : 0.0);
  std::printf("interrupts    %llu taken, %llu sleeps\n", static_cast<unsigned long long>(m.exceptions_taken()),
              static_cast<unsigned long long>(m.sleeps()));
  std::printf("trace hash    %016llx (%llu events)\n", static_cast<unsigned long long>(m.trace_hash()),
              static_cast<unsigned long long>(m.trace_events()));
  std::printf("resets        %zu:", m.resets().size());
  for (const auto& [t, why] : m.resets()) std::printf(" %s@%.6fs", periph::to_string(why), m.seconds(t));
  std::printf("\n");
  if (!m.guest_errors().empty()) std::printf("guest errors  %zu (listed above)\n", m.guest_errors().size());
  std::printf("faults        %zu\n", m.faults().size());
  for (const emu::FaultReport& f : m.faults()) std::printf("%s", emu::format_fault(f, &m.symbols()).c_str());

  if (!o.save_snapshot.empty()) {
    std::vector<std::uint8_t> blob = m.save_snapshot();
    std::ofstream out(o.save_snapshot, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob.size()));
    if (!out) fail("--save-snapshot " + o.save_snapshot + ": cannot write the file");
    std::printf("snapshot      %s (%zu bytes at %s)\n", o.save_snapshot.c_str(), blob.size(),
                emu::format_seconds(vsec).c_str());
  }

  int code = [&] {
    switch (result.reason) {
      case emu::StopReason::TimeLimit: return m.faults().empty() ? 0 : 1;
      case emu::StopReason::Exited: return result.exit_code;
      case emu::StopReason::PoweredOff: return 0;
      case emu::StopReason::Halted: return 0;  // killed from the debugger
      default: return 1;
    }
  }();
  if (gdb) gdb->finish(code);
  return code;
}

}  // namespace

void add_boot_command(CLI::App& app) {
  auto opts = std::make_shared<BootOptions>();
  CLI::App* cmd = app.add_subcommand("boot", "Power on a board with a firmware ELF and run it in virtual time");
  cmd->add_option("--board,-b", opts->board, "board file or board name (boards/<name>/board.yaml)")
      ->capture_default_str();
  cmd->add_option("--firmware,-f", opts->firmware, "firmware ELF")->required();
  cmd->add_option("--for,-t", opts->duration, "virtual time to run, e.g. 5s, 250ms")->capture_default_str();
  cmd->add_option("--seed", opts->seed, "seed for the machine's random sources")->capture_default_str();
  cmd->add_option("--max-chunk", opts->max_chunk,
                  "longest CPU run between loop visits, in instructions (results never depend on it)")
      ->capture_default_str();
  cmd->add_option("--budget", opts->budget, "stop with a fault report after this many instructions (0 = no limit)");
  cmd->add_option("--snapshot", opts->snapshot,
                  "start from a machine snapshot (e.g. --keep-failed's snapshot.bin) instead of power-on; "
                  "times count from its moment");
  cmd->add_option("--save-snapshot", opts->save_snapshot,
                  "write a machine snapshot at the end of the run (load it with --snapshot)");
  cmd->add_option("--record", opts->record,
                  "record the session to this .hrec file (hilsim replay); runs through the scenario engine, with the "
                  "in-process update server (nothing published) unless --net-bridge");
  cmd->add_option("--checkpoint-every", opts->checkpoint_every, "with --record: virtual time between checkpoints")
      ->capture_default_str();
  cmd->add_option("--net-bridge", opts->net_bridge,
                  "DEVICE-ADDR:PORT=HOST-ADDR:PORT: the device's connections go to a real server, e.g. "
                  "10.0.0.1:80=127.0.0.1:8000 (record the session to replay it without the server)");
  cmd->add_flag("--semihosting", opts->semihosting, "serve ARM semihosting calls (BKPT 0xAB)");
  cmd->add_option("--semihosting-root", opts->semihosting_root, "directory the firmware may open files in");
  cmd->add_option("--uart-at", opts->uart_at, "send TEXT to uart0 at TIME (TIME:TEXT, \\n allowed); repeatable");
  cmd->add_option("--pin-at", opts->pin_at, "drive an input pin at TIME (TIME:PIN=0|1); repeatable");
  cmd->add_flag("--quiet,-q", opts->quiet, "do not stream the UART");
  cmd->add_flag("--stdio", opts->stdio,
                "uart0 on stdin/stdout like qemu -serial stdio: raw bytes, no summary, runs until the "
                "firmware exits (or --for); the exit code is the firmware's SYS_EXIT status");
  cmd->add_option("--gdb", opts->gdb_port,
                  "serve GDB's remote protocol on PORT (0 = any free port); halts before the first instruction");
  cmd->add_option("--gdb-listen", opts->gdb_listen, "address the GDB server listens on")->capture_default_str();
  cmd->add_flag("--gdb-nowait", opts->gdb_nowait, "with --gdb: run at once; a debugger may attach later");
  cmd->callback([opts, cmd] {
    opts->duration_given = cmd->count("--for") > 0;
    int code = run_boot(*opts);
    if (code != 0) throw Exit{code};
  });
}

}  // namespace hilsim::cli
