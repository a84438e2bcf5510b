// The panel and GDB on the same run (`hilsim gui --gdb`, docs/debugging.md "The panel and GDB
// side by side"): real gdb-multiarch in batch mode against the panel's emulation thread (in
// this process, no window) and against `hilsim gui --headless --gdb 0` (a child process, under
// Xvfb as ctest runs this binary). The breakpoint is in the reference firmware's update agent.
// Every wait is bounded; gdb and hilsim children are killed when a test ends, pass or fail.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "emulator/gdb_client.h"
#include "gui/emulation.h"
#include "gui/gui_fixture.h"
#include "gui/panel_controls.h"
#include "scenarios/runner.h"
#include "tools/hilsim_command.h"

using namespace hilsim;
using test::Child;
using test::until;

namespace {

using Clock = std::chrono::steady_clock;

// Where the reference firmware's update agent receives bundle bytes (called while downloading).
const std::string kAgentFunction = "agent::(anonymous namespace)::download_sink";

std::string scratch(const std::string& name) {
  return "/tmp/hilsim-gui-gdb-" + std::to_string(getpid()) + "-" + name;
}

// gdb-multiarch -batch against `port`, started now; it runs while the test watches the panel.
std::unique_ptr<Child> start_gdb(int port, const std::vector<std::string>& commands) {
  std::vector<std::string> argv = {"/usr/bin/gdb-multiarch", "-nx", "-batch", "-ex", "set pagination off",
                                   "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:" + std::to_string(port)};
  for (const std::string& c : commands) {
    argv.push_back("-ex");
    argv.push_back(c);
  }
  argv.push_back(test::kDemoElf);
  return std::make_unique<Child>(argv);
}

// A gdb command that waits (bounded) until `file` exists and contains `text`.
std::string shell_wait_for(const std::string& file, const std::string& text = "") {
  return "shell timeout 60 sh -c 'until grep -q \"" + text + "\" " + file + " 2>/dev/null; do sleep 0.05; done'";
}

// The value gdb printed for the first `p/x $pc` ("$1 = 0x12444"), or 0.
std::uint32_t printed_pc(const std::string& out) {
  std::size_t at = out.find("$1 = 0x");
  return at == std::string::npos ? 0 : static_cast<std::uint32_t>(std::stoul(out.substr(at + 7), nullptr, 16));
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  REQUIRE_MESSAGE(f.good(), path);
  return nlohmann::json::parse(f);
}

// Quiet server log lines, kept for the test to look at.
struct Log {
  std::mutex lock;
  std::string text;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> g(lock);
      text += line + "\n";
    };
  }
  std::string get() {
    std::lock_guard<std::mutex> g(lock);
    return text;
  }
};

}  // namespace

