// Host-side helpers around the freestanding VM (not for firmware): an arena-owning
// wrapper, file loading, and stdout/string output sinks. Used by the CLI, tests, bench.
#pragma once
#include <memory>
#include <string>

#include "vm/vm.h"

namespace hilsim::vm::host {

struct HostVM {
  std::unique_ptr<unsigned char[]> arena;
  VM* vm = nullptr;
  std::string out;         // captured output (when capture is on)
  bool capture = false;
  std::string module_dir;  // stored script modules: module_dir/NAME.py, then ./NAME.py
  std::string module_buf;
  explicit HostVM(size_t arena_bytes = 8u << 20, bool capture_output = false, uint32_t stack_slots = 16384,
                  uint16_t max_frames = 1000);
};

bool read_file(const std::string& path, std::string* out);
// "Traceback ...\nType: message" for the last error
std::string error_text(VM* vm);
// Compiles `src` and lists its bytecode (one line per instruction, nested functions
// indented). Returns false and sets *err on a syntax error.
bool disassemble(VM* vm, const std::string& src, const std::string& name, std::string* out, std::string* err);

}  // namespace hilsim::vm::host
