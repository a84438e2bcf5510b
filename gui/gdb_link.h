// The panel's side of `hilsim gui --gdb` (docs/debugging.md "The panel and GDB side by side"):
// the GDB server runs inside the panel's emulation thread, so the panel and a debugger drive the
// one machine. This holds the listening socket for the panel's whole life (a restart makes a new
// machine and a new emu::GdbServer on the same port), makes the server for each run, sends its
// log lines to stderr and the scenario's timeline, and describes the debugger for the view.
//
// Who resumes the target: while a debugger is attached and the target is halted for it, only the
// debugger resumes it (in all-stop mode GDB cannot be told that someone else did). The panel's
// Pause on a running target becomes a stop the debugger sees (SIGINT, like Ctrl-C), so both
// agree. With no debugger attached the panel's Run lets the target run without one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "emulator/gdb_listener.h"
#include "emulator/gdb_server.h"
#include "gui/device_view.h"
#include "scenarios/run_context.h"

namespace hilsim::gui {

struct GdbLinkOptions {
  int port = -1;  // -1: no GDB server; 0: any free port (printed)
  std::string listen = "127.0.0.1";
  bool nowait = false;  // run at once instead of waiting for a debugger at the reset vector
  std::function<void(const std::string&)> log;  // the server's lines (default: stderr, "gdb: ...")
};

class GdbLink {
 public:
  explicit GdbLink(GdbLinkOptions options) : o_(std::move(options)) {}
  bool enabled() const { return o_.port >= 0; }
  // Binds the port (call before the emulation thread starts, so a busy port is an error the user
  // sees at once) and prints "listening on ADDRESS:PORT". Returns "" or an error.
  std::string open();
  int port() const { return listener_.port(); }

  // A run starts on `ctx`'s machine: a server for it, in scenario mode (`monitor step-scenario`,
  // the engine's own halts stay invisible to GDB). `idle` is called while the server waits
  // (return false to make it give up at once: the panel is closing or restarting).
  void attach(scen::RunContext& ctx, std::function<bool()> idle);
  // The run ends: an attached debugger sees the program exit with `code`, the server goes.
  void detach(int code);
  emu::GdbServer* server() { return server_.get(); }

  // The debugger holds the target: attached and halted for it, or awaited by a waiting target.
  bool holds() const { return server_ && (server_->holds_target() || server_->waiting_for_client()); }
  bool attached() const { return server_ && server_->attached(); }
  void describe(DebuggerView& v) const;

 private:
  void log(const std::string& line);

  GdbLinkOptions o_;
  emu::GdbListener listener_;
  std::unique_ptr<emu::GdbServer> server_;
  scen::RunContext* ctx_ = nullptr;
};

}  // namespace hilsim::gui