TEST_CASE("panel and gdb: a breakpoint in the update agent halts the panel at gdb's pc, then the run finishes") {
  if (!test::have_gdb()) return;
  Log log;
  gui::EmulationOptions o;
  o.scenario = test::demo_scenario();
  o.gdb.port = 0;
  o.gdb.log = log.sink();
  const std::string go = scratch("go");
  std::remove(go.c_str());
  std::unique_ptr<Child> gdb;
  std::uint32_t halted_pc = 0;
  {
    gui::Emulation e(o);
    REQUIRE(e.start() == "");
    REQUIRE(e.gdb_port() > 0);
    // Before a debugger comes, the target waits at the reset vector and the panel says so.
    REQUIRE(until(e, [](const gui::DeviceView& v) {
      return v.state == gui::RunState::Halted && contains(v.debugger.status, "waiting for a debugger");
    }));
    const gui::Ticks at_start = e.view().now;
    gdb = start_gdb(e.gdb_port(), {"break '" + kAgentFunction + "'", "continue", "p/x $pc", "monitor halt",
                                   shell_wait_for(go), "delete", "continue"});

    // gdb's breakpoint: the panel shows the halt, the agent's function, and the download.
    REQUIRE_MESSAGE(until(e, [](const gui::DeviceView& v) {
      return v.state == gui::RunState::Halted && v.debugger.attached && contains(v.debugger.halt_reason, "breakpoint");
    }), log.get());
    const gui::DeviceView halted = e.view();
    halted_pc = halted.cpu.pc;
    INFO("function: " << halted.cpu.function << "; halt: " << halted.debugger.halt_reason);
    CHECK(halted.now > at_start);
    CHECK(contains(halted.cpu.function, kAgentFunction));
    CHECK(contains(halted.debugger.halt_reason, kAgentFunction));
    CHECK(contains(halted.pause_reason, "halted by the debugger: breakpoint at"));
    CHECK(halted.debugger.halts == 2);  // attaching, then the breakpoint
    CHECK(halted.update.target_version == "1.0.0");  // the factory script is installing v1
    const nlohmann::json facts = e.machine_facts();
    CHECK(facts["pc"] == halted_pc);
    CHECK(facts["now"] == halted.now);

    // Virtual time stands still while gdb holds the target, and views keep coming.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(until(e, [&](const gui::DeviceView& v) { return v.generation > halted.generation; }));
    CHECK(e.view().now == halted.now);
    CHECK(e.view().state == gui::RunState::Halted);

    // The panel does not fight the debugger: Run and Step are refused, with the reason shown.
    e.post({gui::Command::Kind::Run});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return contains(v.debugger.notice, "continue from the debugger"); }));
    e.post({gui::Command::Kind::StepInstruction});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return contains(v.debugger.notice, "'stepi'"); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    e.take_view();
    CHECK(e.view().now == halted.now);
    CHECK(e.view().cpu.pc == halted_pc);
    CHECK(e.view().state == gui::RunState::Halted);

    // gdb goes on (delete, continue): the notice goes, and the scenario runs to its end.
    std::ofstream(go) << "go\n";
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Running; }));
    CHECK(e.view().debugger.notice.empty());
    REQUIRE_MESSAGE(until(e, [](const gui::DeviceView& v) { return !v.scenario.result.empty(); }, 120), log.get());
    CHECK(e.view().scenario.result == "passed");
    CHECK(e.view().debugger.attached);
  }  // the panel closes: gdb sees the program exit with the scenario's result
  REQUIRE(gdb->wait(20) == 0);
  INFO(gdb->text);
  CHECK(contains(gdb->text, "Breakpoint 1, " + kAgentFunction));
  CHECK(printed_pc(gdb->text) == halted_pc);
  char where[48];
  std::snprintf(where, sizeof where, "the target is halted at 0x%08x", halted_pc);
  CHECK(contains(gdb->text, where));  // 'monitor halt', as IDE attach scripts send it
  CHECK(contains(gdb->text, "exited normally"));
  CHECK(contains(log.get(), "debugger attached"));
  std::remove(go.c_str());
}

TEST_CASE("panel and gdb: a run gdb only continues has the trace hash of the run without them") {
  if (!test::have_gdb()) return;
  auto sc = test::demo_scenario();
  const scen::ScenarioResult plain = scen::run_scenario(*sc, {}, nullptr);
  REQUIRE(plain.status == scen::ScenarioResult::Status::Passed);
  Log log;
  gui::EmulationOptions o;
  o.scenario = sc;
  o.gdb.port = 0;
  o.gdb.log = log.sink();
  std::unique_ptr<Child> gdb;
  {
    gui::Emulation e(o);
    REQUIRE(e.start() == "");
    gdb = start_gdb(e.gdb_port(), {"continue"});
    REQUIRE_MESSAGE(until(e, [](const gui::DeviceView& v) { return !v.scenario.result.empty(); }, 120), log.get());
    CHECK(e.view().scenario.result == "passed");
    CHECK(e.view().scenario.trace_hash == plain.trace_hash);
  }
  REQUIRE(gdb->wait(20) == 0);
  CHECK(contains(gdb->text, "exited normally"));
}

