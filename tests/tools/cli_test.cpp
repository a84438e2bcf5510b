// The hilsim command line as a user runs it: exit codes, messages for bad input, the summary.
#include <doctest/doctest.h>

#include "tools/hilsim_command.h"

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace {
using Result = hilsim::test::CommandResult;

const std::string demo = std::string(HILSIM_BUILD_DIR) + "/firmware/demo-m4/demo-m4.elf";
const std::string programs = std::string(HILSIM_BUILD_DIR) + "/firmware/test-programs/";
}  // namespace

TEST_CASE("cli: boot runs the demo and ends with a summary") {
  Result r = hilsim::test::run_hilsim("boot --board demo-m4 --firmware " + demo + " --for 1s");
  CHECK(r.code == 0);
  CHECK(r.out.find("hilsim demo-m4 firmware") != std::string::npos);
  CHECK(r.out.find("trace hash") != std::string::npos);
  CHECK(r.out.find("MIPS") != std::string::npos);
  CHECK(r.out.find("virtual time  1.000000 s") != std::string::npos);
}

TEST_CASE("cli: the same run twice prints the same trace hash") {
  auto hash = [](const std::string& out) { return out.substr(out.find("trace hash"), 40); };
  std::string args = "boot -f " + demo + " --for 2s --uart-at 500ms:status\\\\n --pin-at 1s:BUTTON=0";
  CHECK(hash(hilsim::test::run_hilsim(args).out) == hash(hilsim::test::run_hilsim(args + " --max-chunk 777").out));
}

TEST_CASE("cli: bad input gives exit code 2 and a message naming the problem") {
  Result r = hilsim::test::run_hilsim("boot --board /nonexistent.yaml -f " + demo);
  CHECK(r.code == 2);
  CHECK(r.out.find("/nonexistent.yaml") != std::string::npos);
  r = hilsim::test::run_hilsim("boot -f /etc/hostname --for 1s");
  CHECK(r.code == 2);
  CHECK(r.out.find("/etc/hostname") != std::string::npos);
  r = hilsim::test::run_hilsim("boot -f " + demo + " --for soon");
  CHECK(r.code == 2);
  CHECK(r.out.find("--for") != std::string::npos);
  r = hilsim::test::run_hilsim("boot -f " + demo + " --pin-at 1s:NOPIN=1");
  CHECK(r.code == 2);
  CHECK(r.out.find("NOPIN") != std::string::npos);
  r = hilsim::test::run_hilsim("boot");  // --firmware is required
  CHECK(r.code != 0);
  CHECK(r.out.find("--firmware") != std::string::npos);
}

TEST_CASE("cli: a firmware fault or a runaway gives exit code 1 with a report") {
  Result r = hilsim::test::run_hilsim("boot -f " + programs + "runaway.elf --semihosting --budget 2000000 --for 10s");
  CHECK(r.code == 1);
  CHECK(r.out.find("instruction budget exhausted") != std::string::npos);
  CHECK(r.out.find("<spin") != std::string::npos);
  r = hilsim::test::run_hilsim("boot -f " + programs + "fault_lockup.elf --semihosting --for 1s");
  CHECK(r.code == 1);
  CHECK(r.out.find("lockup") != std::string::npos);
}

TEST_CASE("cli: semihosting exit codes become hilsim's exit code; --help works") {
  CHECK(hilsim::test::run_hilsim("boot -f " + programs + "sw_reset.elf --semihosting --for 1s").code == 0);
  CHECK(hilsim::test::run_hilsim("boot -f " + programs + "fault_read.elf --semihosting --for 1s").code == 3);
  Result help = hilsim::test::run_hilsim("boot --help");
  CHECK(help.code == 0);
  CHECK(help.out.find("--firmware") != std::string::npos);
}
