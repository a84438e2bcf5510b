// The emulation thread without a window: commands change the machine, views are consistent
// copies, and the UI side never waits on a running machine.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "gui/emulation.h"
#include "gui/gui_fixture.h"
#include "gui/png_writer.h"

using namespace hilsim;

using test::until;

namespace {
std::shared_ptr<const scen::Scenario> demo() { return test::demo_scenario(); }
}  // namespace

TEST_CASE("pause, single instruction step, power cut and power on through commands") {
  gui::EmulationOptions o;
  o.scenario = demo();
  o.pause_at = 64'000'000 / 10;  // 0.1 s
  gui::Emulation e(o);
  e.start();
  REQUIRE(until(e, [](const gui::DeviceView& v) { return v.state == gui::RunState::Paused; }));
  CHECK(e.reached_pause_point());
  const gui::DeviceView first = e.view();
  CHECK(first.now == 64'000'000 / 10);
  CHECK(first.powered);
  CHECK(!first.uart.empty());

  // One instruction: exactly one tick (unless it sleeps), and the PC moves.
  e.post({gui::Command::Kind::StepInstruction});
  REQUIRE(until(e, [&](const gui::DeviceView& v) { return v.generation > first.generation && v.now != first.now; }));
  CHECK(e.view().now - first.now <= 64'000);  // one instruction, or a WFI's jump to the next event
  CHECK(e.view().state == gui::RunState::Paused);

  e.post({gui::Command::Kind::PowerCut});
  REQUIRE(until(e, [](const gui::DeviceView& v) { return !v.powered; }));
  e.post({gui::Command::Kind::PowerOn});
  e.post({gui::Command::Kind::Run});
  REQUIRE(until(e, [](const gui::DeviceView& v) { return v.powered && v.state == gui::RunState::Running; }));
  bool power_marker = false;
  REQUIRE(until(e, [&](const gui::DeviceView& v) {
    for (const gui::Marker& m : v.markers) power_marker |= m.kind == gui::MarkerKind::Power && m.text.find("panel") != std::string::npos;
    return power_marker;
  }));
  // The scenario's own story goes on: after the panel's power cycle the device boots again.
  REQUIRE(until(e, [](const gui::DeviceView& v) {
    int boots = 0;
    for (const gui::UartLineView& l : v.uart) boots += l.text.find("(reset: power-on)") != std::string::npos;
    return boots >= 2;
  }));
}

TEST_CASE("pacing: with an allowance the machine stops there and waits; views keep coming") {
  gui::EmulationOptions o;
  o.scenario = demo();
  gui::Emulation e(o);
  e.allow_until(64'000'000 / 20);  // 50 ms
  e.start();
  REQUIRE(until(e, [](const gui::DeviceView& v) { return v.now >= 64'000'000 / 20 - 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  e.take_view();
  CHECK(e.view().now <= 64'000'000 / 20 + 64'000'000 / 500);  // at most one slice past
  CHECK(e.view().state == gui::RunState::Running);
  e.allow_until(~0ull);
  REQUIRE(until(e, [](const gui::DeviceView& v) { return v.now > 64'000'000; }));
}

TEST_CASE("PNG encoder: signature, chunks, stored blocks") {
  std::vector<std::uint8_t> px(70'000 * 3, 0x80);  // more than one stored block
  std::vector<std::uint8_t> png = gui::encode_png(700, 100, 3, px);
  REQUIRE(png.size() > 70'000 * 3);
  CHECK(png[0] == 0x89);
  CHECK(png[1] == 'P');
  CHECK(std::string(png.end() - 8, png.end() - 4) == "IEND");
}
