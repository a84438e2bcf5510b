// The GDB server as a user meets it: real gdb-multiarch in batch mode against
// `build/hilsim boot --gdb 0` (a child process), plus raw-socket abuse of the protocol.
// Every wait is bounded; children are killed when a test ends, pass or fail (gdb_client.h).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "emulator/debugger.h"
#include "emulator/gdb_client.h"
#include "emulator/gdb_server.h"
#include "emulator/machine.h"
#include "emulator/machine_fixture.h"

using namespace hilsim;

namespace {

using test::Child;
using test::have_gdb;
using test::Raw;
const std::string kDemo = test::kDemoElf;

// `hilsim boot --gdb 0` on the demo firmware; the port is read from its stderr.
struct Target {
  std::unique_ptr<Child> child;
  int port = 0;
  explicit Target(const std::string& duration = "1000s", const std::string& firmware = kDemo) {
    child = std::make_unique<Child>(std::vector<std::string>{std::string(HILSIM_BUILD_DIR) + "/hilsim", "boot", "-q",
                                                             "-f", firmware, "--for", duration, "--gdb", "0"});
    REQUIRE_MESSAGE(child->read_until("gdb: waiting for a debugger", 10), child->text);
    auto at = child->text.find("listening on 127.0.0.1:");
    REQUIRE(at != std::string::npos);
    port = std::stoi(child->text.substr(at + 23));
  }
};

std::string gdb(int port, const std::vector<std::string>& commands, double timeout = 20,
                const std::string& elf = kDemo) {
  return test::run_gdb(port, commands, timeout, elf);
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

int count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (std::size_t at = 0; (at = s.find(needle, at)) != std::string::npos; at += needle.size()) ++n;
  return n;
}

}  // namespace

TEST_CASE("gdb: break at a function, continue, read registers and locals, step") {
  if (!have_gdb()) return;
  Target t;
  std::string out = gdb(t.port, {"break systick::isr", "continue", "info registers pc sp xpsr primask",
                                 "bt", "monitor time", "stepi", "monitor time", "next", "info locals",
                                 "p/x $pc", "kill"});
  CHECK(out.find("Breakpoint 1, systick::isr") != std::string::npos);
  CHECK(out.find("pc             0x") != std::string::npos);
  CHECK(out.find("primask") != std::string::npos);
  CHECK(out.find("SysTick_Handler") != std::string::npos);  // the caller, in the backtrace
  // stepi is exactly one instruction of virtual time.
  std::vector<unsigned long long> insns;
  for (std::size_t at = 0; (at = out.find("cycles at 64000000 Hz), ", at)) != std::string::npos; ++at)
    insns.push_back(std::stoull(out.substr(at + 24)));
  REQUIRE(insns.size() == 2);
  CHECK(insns[1] == insns[0] + 1);
  CHECK(t.child->wait(10) == 0);  // kill ends the simulator
}

TEST_CASE("gdb: a watchpoint on RAM stops after the write") {
  if (!have_gdb()) return;
  Target t;
  std::string out = gdb(t.port, {"watch 'systick::(anonymous namespace)::g_ticks'", "continue", "continue",
                                 "p 'systick::(anonymous namespace)::g_ticks'", "kill"});
  CHECK(count(out, "Hardware watchpoint 1") >= 2);
  CHECK(out.find("Old value = 0") != std::string::npos);
  CHECK(out.find("New value = 1") != std::string::npos);
  CHECK(out.find("New value = 2") != std::string::npos);
  // The server stops right after the writing instruction; GDB (ARM: "non-steppable"
  // watchpoints) then steps one more instruction, here the return to the caller.
  CHECK(out.find("SysTick_Handler") != std::string::npos);
}

