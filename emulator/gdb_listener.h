// The TCP socket a GDB server accepts debuggers on (emulator/gdb_server.h). On its own so that a
// front end which builds one machine after another — the panel's "Restart" makes a new machine
// and so a new GdbServer — keeps one address and port for all of them: the debugger reconnects
// to the same place, and a port chosen by the system (port 0) stays the one that was printed.
#pragma once

#include <string>

namespace hilsim::emu {

class GdbListener {
 public:
  GdbListener() = default;
  ~GdbListener();
  GdbListener(const GdbListener&) = delete;
  GdbListener& operator=(const GdbListener&) = delete;

  // Binds and listens on an IPv4 address (0 = any free port). Returns "" or an error.
  std::string open(const std::string& address, int port);
  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  int port() const { return port_; }  // the bound port (the real one when 0 was asked for)
  const std::string& address() const { return address_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::string address_;
};

}  // namespace hilsim::emu
