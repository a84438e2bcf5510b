// The demo firmware on the emulated board: banner, SysTick blink, button IRQ, UART commands,
// software reset, watchdog reset, fault reports, determinism across run-chunk sizes.
#include <doctest/doctest.h>

#include "tests/emulator/machine_fixture.h"

using hilsim::test::MachineFixture;
using namespace hilsim;

TEST_CASE("demo firmware: boots, prints its banner with the reset cause, runs the factory script") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  auto r = f.m().run_for(f.ms(2100));
  CHECK(r.reason == emu::StopReason::TimeLimit);
  REQUIRE_FALSE(f.lines.empty());
  CHECK(f.lines[0].text.find("reset: power-on") != std::string::npos);
  CHECK(f.printed("factory script: no valid application yet"));
  // The factory script blinks LED0 from its tick(now_ms) (every 10 ms of SysTick time) with a
  // 100 ms half period: toggles land on 100 ms boundaries of the millisecond tick, a few
  // microseconds after the SysTick interrupt that starts the tick.
  std::vector<emu::Ticks> led0;
  for (const auto& p : f.pins)
    if (p.pin == "LED0") led0.push_back(p.at);
  REQUIRE(led0.size() >= 19);
  for (std::size_t i = 2; i < led0.size(); ++i) {
    const emu::Ticks gap = led0[i] - led0[i - 1];
    CHECK(gap > f.ms(99.5));
    CHECK(gap < f.ms(100.5));
  }
  CHECK(f.m().faults().empty());
  // Idle in WFI between ticks: the CPU executed only a small fraction of the cycles.
  CHECK(f.m().instructions() * 10 < f.m().now());
}

TEST_CASE("demo firmware: BUTTON press toggles LED1 through the GPIO edge interrupt") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_for(f.ms(100));
  f.m().set_pin("BUTTON", false);  // pressed (pull-up, active low)
  f.m().run_for(f.ms(50));
  CHECK(f.m().pin("LED1") == true);
  f.m().set_pin("BUTTON", true);  // released: no toggle
  f.m().run_for(f.ms(50));
  CHECK(f.m().pin("LED1") == true);
  f.m().set_pin("BUTTON", false);
  f.m().run_for(f.ms(50));
  CHECK(f.m().pin("LED1") == false);
  CHECK(f.printed("button: LED1=on"));
  CHECK(f.printed("button: LED1=off"));
}

TEST_CASE("demo firmware: 'reset' command resets through AIRCR.SYSRESETREQ with reason software") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_for(f.ms(20));
  f.send("reset\n");
  f.m().run_for(f.ms(50));
  REQUIRE(f.m().resets().size() == 2);
  CHECK(f.m().resets()[1].second == periph::ResetReason::Software);
  CHECK(f.printed("reset: software"));
  CHECK(f.m().faults().empty());
}

TEST_CASE("demo firmware: 'hang' stops feeding the watchdog, which resets the device") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_for(f.ms(20));
  f.send("hang\n");
  f.m().run_for(f.ms(3000));
  REQUIRE(f.m().resets().size() >= 2);
  CHECK(f.m().resets()[1].second == periph::ResetReason::Watchdog);
  CHECK(f.printed("reset: watchdog"));
  // The watchdog was set to about 1 s: the reset comes between 0.9 s and 1.2 s after 'hang'.
  emu::Ticks at = f.m().resets()[1].first;
  CHECK(at > f.ms(20 + 900));
  CHECK(at < f.ms(20 + 1200));
}