TEST_CASE("gdb: monitor power-cut, power-on reboots; snapshot restore goes back") {
  if (!have_gdb()) return;
  Target t;
  std::string out =
      gdb(t.port, {"break main", "continue", "monitor snapshot save at-main", "monitor time", "break systick::isr",
                   "continue", "monitor power-cut", "monitor power-on", "maint flush register-cache",
                   "p/x $pc", "delete 2", "continue", "monitor snapshot restore at-main",
                   "maint flush register-cache", "p $pc", "monitor time", "monitor break-flash",
                   "monitor step-scenario", "monitor bogus", "kill"});
  CHECK(count(out, "Breakpoint 1, main") == 2);  // once at boot, once after power-on
  CHECK(out.find("Breakpoint 2, systick::isr") != std::string::npos);
  CHECK(out.find("power cut at") != std::string::npos);
  CHECK(out.find("powered on: booting from the reset vector") != std::string::npos);
  CHECK(out.find("Reset_Handler") != std::string::npos);
  CHECK(out.find("snapshot 'at-main' restored") != std::string::npos);
  CHECK(out.find("<main") != std::string::npos);
  CHECK(out.find("break-flash: the target halts when the next flash program/erase starts") != std::string::npos);
  CHECK(out.find("No flash operation was in flight") != std::string::npos);
  CHECK(out.find("no scenario is running") != std::string::npos);
  CHECK(out.find("unknown monitor command 'bogus'") != std::string::npos);
  // The time printed after the restore is the time of the save.
  auto first = out.find("virtual time "), second = out.find("virtual time ", first + 1);
  REQUIRE(second != std::string::npos);
  CHECK(out.substr(first, 40) == out.substr(second, 40));
}

TEST_CASE("gdb: a run under --gdb with only continue has the same trace hash") {
  if (!have_gdb()) return;
  auto hash = [](const std::string& out) {
    auto at = out.find("trace hash");
    return at == std::string::npos ? std::string("none") : out.substr(at, 40);
  };
  Child plain({std::string(HILSIM_BUILD_DIR) + "/hilsim", "boot", "-q", "-f", kDemo, "--for", "300ms"});
  REQUIRE(plain.wait(20) == 0);
  Target t("300ms");
  std::string out = gdb(t.port, {"continue"});
  CHECK(out.find("exited normally") != std::string::npos);
  REQUIRE(t.child->wait(20) == 0);
  CHECK(hash(t.child->text) == hash(plain.text));
  CHECK(hash(plain.text) != "none");
}

