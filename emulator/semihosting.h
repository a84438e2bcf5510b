// ARM semihosting on `BKPT 0xAB` (ARM "Semihosting for AArch32 and AArch64", v2.0):
// r0 = operation, r1 = parameter block. Enabled by MachineOptions::semihosting.
// Implemented: SYS_OPEN (":tt" and files under a user-named root), SYS_CLOSE, SYS_WRITEC,
// SYS_WRITE0, SYS_WRITE, SYS_READ, SYS_READC, SYS_ISTTY, SYS_SEEK, SYS_FLEN, SYS_CLOCK and
// SYS_TIME (virtual time), SYS_ERRNO, SYS_EXIT, SYS_EXIT_EXTENDED. Anything else returns -1.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hilsim::emu {

class Cpu;

class Semihosting {
 public:
  struct Env {
    std::function<double()> seconds;             // virtual time
    std::function<void(std::string_view)> out;   // console output (":tt" writes)
    std::function<int()> read_char;              // console input, -1 at end
    std::string root;                            // "" = no file access
  };
  explicit Semihosting(Env env) : env_(std::move(env)) {}
  ~Semihosting();

  // Handles one call. Returns the exit code if the call was SYS_EXIT*, else nullopt
  // (r0 has then been set to the result).
  std::optional<int> call(Cpu& cpu);

 private:
  std::string read_string(Cpu& cpu, std::uint32_t addr, std::uint32_t len);
  Env env_;
  std::map<int, std::FILE*> files_;
  int next_handle_ = 3;
  int errno_ = 0;
};

}  // namespace hilsim::emu
