// Streams what a running machine says (UART lines, pin changes, resets, faults, guest
// errors) to the terminal, each line stamped with its virtual time.
#pragma once

#include <map>
#include <string>

#include "emulator/machine.h"

namespace hilsim::cli {

class Console {
 public:
  Console(emu::Machine& machine, bool quiet) : m_(machine), quiet_(quiet) {}
  void attach();
  void note(const std::string& text);  // a host-side action, stamped with the current time
  void flush();                        // prints partial UART lines

 private:
  void line(emu::Ticks when, const std::string& who, const std::string& text);
  emu::Machine& m_;
  bool quiet_;
  std::map<std::string, std::string> partial_;  // per UART
};

}  // namespace hilsim::cli
