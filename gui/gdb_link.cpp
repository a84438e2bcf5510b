// The panel's GDB server (gdb_link.h).
#include "gui/gdb_link.h"

#include <cstdio>

#include "gui/symbol_text.h"

namespace hilsim::gui {

void GdbLink::log(const std::string& line) {
  if (o_.log) o_.log(line);
  else std::fprintf(stderr, "gdb: %s\n", line.c_str());
  if (ctx_) ctx_->note("gdb", line);  // the scenario panel's log and the timeline show it too
}

std::string GdbLink::open() {
  if (!enabled() || listener_.is_open()) return {};
  if (std::string err = listener_.open(o_.listen, o_.port); !err.empty()) return "--gdb: " + err;
  log("listening on " + listener_.address() + ":" + std::to_string(listener_.port()) +
      (o_.nowait ? "" : " (the machine waits for the debugger)"));
  return {};
}

void GdbLink::attach(scen::RunContext& ctx, std::function<bool()> idle) {
  if (!enabled()) return;
  ctx_ = &ctx;
  emu::GdbServerOptions go;
  go.listener = &listener_;
  go.wait_for_client = !o_.nowait;
  go.idle = std::move(idle);
  go.log = [this](const std::string& line) { log(line); };
  server_ = std::make_unique<emu::GdbServer>(ctx.machine(), go);
  if (std::string err = server_->start(); !err.empty()) log("cannot serve: " + err);
  server_->attach_scenario();
}

void GdbLink::detach(int code) {
  if (server_) server_->finish(code);
  server_.reset();
  ctx_ = nullptr;
}

void GdbLink::describe(DebuggerView& v) const {
  v.enabled = enabled();
  if (!v.enabled) return;
  v.address = listener_.address() + ":" + std::to_string(listener_.port());
  v.attached = attached();
  v.holds = holds();
  if (!server_) {
    v.status = "between runs";
    return;
  }
  v.halts = server_->halts();
  v.halt_reason = v.holds ? readable_symbols_in(server_->halt_reason()) : std::string();
  if (server_->killed()) v.status = "the debugger killed the target";
  else if (server_->waiting_for_client()) v.status = "waiting for a debugger on " + v.address;
  else if (server_->holds_target()) v.status = "halted by the debugger: " + v.halt_reason;
  else if (v.attached) v.status = "debugger attached, target running";
  else v.status = "no debugger attached (listening on " + v.address + ")";
}

}  // namespace hilsim::gui
