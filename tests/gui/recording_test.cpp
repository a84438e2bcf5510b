// Recording from the panel (docs/recording-format.md): what the user clicks and types reaches
// the machine as recorded inputs, so a panel session replays identical with nobody at the panel;
// the Record button restarts the session from power-on and Stop ends the file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <set>
#include <string>

#include "gui/emulation.h"
#include "gui/gui_fixture.h"
#include "scenarios/recording/format.h"
#include "scenarios/recording/replayer.h"

using namespace hilsim;
using test::until;

namespace {

std::string tmp(const std::string& name) { return "/tmp/hilsim-gui-rec-" + std::to_string(::getpid()) + "-" + name; }

constexpr emu::Ticks kSecond = 64'000'000;

// Lets the machine run to `t` (pacing) and waits until it is there.
void run_to(gui::Emulation& e, emu::Ticks t) {
  e.allow_until(t);
  REQUIRE(until(e, [t](const gui::DeviceView& v) { return v.now >= t; }));
}

scen::rec::ReplayResult replay(const std::string& path) {
  scen::rec::ReplayOptions o;
  o.recording = path;
  o.source_root = HILSIM_SOURCE_DIR;
  o.build_dir = HILSIM_BUILD_DIR;
  o.snapshot_out = path + ".snapshot";
  return scen::rec::replay(o, nullptr);
}

std::set<std::string> input_kinds(const std::string& path) {
  auto rec = scen::rec::read_recording(path);
  REQUIRE_MESSAGE(rec, rec.error());
  std::set<std::string> kinds;
  for (const auto& item : rec->timeline)
    if (item.index() == 0) kinds.insert(scen::to_string(std::get<scen::Input>(item).kind));
  return kinds;
}

}  // namespace

TEST_CASE("panel recording: clicks, typed UART input and a network fault replay identical") {
  const std::string path = tmp("panel.hrec");
  {
    gui::EmulationOptions o;
    o.scenario = test::demo_scenario();
    o.record = path;
    o.build_dir = HILSIM_BUILD_DIR;
    gui::Emulation e(o);
    e.allow_until(0);
    REQUIRE(e.start().empty());
    run_to(e, 2 * kSecond);
    REQUIRE(e.view().recording.rfind("recording to " + path, 0) == 0);
    e.post({gui::Command::Kind::SetPin, "BUTTON", "", 0});  // pressed
    run_to(e, 2 * kSecond + kSecond / 10);
    e.post({gui::Command::Kind::SetPin, "BUTTON", "", 1});  // released
    e.post({gui::Command::Kind::UartInput, "uart0", "status\n"});
    e.post({gui::Command::Kind::NetFault, "drop"});
    run_to(e, 3 * kSecond);
    e.post({gui::Command::Kind::Reset});
    run_to(e, 4 * kSecond);
    // Power-off time is not paced by the panel (the scenario's wait jumps it): cut, then power
    // on as soon as the view shows the cut.
    e.post({gui::Command::Kind::PowerCut});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return !v.powered; }));
    e.post({gui::Command::Kind::PowerOn});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.powered; }));
    const emu::Ticks on = e.view().now;
    run_to(e, on + kSecond);
    e.post({gui::Command::Kind::StopRecording});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.recording.rfind("recorded ", 0) == 0; }));
    CHECK(e.view().recording.find(" inputs, ") != std::string::npos);
  }
  std::set<std::string> kinds = input_kinds(path);
  for (const char* k : {"power-on", "power-off", "pin", "uart", "net-fault", "reset", "publish"}) CHECK_MESSAGE(kinds.count(k), k);

  scen::rec::ReplayResult r = replay(path);
  CHECK_MESSAGE(r.status == scen::rec::ReplayResult::Status::Identical, scen::rec::format_replay(r, path));
  CHECK(r.checkpoints >= 50);
  CHECK(r.checkpoints_matched == r.checkpoints);
  auto rec = scen::rec::read_recording(path);
  REQUIRE(rec);
  CHECK(r.end == rec->end.at);
  CHECK(r.timeline.find("button: LED1=on") != std::string::npos);
  CHECK(r.timeline.find("status: uptime_ms=") != std::string::npos);
}

TEST_CASE("panel recording: the Record button restarts the session from power-on, Stop ends the file") {
  const std::string path = tmp("button.hrec");
  {
    gui::EmulationOptions o;
    o.scenario = test::demo_scenario();
    o.build_dir = HILSIM_BUILD_DIR;
    gui::Emulation e(o);
    e.allow_until(0);
    REQUIRE(e.start().empty());
    run_to(e, kSecond);
    CHECK(e.view().recording.empty());
    e.post({gui::Command::Kind::Record, path});
    e.allow_until(kSecond / 2);  // the restarted session begins at 0 again
    REQUIRE(until(e, [&](const gui::DeviceView& v) {
      return v.recording.rfind("recording to " + path, 0) == 0 && v.now >= kSecond / 2 && v.now < kSecond;
    }));
    e.post({gui::Command::Kind::UartInput, "uart0", "help\n"});
    run_to(e, 2 * kSecond);
    e.post({gui::Command::Kind::StopRecording});
    REQUIRE(until(e, [](const gui::DeviceView& v) { return v.recording.rfind("recorded ", 0) == 0; }));
  }
  scen::rec::ReplayResult r = replay(path);
  CHECK_MESSAGE(r.status == scen::rec::ReplayResult::Status::Identical, scen::rec::format_replay(r, path));
  CHECK(r.end == 2 * kSecond);
  CHECK(r.timeline.find("commands: help status") != std::string::npos);
}