TEST_CASE("panel and gdb: junk, a disconnect and a silent client never hang the panel") {
  Log log;
  gui::EmulationOptions o;
  o.scenario = test::demo_board_only();
  o.gdb.port = 0;
  o.gdb.nowait = true;
  o.gdb.log = log.sink();
  auto e = std::make_unique<gui::Emulation>(o);
  REQUIRE(e->start() == "");
  const int port = e->gdb_port();
  REQUIRE(until(*e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Running && v.now > 1000; }));
  CHECK(contains(e->view().debugger.status, "no debugger attached"));

  // A client that connects halts the target; junk does not move it, and views keep coming.
  auto junk = std::make_unique<test::Raw>(port);
  REQUIRE(until(*e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Halted && v.debugger.attached; }));
  const gui::DeviceView attached = e->view();
  junk->send("garbage +++--- $qSupported#00 $m0,4#zz");
  junk->send("$" + std::string(100000, 'A'));  // oversized, no end
  junk->send("#00" + test::Raw::packet("mzz,4") + test::Raw::packet("vUnknown"));
  CHECK(contains(junk->until("#"), "$"));  // still answering
  REQUIRE(until(*e, [&](const gui::DeviceView& v) { return v.generation > attached.generation + 5; }));
  CHECK(e->view().now == attached.now);
  CHECK(e->view().state == gui::RunState::Halted);

  // Continue and Ctrl-C from the raw client: the panel follows both.
  junk->send(test::Raw::packet("c"));
  REQUIRE(until(*e, [&](const gui::DeviceView& v) { return v.state == gui::RunState::Running && v.now > attached.now; }));
  junk->send("\x03");
  CHECK(contains(junk->until("T02"), "T02"));
  REQUIRE(until(*e, [](const gui::DeviceView& v) {
    return v.state == gui::RunState::Halted && contains(v.debugger.halt_reason, "Ctrl-C");
  }));

  // Gone mid-packet: the target waits for the next debugger; the panel's Run lets it go on.
  junk->send("$g#6");
  junk->close();
  REQUIRE(until(*e, [](const gui::DeviceView& v) { return contains(v.debugger.status, "waiting for a debugger"); }));
  const gui::Ticks before_run = e->view().now;
  e->post({gui::Command::Kind::Run});
  REQUIRE(until(*e, [&](const gui::DeviceView& v) { return v.state == gui::RunState::Running && v.now > before_run; }));

  // A client that connects and says half a packet, then nothing: the panel still closes at once.
  test::Raw silent(port);
  silent.send("$qSupp");
  REQUIRE(until(*e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Halted && v.debugger.attached; }));
  const auto t0 = Clock::now();
  e.reset();
  const double closing = std::chrono::duration<double>(Clock::now() - t0).count();
  CHECK(closing < 1.0);
  MESSAGE("the panel closed in " << closing * 1000 << " ms with a silent debugger attached");
}

TEST_CASE("pacing: a halt for the debugger is not caught up afterwards") {
  // Real time on a 64 MHz board: 20 ms of wall time ahead is 1,280,000 ticks.
  gui::ControlsPanel c;
  c.set_speed(0);
  gui::DeviceView v;
  v.clock_hz = 64'000'000;
  v.state = gui::RunState::Running;
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  const gui::Ticks ahead = 64'000'000 / 50;
  auto near = [](gui::Ticks a, gui::Ticks b) { return a + 1 >= b && b + 1 >= a; };  // double rounding
  CHECK(near(c.allowance(v, t0), ahead));
  v.now = 64'000'000 / 10;  // ran 100 ms in 100 ms
  CHECK(near(c.allowance(v, t0 + std::chrono::milliseconds(100)), 64'000'000 / 10 + ahead));
  // Halted at a breakpoint for 5 s of wall time: the allowance stays at the halt.
  v.state = gui::RunState::Halted;
  CHECK(near(c.allowance(v, t0 + std::chrono::milliseconds(5100)), v.now + ahead));
  // Resumed: 16 ms later the machine may be 36 ms ahead of the halt, not 5 s.
  v.state = gui::RunState::Running;
  const gui::Ticks after = c.allowance(v, t0 + std::chrono::milliseconds(5116));
  CHECK(after > v.now + ahead);
  CHECK(after <= v.now + 64'000'000 / 1000 * 36 + 1);
}

