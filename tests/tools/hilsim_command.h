// Test helper: runs the built `hilsim` binary with arguments, as a user's shell would, and
// returns its exit code and its stdout+stderr.
#pragma once

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace hilsim::test {

struct CommandResult {
  int code;
  std::string out;
};

inline CommandResult run_hilsim(const std::string& args) {
  std::string cmd = std::string(HILSIM_BUILD_DIR) + "/hilsim " + args + " 2>&1";
  CommandResult r{-1, {}};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace hilsim::test
