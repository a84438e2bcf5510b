// Shared helpers for the VM tests: run a script in a fresh host VM and capture output.
#pragma once
#include <string>

#include "vm/host/host.h"
#include "vm/vm.h"

namespace vmtest {

struct Run {
  hilsim::vm::Status status;
  std::string out;    // printed output
  std::string error;  // "Type: message" when status != Ok
  int line = 0;
  int col = 0;
};

inline Run run(const std::string& src, size_t arena = 8u << 20) {
  hilsim::vm::host::HostVM h(arena, true);
  Run r;
  r.status = hilsim::vm::exec_source(h.vm, src.data(), src.size(), "<test>");
  r.out = h.out;
  if (r.status != hilsim::vm::Status::Ok) {
    r.error = std::string(hilsim::vm::error_type(h.vm));
    if (hilsim::vm::error_message(h.vm)[0]) r.error += std::string(": ") + hilsim::vm::error_message(h.vm);
    r.line = hilsim::vm::error_line(h.vm);
    r.col = hilsim::vm::error_col(h.vm);
  }
  return r;
}

}  // namespace vmtest
