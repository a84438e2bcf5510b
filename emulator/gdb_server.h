// A GDB remote-serial-protocol server for one machine (GDB manual, Appendix E "GDB Remote
// Serial Protocol"): TCP, packet framing with checksums and escapes, acks and no-ack mode,
// a bounded packet size, and the commands gdb-multiarch needs for a Cortex-M target
// (registers, memory, Z0–Z4, c/s/vCont, Ctrl-C, qXfer target.xml and memory-map, qRcmd
// monitor commands, vFlash*, D/k). All on the emulation thread: while the target runs, the
// machine runs in slices of virtual time and the socket is polled between slices, which
// changes nothing in the results (slicing never does, docs/architecture.md "Determinism").
// Front ends that must stay responsive while the target is halted (the panel, gui/gdb_link.h)
// give an `idle` callback: the server then waits in short polls and calls it in between.
// Leaves out: non-stop mode, threads (one thread, id 1), tracepoints, file I/O, extended mode.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/debugger.h"
#include "emulator/gdb_listener.h"
#include "emulator/machine.h"

namespace hilsim::emu {

struct GdbServerOptions {
  std::string listen_address = "127.0.0.1";  // loopback unless told otherwise
  int port = 3333;                           // 0 = any free port (see port())
  bool wait_for_client = true;  // halt before the first instruction until a debugger attaches
  Ticks slice = 0;              // virtual time between socket polls; 0 = 10 ms of the board clock
  std::size_t max_packet = 16384;
  std::function<void(const std::string&)> log;  // one line for the user (default: stderr)
  // Accept debuggers on this socket instead of opening one (listen_address/port unused); the
  // server does not close it. For front ends that make several machines on one port.
  const GdbListener* listener = nullptr;
  // Called about every 10 ms of wall time while the server waits: for a debugger to attach, or
  // for a halted debugger's next packet. Returning false makes run_until() (or scenario_step)
  // return at once with StopReason::Halted; the target stays halted for the debugger.
  // Unset: the server blocks in those waits, as a command-line tool may.
  std::function<bool()> idle;
};

class GdbServer {
 public:
  GdbServer(Machine& machine, GdbServerOptions options);
  ~GdbServer();
  GdbServer(const GdbServer&) = delete;
  GdbServer& operator=(const GdbServer&) = delete;

  // Binds and listens. Returns "" or an error.
  std::string start();
  int port() const { return port_; }

  // Runs the machine under debugger control until virtual time `limit`: TimeLimit when it
  // gets there; the machine's own stop (Exited, or Lockup/... with no debugger attached)
  // otherwise; Halted when the debugger killed the session (see killed()).
  RunResult run_until(Ticks limit);
  bool killed() const { return killed_; }
  // Tells an attached debugger that the target exited with `code` ('W') and closes it.
  void finish(int code);

  Debugger& debugger() { return dbg_; }

  // ---- shared with a front end that also controls the run (the panel) ----
  bool attached() const { return client_fd_ >= 0; }
  // A debugger is attached and the target is halted for it (GDB waits for the user, not for
  // a stop reply): only the debugger may resume it.
  bool holds_target() const { return client_fd_ >= 0 && halted_ && !killed_ && !final_; }
  // No debugger is attached and the target waits halted for one (start, or lost while halted).
  bool waiting_for_client() const { return client_fd_ < 0 && await_client_ && !killed_ && !final_; }
  // Why the target is halted for the debugger ("breakpoint at func+0x4", "interrupted (Ctrl-C)").
  const std::string& halt_reason() const { return halt_reason_; }
  std::uint64_t halts() const { return halts_; }  // how many times the target halted for a debugger
  // Between runs, without running: accepts a debugger that is connecting (attaching halts the
  // target) and reads a Ctrl-C. True if the debugger now holds the target or one is awaited:
  // then run_until(now) serves it until it resumes.
  bool poll();
  // The host stops a running target as a Ctrl-C would (the debugger gets a SIGINT stop and
  // `why` as console output), so host and debugger agree it is halted. False when no
  // debugger is attached (nothing to tell) or it already holds the target.
  bool interrupt(const std::string& why);
  // No debugger is attached: stop waiting for one and let the target run (one may attach later,
  // which halts it again). False while a debugger is attached.
  bool release();

  // ---- driven by a scenario (`hilsim run --gdb`) ----
  // A scenario is running: 'monitor step-scenario' becomes available. Halts the scenario
  // engine requests (Machine::request_halt from its waiters) are its own business: run_until
  // returns them to the caller (StopReason::Halted) without telling the debugger.
  void attach_scenario() { scenario_ = true; }
  // The scenario engine is about to start a step (`what`: "3/12 wait-serial ..."). After
  // 'monitor step-scenario' the target halts here, as if at a breakpoint, and the call
  // serves the debugger until it continues. Virtual time does not move meanwhile.
  void scenario_step(const std::string& what);

 private:
  enum class Read { Packet, Interrupt, Nothing, Closed };
  Read read_packet(std::string& out, int timeout_ms);
  bool send_packet(const std::string& payload);
  bool send_raw(const std::string& bytes);
  bool accept_client(int timeout_ms);
  void close_client();
  void poll_running();
  bool serve_halted();  // false: the idle callback asked to stop serving
  bool idle();
  void handle(const std::string& packet);
  void report(const DebugStop& s);
  void set_stop_reply(const std::string& reply);
  std::string monitor(const std::string& command);
  std::string query(const std::string& p);
  std::string xfer(const std::string& annex_data, const std::string& args);
  void log(const std::string& line);

  Machine& m_;
  Debugger dbg_;
  GdbServerOptions o_;
  std::unique_ptr<GdbListener> own_listener_;  // when no listener was given
  int listen_fd_ = -1, client_fd_ = -1;
  int port_ = 0;
  std::string rx_;
  std::string last_sent_;
  bool no_ack_ = false;
  bool swbreak_ = false;     // the client said swbreak+ / hwbreak+
  bool halted_ = false;      // the target as GDB sees it
  bool from_halt_ = false;   // the next resume comes straight from a halt
  bool await_client_ = false;  // block until a client connects (start, or lost while halted)
  bool killed_ = false;
  bool announced_wait_ = false;  // "waiting for a debugger" was logged for this wait
  std::string halt_reason_;
  std::uint64_t halts_ = 0;
  std::chrono::steady_clock::time_point last_rx_{};  // when bytes last arrived (stalled fragments)
  bool discarding_ = false;        // skipping the rest of an oversized packet
  std::optional<RunResult> final_;  // the firmware exited while a debugger was attached
  bool hold_interrupts_ = true;  // during single steps, as QEMU's default sstep=0x7
  std::string stop_reply_ = "S05";
  std::map<std::string, std::vector<std::uint8_t>> snapshots_;
  bool break_flash_armed_ = false;    // 'monitor break-flash': halt when the next operation starts
  bool debug_halt_pending_ = false;   // a machine halt requested for the debugger (break-flash)
  bool scenario_ = false;             // attach_scenario()
  bool step_scenario_armed_ = false;  // 'monitor step-scenario': halt before the next step
  bool flash_sinks_installed_ = false;
};

}  // namespace hilsim::emu