TEST_CASE("gdb: malformed traffic does not hurt the server") {
  if (!have_gdb()) return;
  Target t;
  {
    Raw r(t.port);
    r.send("garbage without a packet +++---");
    r.send("$qSupported#00");  // wrong checksum: NAK
    CHECK(r.until("-").find('-') != std::string::npos);
    r.send("$m0,4#zz");  // checksum that is not hex
    r.send("$" + std::string(100000, 'A'));  // oversized, no end
    r.send("#00");
    r.send("$m0,4");  // no end, then a new packet
    r.send(Raw::packet("m0,4"));
    std::string got = r.until("#");
    CHECK(got.find("$") != std::string::npos);  // the good packet was answered
    r.send(Raw::packet("mzz,4") + Raw::packet("Mffffffff,8:00") + Raw::packet("p99") +
           Raw::packet("Z9,0,2") + Raw::packet("qXfer:features:read:nothing:0,10") + Raw::packet("vUnknown"));
    r.send(Raw::packet("QStartNoAckMode"));
    CHECK(r.until("OK#").find("OK") != std::string::npos);
    r.send("$?#00");  // bad checksum in no-ack mode: ignored
    // Continue, then Ctrl-C: the target stops with SIGINT.
    r.send(Raw::packet("c"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r.send("\x03");
    CHECK(r.until("T02").find("T02") != std::string::npos);
    r.send("$g#6");  // disconnect mid-packet
  }
  {
    Raw r(t.port);
    r.send("$qSupp");  // and again, mid-packet
  }
  std::string out = gdb(t.port, {"info registers pc", "x/2xw 0x20000000", "monitor time", "kill"});
  CHECK(out.find("pc             0x") != std::string::npos);
  CHECK(out.find("virtual time") != std::string::npos);
  CHECK(t.child->wait(10) == 0);
}

TEST_CASE("gdb: debugger API steps one instruction and holds interrupts") {
  test::MachineFixture f("demo-m4");
  emu::Machine& m = f.m();
  m.power_on();
  emu::Debugger dbg(m);
  auto isr = m.symbols().find("SysTick_Handler");
  REQUIRE(isr);
  REQUIRE(dbg.add_breakpoint(*isr, false));
  emu::DebugStop s = dbg.resume(f.ms(50), true);
  REQUIRE(s.kind == emu::DebugStop::Kind::Breakpoint);
  CHECK(s.address == *isr);
  CHECK((m.pc() & ~1u) == *isr);
  REQUIRE(dbg.remove_breakpoint(*isr));
  // Steps: one tick each, and with interrupts held no exception is taken.
  std::uint64_t taken = m.exceptions_taken();
  for (int i = 0; i < 10; ++i) {
    emu::Ticks before = m.now();
    emu::DebugStop st = dbg.step(true);
    CHECK(st.kind == emu::DebugStop::Kind::Step);
    CHECK(m.now() == before + 1);
  }
  CHECK(m.exceptions_taken() == taken);
  // Memory through the models and the XML.
  std::uint8_t word[4] = {};
  CHECK(dbg.read_memory(0x20000000, word, 4) == 4);
  CHECK(dbg.read_memory(0x40001000, word, 4) == 4);
  CHECK(dbg.device_reads() == 1);
  CHECK(dbg.read_memory(0x30000000, word, 4) == 0);
  CHECK(dbg.target_xml().find("org.gnu.gdb.arm.m-profile") != std::string::npos);
  CHECK(dbg.memory_map_xml().find("type=\"flash\"") != std::string::npos);
}

TEST_CASE("gdb: break-flash halts as a flash write starts; power-cut tears it; power-on reboots") {
  if (!have_gdb()) return;
  const std::string fw = std::string(HILSIM_BUILD_DIR) + "/firmware/test-programs/flash_writer.elf";
  Target t("1000s", fw);
  std::string out = gdb(t.port,
                        {"break main", "continue", "monitor break-flash", "continue", "monitor break-flash",
                         "continue", "bt", "monitor power-cut torn", "monitor power-on",
                         "maint flush register-cache", "p/x $pc", "kill"},
                        20, fw);
  // The first stop is the erase (started by flash_erase), the second the first program.
  CHECK(count(out, "break-flash: the target halts") == 2);
  CHECK(out.find("flash_program") != std::string::npos);  // where the second halt happened
  CHECK(out.find("program #2 of 4 bytes at 0x00040000 interrupted (torn)") != std::string::npos);
  CHECK(out.find("powered on: booting from the reset vector") != std::string::npos);
}

TEST_CASE("gdb: hilsim run <scenario> --gdb: step-scenario stops before each step; the run is unchanged") {
  if (!have_gdb()) return;
  const std::string yaml = "/tmp/hilsim-gdb-scenario-" + std::to_string(getpid()) + ".yaml";
  {
    std::ofstream f(yaml);
    f << "board: demo-m4\n"
         "firmware: " << kDemo << "\n"
         "steps:\n"
         "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n"
         "  - write-serial: {line: status}\n"
         "  - wait-serial: {text: \"status: uptime_ms=\", timeout: 100ms}\n"
         "  - delay: 50ms\n";
  }
  const std::string hilsim = std::string(HILSIM_BUILD_DIR) + "/hilsim";
  Child plain({hilsim, "run", yaml});
  REQUIRE(plain.wait(20) == 0);

  Child run({hilsim, "run", yaml, "--gdb", "0"});
  REQUIRE_MESSAGE(run.read_until("gdb: waiting for a debugger", 10), run.text);
  auto at = run.text.find("listening on 127.0.0.1:");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(run.text.substr(at + 23));
  std::string out = gdb(port, {"monitor step-scenario", "continue", "monitor time", "monitor step-scenario", "continue",
                               "info registers pc", "continue"});
  CHECK(contains(out, "the target halts when the next scenario step starts"));
  CHECK(contains(out, "scenario: next step 2/4 write-serial"));
  CHECK(contains(out, "scenario: next step 3/4 wait-serial"));
  CHECK(count(out, "received signal SIGTRAP") == 2);
  CHECK(contains(out, "exited normally"));
  REQUIRE(run.wait(20) == 0);
  CHECK(contains(run.text, "PASS   "));
  // The debugger's stops changed nothing in the run.
  auto hash = [](const std::string& text) {
    auto h = text.find("trace hash");
    return h == std::string::npos ? std::string("none") : text.substr(h, 30);
  };
  CHECK(hash(run.text) == hash(plain.text));
  CHECK(hash(plain.text) != "none");
  std::remove(yaml.c_str());
}

TEST_CASE("gdb: step-scenario without a scenario says so; run --gdb takes one scenario") {
  if (!have_gdb()) return;
  Target t("200ms");
  std::string out = gdb(t.port, {"monitor step-scenario", "kill"});
  CHECK(contains(out, "step-scenario: no scenario is running"));
  Child many({std::string(HILSIM_BUILD_DIR) + "/hilsim", "run", "a.yaml", "b.yaml", "--gdb", "0"});
  CHECK(many.wait(10) == 2);
  CHECK(contains(many.text, "--gdb debugs one scenario"));
}