TEST_CASE("hilsim gui --headless --gdb: gdb-multiarch breaks in the update agent, the halt JSON has its pc, the run finishes") {
  if (!test::have_gdb()) return;
  const std::string halt_json = scratch("halt.json"), halt_png = scratch("halt.png"), end_json = scratch("end.json");
  for (const std::string& f : {halt_json, halt_png, end_json}) std::remove(f.c_str());
  Child gui({std::string(HILSIM_BUILD_DIR) + "/hilsim", "gui", std::string(HILSIM_SOURCE_DIR) + "/scenarios/demo.yaml",
             "--headless", "--gdb", "0", "--until-end", "--halt-json", halt_json, "--halt-screenshot", halt_png,
             "--state-json", end_json, "--wall-limit", "120"});
  REQUIRE_MESSAGE(gui.read_until("gdb: waiting for a debugger", 20), gui.text);
  const std::size_t at = gui.text.find("listening on 127.0.0.1:");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(gui.text.substr(at + 23));
  std::string out = test::run_gdb(port, {"break '" + kAgentFunction + "'", "continue", "p/x $pc",
                                         shell_wait_for(halt_json, "breakpoint at"), "delete", "continue"},
                                  120);
  CHECK(contains(out, "Breakpoint 1, " + kAgentFunction));
  CHECK(contains(out, "exited normally"));  // --until-end: the steps passed, the panel closed
  REQUIRE(gui.wait(30) == 0);
  CHECK(contains(gui.text, "debugger halts written: "));  // the breakpoint (and the attach, if drawn in time)

  // What the panel showed at the breakpoint.
  const nlohmann::json halt = read_json(halt_json);
  CHECK(halt["view"]["state"] == "halted");
  CHECK(halt["view"]["cpu"]["pc"] == printed_pc(out));
  CHECK(halt["machine"]["pc"] == printed_pc(out));
  CHECK(halt["view"]["now"] == halt["machine"]["now"]);
  CHECK(contains(halt["view"]["debugger"]["halt_reason"].get<std::string>(), "breakpoint at"));
  CHECK(contains(halt["view"]["cpu"]["function"].get<std::string>(), kAgentFunction));
  // The picture has the "HALTED BY DEBUGGER" colour (ProggyClean is a bitmap font: exact pixels).
  std::ifstream png(halt_png, std::ios::binary);
  std::stringstream bytes;
  bytes << png.rdbuf();
  const std::string p = bytes.str();
  REQUIRE(p.size() > 1600 * 1000 * 3);
  bool magenta = false;
  for (std::size_t i = 0; i + 2 < p.size() && !magenta; ++i)
    magenta = std::uint8_t(p[i]) == 0xF2 && std::uint8_t(p[i + 1]) == 0x80 && std::uint8_t(p[i + 2]) == 0xFF;
  CHECK(magenta);

  // At the end: the steps passed and the debugger was still attached, the target running.
  const nlohmann::json end = read_json(end_json);
  CHECK(end["view"]["scenario"]["result"] == "passed");
  CHECK(end["view"]["debugger"]["attached"] == true);
  CHECK(end["view"]["debugger"]["halts"] == 2);
  for (const std::string& f : {halt_json, halt_png, end_json}) std::remove(f.c_str());
}

