// Record and replay as QA uses them (docs/recording-format.md): a scenario with every kind of
// input is recorded and replays identical; replayed against a changed script or a changed
// firmware it diverges at the right time and stream, with a snapshot that opens; a session
// bridged to a real HTTP server on 127.0.0.1 replays with the server stopped; a boot session
// with UART and button input replays; truncated, corrupted, future and foreign files are
// refused with a message; a firmware that changed since the recording is named.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tools/hilsim_command.h"

namespace {
using hilsim::test::run_hilsim;
const std::string kSource = HILSIM_SOURCE_DIR;
const std::string kEveryInput = kSource + "/tests/data/recording/every_input.yaml";
const std::string kFirmware = std::string(HILSIM_BUILD_DIR) + "/firmware/demo-m4/demo-m4.elf";
const std::string kBrokenFirmware = std::string(HILSIM_BUILD_DIR) + "/firmware/demo-m4/demo-m4-early-commit.elf";

std::string tmp(const std::string& name) { return "/tmp/hilsim-replay-" + std::to_string(::getpid()) + "-" + name; }

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// The number after `prefix` in `text` (a time in seconds, a hash), or -1.
double number_after(const std::string& text, const std::string& prefix) {
  std::size_t at = text.find(prefix);
  return at == std::string::npos ? -1 : std::atof(text.c_str() + at + prefix.size());
}

std::string word_after(const std::string& text, const std::string& prefix) {
  std::size_t at = text.find(prefix);
  if (at == std::string::npos) return {};
  at += prefix.size();
  return text.substr(at, text.find_first_of(" \n)", at) - at);
}

// Records every_input.yaml once for the test cases of this file.
const std::string& every_input_recording(std::string* run_output = nullptr) {
  static const std::string path = tmp("every.hrec");
  static std::string output;
  if (output.empty()) {
    hilsim::test::CommandResult r = run_hilsim("run " + kEveryInput + " --record " + path);
    REQUIRE_MESSAGE(r.code == 0, r.out);
    output = r.out;
  }
  if (run_output) *run_output = output;
  return path;
}

// A real HTTP server (tools/scripts/update_server.py) on 127.0.0.1, any free port.
struct RealServer {
  pid_t pid = -1;
  int port = 0;
  explicit RealServer(const std::string& root) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      const std::string script = kSource + "/tools/scripts/update_server.py";
      ::execlp("python3", "python3", script.c_str(), root.c_str(), "--port", "0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    REQUIRE_MESSAGE(line.rfind("listening on 127.0.0.1:", 0) == 0, line);
    port = std::atoi(line.c_str() + line.rfind(':') + 1);
  }
  void stop() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  ~RealServer() { stop(); }
};

}  // namespace

TEST_CASE("replay: a scenario with every kind of input replays identical, checkpoint by checkpoint") {
  std::string run;
  const std::string& rec = every_input_recording(&run);
  CHECK(run.find("recorded " + rec + ": 21 inputs") != std::string::npos);

  // The recording holds every kind of input the scenario gave.
  hilsim::test::CommandResult info = run_hilsim("replay --info " + rec);
  REQUIRE_MESSAGE(info.code == 0, info.out);
  for (const char* kind : {"power-on", "power-off", "reset", "pin", "uart", "poke", "net-fault", "net-clear-faults",
                           "publish", "unpublish", "snapshot-save", "snapshot-restore"})
    CHECK_MESSAGE(info.out.find("] " + std::string(kind) + " ") != std::string::npos, kind);
  CHECK(info.out.find("power off (policy torn)") != std::string::npos);
  CHECK(info.out.find("release     2.0.0: 5244 bytes") != std::string::npos);

  // Replay: every checkpoint matches and the trace hash is the recorded run's.
  hilsim::test::CommandResult r = run_hilsim("replay " + rec);
  REQUIRE_MESSAGE(r.code == 0, r.out);
  const std::string recorded_hash = word_after(run, "virtual, trace hash ");
  REQUIRE(recorded_hash.size() == 16);
  CHECK(r.out.find("IDENTICAL  " + rec + ": 21 inputs replayed, 199/199 checkpoints match") != std::string::npos);
  CHECK(word_after(r.out, "virtual, trace hash ") == recorded_hash);
  // The replayed timeline tells the same story: the cut, the restore, the confirm.
  CHECK(r.out.find("power-loss") == std::string::npos);  // no steps ran: only the recorded inputs
  CHECK(r.out.find("power  off (replay)") != std::string::npos);
  CHECK(r.out.find("snapshot 'v1-running' restored") != std::string::npos);
  CHECK(r.out.find("update: rolled back to 2.0.0 (slot-b)") != std::string::npos);

  // A replay of the replay's inputs is the same again (nothing in it depends on the wall clock).
  hilsim::test::CommandResult again = run_hilsim("replay -q " + rec);
  CHECK(again.code == 0);
  CHECK(word_after(again.out, "virtual, trace hash ") == recorded_hash);
}