TEST_CASE("demo firmware: 'fault' reads unmapped memory: fault report, HardFault handler, stop") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_for(f.ms(20));
  f.send("fault\n");
  auto r = f.m().run_for(f.ms(100));
  REQUIRE_FALSE(f.m().faults().empty());
  const emu::FaultReport& fault = f.m().faults()[0];
  CHECK(fault.kind == "bad read");
  CHECK(fault.detail.find("0x30000000") != std::string::npos);
  std::string text = emu::format_fault(fault, &f.m().symbols());
  CHECK(text.find("pc 0x") != std::string::npos);
  CHECK(text.find("<") != std::string::npos);  // a symbol name
  CHECK(text.find("backtrace") != std::string::npos);
  // The CFSR/BFAR the firmware's handler can read describe the fault.
  CHECK(f.m().scs().scb().bfar == 0x30000000u);
  // The firmware's HardFault handler prints and stops at a BKPT.
  CHECK(r.reason == emu::StopReason::Breakpoint);
  CHECK(f.printed("FAULT"));
}

namespace {
std::uint64_t hash_with_chunk(emu::Ticks chunk) {
  emu::MachineOptions o;
  o.max_chunk = chunk;
  MachineFixture f("demo-m4", o);
  f.m().power_on();
  f.m().run_until(f.ms(300));
  f.send("status\n");
  f.m().run_until(f.ms(400));
  f.m().set_pin("BUTTON", false);
  f.m().run_until(f.ms(650));
  f.m().set_pin("BUTTON", true);
  f.m().run_until(f.ms(1200));
  return f.m().trace_hash();
}
}  // namespace

TEST_CASE("determinism: same trace hash twice and with different run-chunk sizes") {
  std::uint64_t a = hash_with_chunk(4'000'000);
  CHECK(a == hash_with_chunk(4'000'000));
  CHECK(a == hash_with_chunk(1000));
  CHECK(a == hash_with_chunk(37));
  CHECK(a == hash_with_chunk(1));
}

TEST_CASE("snapshot: restore and re-run gives the same outputs and trace hash as the first run") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_until(f.ms(700));
  std::vector<std::uint8_t> snap = f.m().save_snapshot();
  std::size_t lines_at_snapshot = f.lines.size(), pins_at_snapshot = f.pins.size();
  auto script = [&] {
    f.send("status\n");
    f.m().run_until(f.ms(800));
    f.m().set_pin("BUTTON", false);
    f.m().run_until(f.ms(1600));
  };
  script();
  std::uint64_t hash = f.m().trace_hash();
  std::vector<std::string> first;
  for (std::size_t i = lines_at_snapshot; i < f.lines.size(); ++i) first.push_back(f.lines[i].text);
  std::size_t first_pins = f.pins.size() - pins_at_snapshot;

  f.m().set_pin("BUTTON", true);  // undo the input; the snapshot restores the GPIO state anyway
  REQUIRE(f.m().restore_snapshot(snap).empty());
  CHECK(f.m().now() == f.ms(700));
  std::size_t lines_before = f.lines.size(), pins_before = f.pins.size();
  script();
  CHECK(f.m().trace_hash() == hash);
  std::vector<std::string> second;
  for (std::size_t i = lines_before; i < f.lines.size(); ++i) second.push_back(f.lines[i].text);
  CHECK(second == first);
  CHECK(f.pins.size() - pins_before == first_pins);
}

TEST_CASE("snapshot: corrupted or truncated snapshots are refused and leave the machine as it was") {
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_until(f.ms(100));
  std::vector<std::uint8_t> snap = f.m().save_snapshot();
  f.m().run_until(f.ms(200));
  std::uint64_t hash = f.m().trace_hash();
  emu::Ticks now = f.m().now();
  CHECK(f.m().restore_snapshot(std::span<const std::uint8_t>(snap.data(), 10)) != "");
  CHECK(f.m().restore_snapshot(std::span<const std::uint8_t>(snap.data(), snap.size() / 2)) != "");
  std::vector<std::uint8_t> bad = snap;
  bad[0] ^= 0xff;
  CHECK(f.m().restore_snapshot(bad) == "not a hilsim snapshot");
  CHECK(f.m().now() == now);
  CHECK(f.m().trace_hash() == hash);
  f.m().run_until(f.ms(400));  // still runs normally
  CHECK(f.m().faults().empty());
}