TEST_CASE("hilsim gui --board --firmware --gdb: a pause point is a stop gdb sees, at the same virtual time") {
  {  // A port that is taken is a usage error, said before any window opens.
    int busy = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    REQUIRE(bind(busy, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(busy, 1) == 0);
    socklen_t len = sizeof a;
    getsockname(busy, reinterpret_cast<sockaddr*>(&a), &len);
    auto r = test::run_hilsim("gui --board demo-m4 --firmware " + test::kDemoElf + " --headless --gdb " +
                              std::to_string(ntohs(a.sin_port)));
    close(busy);
    CHECK(r.code == 2);
    CHECK(contains(r.out, "Address already in use"));
    CHECK(!contains(r.out, "frames"));
  }
  if (!test::have_gdb()) return;
  const std::string state = scratch("board.json");
  std::remove(state.c_str());
  Child gui({std::string(HILSIM_BUILD_DIR) + "/hilsim", "gui", "--board", "demo-m4", "--firmware", test::kDemoElf,
             "--headless", "--gdb", "0", "--pause-at", "0.2", "--state-json", state, "--wall-limit", "60"});
  REQUIRE_MESSAGE(gui.read_until("gdb: waiting for a debugger", 20), gui.text);
  const std::size_t at = gui.text.find("listening on 127.0.0.1:");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(gui.text.substr(at + 23));
  std::string out = test::run_gdb(port, {"continue", "monitor time", shell_wait_for(state, "halted")}, 60);
  CHECK(contains(out, "hilsim: reached the requested time"));
  CHECK(contains(out, "received signal SIGINT"));
  CHECK(contains(out, "virtual time 0.200000000 s"));
  REQUIRE(gui.wait(30) == 0);
  const nlohmann::json j = read_json(state);
  CHECK(j["view"]["state"] == "halted");
  CHECK(j["view"]["now"] == 64'000'000 / 5);
  CHECK(j["machine"]["now"] == 64'000'000 / 5);
  CHECK(j["view"]["debugger"]["halt_reason"] == "reached the requested time");
  std::remove(state.c_str());
}

TEST_CASE("panel and gdb: kill from the debugger fails the scenario and a restart serves the same port again") {
  Log log;
  gui::EmulationOptions o;
  o.scenario = test::demo_board_only();
  o.gdb.port = 0;
  o.gdb.log = log.sink();
  gui::Emulation e(o);
  REQUIRE(e.start() == "");
  const int port = e.gdb_port();
  {
    test::Raw client(port);
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Halted && v.debugger.attached; }));
    client.send(test::Raw::packet("c"));
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Running && v.now > 64'000; }));
    client.send("\x03");
    CHECK(contains(client.until("T02"), "T02"));
    client.send(test::Raw::packet("k"));
    REQUIRE_MESSAGE(until(e, [](const gui::DeviceView& v) { return v.scenario.result == "failed"; }), log.get());
  }
  const gui::DeviceView killed = e.view();
  CHECK(contains(killed.pause_reason, "killed by the debugger"));
  CHECK(contains(killed.scenario.failure, "the debugger killed the target"));
  CHECK(killed.state != gui::RunState::Halted);  // nobody holds a dead target

  // Restart: a new machine, the same port, waiting for a debugger at the reset vector again.
  e.post({gui::Command::Kind::Restart});
  REQUIRE(until(e, [&](const gui::DeviceView& v) {
    return v.state == gui::RunState::Halted && contains(v.debugger.status, "waiting for a debugger") && v.now < killed.now;
  }));
  CHECK(e.gdb_port() == port);
  CHECK(e.view().debugger.address == "127.0.0.1:" + std::to_string(port));
  test::Raw again(port);
  REQUIRE(until(e, [](const gui::DeviceView& v) { return v.debugger.attached && v.state == gui::RunState::Halted; }));
  again.send(test::Raw::packet("?"));
  CHECK(contains(again.until("#"), "T02"));  // attaching halted it
}
