// The hilsim command line as a user runs it: exit codes, messages for bad input, the summary.
#include <doctest/doctest.h>

#include "tools/hilsim_command.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

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

TEST_CASE("cli: a snapshot saved by one process continues in another exactly (boot --save-snapshot, --snapshot)") {
  auto hash = [](const std::string& out) { return out.substr(out.find("trace hash"), 40); };
  const std::string file = "/tmp/hilsim-cli-snapshot-" + std::to_string(::getpid()) + ".bin";
  // The whole run in one process, and the same run cut in two processes at 1.3 s.
  Result whole = hilsim::test::run_hilsim("boot -q -f " + demo + " --for 3s --uart-at 2s:status\\\\n --pin-at 2500ms:BUTTON=0");
  Result first = hilsim::test::run_hilsim("boot -q -f " + demo + " --for 1300ms --save-snapshot " + file);
  REQUIRE(first.code == 0);
  CHECK(first.out.find("snapshot      " + file) != std::string::npos);
  Result second = hilsim::test::run_hilsim("boot -f " + demo + " --snapshot " + file +
                                           " --for 1700ms --uart-at 700ms:status\\\\n --pin-at 1200ms:BUTTON=0");
  CHECK(second.code == 0);
  CHECK(second.out.find("started from snapshot") != std::string::npos);
  CHECK(second.out.find("virtual time  3.000000 s") != std::string::npos);
  CHECK(second.out.find("status: uptime_ms=") != std::string::npos);
  CHECK(hash(second.out) == hash(whole.out));
  // Bad snapshot files are refused with the file's name and the reason.
  Result bad = hilsim::test::run_hilsim("boot -f " + demo + " --snapshot " + demo);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("not a hilsim snapshot") != std::string::npos);
  bad = hilsim::test::run_hilsim("boot -b mps2-an385 -f " + demo + " --snapshot " + file);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("snapshot of board 'demo-m4'") != std::string::npos);
  std::remove(file.c_str());
}

TEST_CASE("cli: a failed scenario's --keep-failed snapshot opens in another process (boot --snapshot)") {
  const std::string dir = "/tmp/hilsim-cli-keep-" + std::to_string(::getpid());
  const std::string yaml = dir + ".yaml";
  {
    std::FILE* f = std::fopen(yaml.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fprintf(f, "name: kept\nboard: demo-m4\nfirmware: %s\nsteps:\n"
                    "  - wait-serial: {text: \"factory script\", timeout: 3s}\n"
                    "  - wait-serial: {text: never, timeout: 20ms}\n", demo.c_str());
    std::fclose(f);
  }
  Result run = hilsim::test::run_hilsim("run -q " + yaml + " --keep-failed " + dir);
  CHECK(run.code == 1);
  REQUIRE(run.out.find("kept " + dir + "/kept/snapshot.bin") != std::string::npos);
  Result opened = hilsim::test::run_hilsim("boot -f " + demo + " --snapshot " + dir + "/kept/snapshot.bin --for 100ms --uart-at 1ms:status\\\\n");
  CHECK(opened.code == 0);
  CHECK(opened.out.find("started from snapshot") != std::string::npos);
  CHECK(opened.out.find("script: version=factory") != std::string::npos);  // the device answers where it failed
  CHECK(opened.out.find("faults        0") != std::string::npos);
  std::remove(yaml.c_str());
  CHECK(std::system(("rm -rf " + dir).c_str()) == 0);
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