TEST_CASE("replay: a changed script diverges where the device first reads it, on the mmio stream") {
  std::string run;
  const std::string& rec = every_input_recording(&run);
  const std::string script = tmp("app_v2_changed.py");
  std::string v2 = read(kSource + "/boards/demo-m4/scripts/app_v2.py");
  REQUIRE(v2.find("app v2: hello") != std::string::npos);
  v2.replace(v2.find("app v2: hello"), 13, "app v2: howdy");
  write(script, v2);
  const std::string snap = tmp("script.snapshot");

  hilsim::test::CommandResult r = run_hilsim("replay -q " + rec + " --release 2.0.0=" + script + " --snapshot-out " + snap);
  CHECK_MESSAGE(r.code == 1, r.out);
  CHECK(r.out.find("release 2.0.0 from " + script + " replaces the recorded one") != std::string::npos);
  CHECK(r.out.find("stream mmio") != std::string::npos);
  // The device first sees the change in the manifest that names 2.0.0: after the publish
  // (recorded input) and before the download starts (a line of the recorded run).
  const double at = number_after(r.out, rec + " at ");
  const std::size_t pub = run.find("pass   11 publish");
  REQUIRE(pub != std::string::npos);
  const double publish_time = std::atof(run.c_str() + run.rfind('[', pub) + 1);
  const double download_time = number_after(run, "matched \"update: downloading 2.0.0\" at ");
  CHECK(at >= publish_time);
  CHECK(at < download_time);
  // ...in the net-link's receive register (0x40007000 block), from the firmware's net::recv.
  CHECK(r.out.find("expected: read 0x400070") != std::string::npos);
  CHECK(r.out.find("seen:     read 0x400070") != std::string::npos);
  CHECK(r.out.find("recv") != std::string::npos);
  CHECK(number_after(r.out, "; ") >= 60);  // the checkpoints before it match
  CHECK(read(snap).size() > 100'000);
}

TEST_CASE("replay: a firmware that journals too early diverges at its first different flash operation") {
  std::string run;
  const std::string& rec = every_input_recording(&run);
  const std::string snap = tmp("fw.snapshot");
  hilsim::test::CommandResult r = run_hilsim("replay -q " + rec + " --firmware " + kBrokenFirmware + " --snapshot-out " + snap);
  CHECK_MESSAGE(r.code == 1, r.out);
  CHECK(r.out.find("replaces the recorded build") != std::string::npos);
  // Same behaviour until the first update: the broken build erases the journal sector before it
  // connects to the server, the reference connects first.
  const double at = number_after(r.out, rec + " at ");
  const double confirmed = number_after(run, "matched \"update: 1.0.0 confirmed\" at ");
  CHECK(at > 1.0);
  CHECK(at < confirmed);
  CHECK(r.out.find("also:     flash: expected erase at 0x00050000 (4096 bytes) started") != std::string::npos);
  CHECK(r.out.find("seen erase at 0x00040000 (4096 bytes) started") != std::string::npos);
  CHECK(r.out.find("pc:       0x") != std::string::npos);
  CHECK(r.out.find("last UART lines, recorded:\n    [   0.005179 s] uart0  hilsim demo-m4 firmware") != std::string::npos);
  // The snapshot at the divergence opens with the new build.
  hilsim::test::CommandResult open = run_hilsim("boot --snapshot " + snap + " -f " + kBrokenFirmware + " --for 10ms");
  CHECK_MESSAGE(open.code == 0, open.out);
  CHECK(open.out.find("started from snapshot") != std::string::npos);
}

TEST_CASE("replay: a session against a real HTTP server on 127.0.0.1 replays with the server stopped") {
  const std::string root = tmp("srv");
  REQUIRE(std::system(("mkdir -p " + root + "/bundles").c_str()) == 0);
  hilsim::test::CommandResult pack =
      run_hilsim("pack " + kSource + "/boards/demo-m4/scripts/app_v1.py --key " + kSource +
                 "/boards/demo-m4/keys/dev.key --version 1.0.0 -o " + root + "/bundles/app-1.0.0.bundle --manifest " + root + "/manifest");
  REQUIRE_MESSAGE(pack.code == 0, pack.out);
  const std::string rec = tmp("real.hrec");
  std::string live_hash;
  {
    RealServer server(root);
    hilsim::test::CommandResult r = run_hilsim("boot -f " + kFirmware + " --for 7s --net-bridge 10.0.0.1:80=127.0.0.1:" +
                                               std::to_string(server.port) + " --record " + rec);
    REQUIRE_MESSAGE(r.code == 0, r.out);
    CHECK(r.out.find("the device's connections go to the real server") != std::string::npos);
    CHECK(r.out.find("update: 1.0.0 confirmed") != std::string::npos);
    live_hash = word_after(r.out, "trace hash    ");
    server.stop();
  }
  hilsim::test::CommandResult info = run_hilsim("replay --info " + rec);
  CHECK(number_after(info.out, "checkpoints (every 100.000 ms), ") >= 4);  // connect, bytes, close of two requests

  hilsim::test::CommandResult r = run_hilsim("replay " + rec);
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(r.out.find("answered from the recording (the real server is not used)") != std::string::npos);
  CHECK(r.out.find("update: 1.0.0 confirmed") != std::string::npos);
  CHECK(word_after(r.out, "virtual, trace hash ") == live_hash);
}

TEST_CASE("replay: a boot session with UART and button input replays identical") {
  const std::string rec = tmp("boot.hrec");
  hilsim::test::CommandResult r = run_hilsim("boot -q -f " + kFirmware +
                                             " --for 2s --uart-at '0.5s:status\\n' --pin-at 1s:BUTTON=0 --pin-at 1.1s:BUTTON=1 --record " + rec);
  REQUIRE_MESSAGE(r.code == 0, r.out);
  CHECK(r.out.find("recorded " + rec + ": 4 inputs, 21 checkpoints") != std::string::npos);
  hilsim::test::CommandResult p = run_hilsim("replay " + rec);
  CHECK_MESSAGE(p.code == 0, p.out);
  CHECK(p.out.find("button: LED1=on") != std::string::npos);
  CHECK(p.out.find("status: uptime_ms=") != std::string::npos);
  CHECK(word_after(p.out, "virtual, trace hash ") == word_after(r.out, "trace hash    "));
}

TEST_CASE("replay: truncated, corrupted, future-version and foreign recordings are refused with a message") {
  const std::string& rec = every_input_recording();
  const std::string bytes = read(rec);
  REQUIRE(bytes.size() > 10'000);
  struct Case {
    const char* name;
    std::string content, message;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);
  std::string future = bytes;
  future[4] = 2;
  std::string no_end = bytes.substr(0, bytes.size() - 40);
  const Case cases[] = {
      {"half", bytes.substr(0, bytes.size() / 2), "truncated: the file ends inside record"},
      {"no-end", no_end, "truncated"},
      {"flipped", flipped, "fails its CRC-32 check"},
      {"future", future, "recording format version 2 is newer than this hilsim reads (1)"},
      {"text", "name: not a recording\n", "not a hilsim recording"},
      {"empty", "", "not a hilsim recording"},
      {"header-only", bytes.substr(0, 8), "truncated: no records after the header"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string path = tmp(std::string(c.name) + ".hrec");
    write(path, c.content);
    hilsim::test::CommandResult r = run_hilsim("replay -q " + path);
    CHECK_MESSAGE(r.code == 2, r.out);
    CHECK_MESSAGE(r.out.find(path + ": ") != std::string::npos, r.out);
    CHECK_MESSAGE(r.out.find(c.message) != std::string::npos, r.out);
    CHECK(r.out.find("IDENTICAL") == std::string::npos);
  }
  hilsim::test::CommandResult missing = run_hilsim("replay " + tmp("does-not-exist.hrec"));
  CHECK(missing.code == 2);
  CHECK(missing.out.find("cannot read the file") != std::string::npos);
}

TEST_CASE("replay: a firmware that changed since the recording is named, and --firmware replays against it") {
  const std::string fw = tmp("fw.elf");
  write(fw, read(kFirmware));
  const std::string rec = tmp("changed-fw.hrec");
  // A session that installs 1.0.0: the broken build differs from the first update on (it
  // journals before it connects), so the replay against it must diverge.
  const std::string yaml = tmp("changed-fw.yaml");
  write(yaml, "name: changed_fw\nboard: demo-m4\nfirmware: " + fw +
                  "\nreleases:\n  - {version: 1.0.0, file: \"${source}/boards/demo-m4/scripts/app_v1.py\", "
                  "published: true}\nsteps:\n  - wait-serial: \"update: verified 1.0.0\"\n");
  hilsim::test::CommandResult r = run_hilsim("run -q " + yaml + " --record " + rec);
  REQUIRE_MESSAGE(r.code == 0, r.out);
  write(fw, read(kBrokenFirmware));  // rebuilt in place
  hilsim::test::CommandResult p = run_hilsim("replay -q " + rec);
  CHECK(p.code == 2);
  CHECK(p.out.find("firmware " + fw + " has changed since the recording") != std::string::npos);
  CHECK(p.out.find("pass --firmware " + fw) != std::string::npos);
  hilsim::test::CommandResult q = run_hilsim("replay -q " + rec + " --firmware " + fw + " --snapshot-out " + tmp("c.snap"));
  CHECK_MESSAGE(q.code == 1, q.out);
  CHECK(q.out.find("DIVERGED") != std::string::npos);
  std::remove(yaml.c_str());
}
