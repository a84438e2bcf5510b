// Paths the subcommands share: where the build directory is.
#include <unistd.h>

#include <string>

#include "tools/cli.h"

namespace hilsim::cli {

// The build directory is where this binary lives (build/hilsim), unless --build-dir says.
std::string default_build_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    std::string exe(buf, static_cast<std::size_t>(n));
    std::size_t slash = exe.rfind('/');
    if (slash != std::string::npos) return exe.substr(0, slash);
  }
  return std::string(HILSIM_SOURCE_DIR) + "/build";
}

}  // namespace hilsim::cli
