// CMSDK/MPS2 models through MMIO and virtual time: cmsdk-timer, cmsdk-dualtimer,
// cmsdk-watchdog, cmsdk-uart, mps2-fpgaio.
#include <doctest/doctest.h>

#include "peripherals/cmsdk_dualtimer.h"
#include "peripherals/cmsdk_timer.h"
#include "peripherals/cmsdk_uart.h"
#include "peripherals/cmsdk_watchdog.h"
#include "peripherals/fake_host.h"
#include "peripherals/mps2_fpgaio.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

TEST_CASE("cmsdk-timer: counts down at the core clock, IRQ at zero, period RELOAD+1") {
  FakeHost host;
  CmsdkTimer t(make_config("timer0", "cmsdk-timer", 8), host);
  CHECK(t.read(0xFE0, 4) == 0x22);  // PID0
  t.write(0x08, 4, 99);             // RELOAD (also loads VALUE)
  t.write(0x00, 4, CmsdkTimer::kEnable | CmsdkTimer::kIrqEnable);
  host.step(10);
  CHECK(t.read(0x04, 4) == 89);
  host.step(89);
  CHECK(host.irq(8));
  CHECK(t.read(0x0C, 4) == 1);
  t.write(0x0C, 4, 1);  // INTCLEAR
  CHECK_FALSE(host.irq(8));
  host.step(1);
  CHECK(t.read(0x04, 4) == 99);  // reloaded
  host.step(99);
  CHECK(host.irq(8));
}

TEST_CASE("cmsdk-dualtimer: periodic with prescale 16, combined IRQ, one-shot stops at 0") {
  FakeHost host;
  CmsdkDualTimer d(make_config("dual", "cmsdk-dualtimer", 10), host);
  CHECK(d.read(0x08, 4) == CmsdkDualTimer::kIntEnable);
  CHECK(d.read(0x04, 4) == 0xFFFFFFFFu);
  d.write(0x00, 4, 9);  // Timer1Load
  d.write(0x08, 4, CmsdkDualTimer::kEnable | CmsdkDualTimer::kPeriodic | CmsdkDualTimer::kIntEnable |
                       CmsdkDualTimer::kSize32 | (1u << 2));  // prescale /16
  host.step(16 * 9);
  CHECK(host.irq(10));
  CHECK(d.read(0x14, 4) == 1);
  d.write(0x0C, 4, 1);
  CHECK_FALSE(host.irq(10));
  d.write(0x20, 4, 5);  // Timer2Load
  d.write(0x28, 4, CmsdkDualTimer::kEnable | CmsdkDualTimer::kOneShot | CmsdkDualTimer::kSize32);
  host.step(100);
  CHECK(d.read(0x24, 4) == 0);
  CHECK(d.read(0x30, 4) == 1);  // RIS even with IE clear
  CHECK(d.read(0x34, 4) == 0);  // MIS
}

TEST_CASE("cmsdk-watchdog: interrupt (NMI) at zero, reset at the second zero, lock") {
  FakeHost host;
  CmsdkWatchdog w(make_config("wdog", "cmsdk-watchdog", -1, {{"nmi", "true"}}), host);
  w.write(0x000, 4, 1000);
  w.write(0x008, 4, CmsdkWatchdog::kIntEn | CmsdkWatchdog::kResEn);
  host.step(1000);
  CHECK(host.irq(kIrqNmi));
  CHECK(host.resets.empty());
  host.step(1000);
  REQUIRE(host.resets.size() == 1);
  CHECK(host.resets[0].reason == ResetReason::Watchdog);
  w.reset(ResetReason::Watchdog);
  w.write(0xC00, 4, 0);  // lock
  CHECK(w.read(0xC00, 4) == 1);
  w.write(0x000, 4, 5);
  CHECK(w.read(0x000, 4) == 0xFFFFFFFFu);  // ignored while locked
  w.write(0xC00, 4, CmsdkWatchdog::kUnlockKey);
  CHECK(w.read(0xC00, 4) == 0);
}

TEST_CASE("cmsdk-uart: TX timing, TXFULL, TX/RX interrupts, RX waits while the buffer is full") {
  FakeHost host;
  CmsdkUart u(make_config("uart0", "cmsdk-uart", 0, {{"tx-irq", "1"}}), host);
  std::string sent;
  u.set_tx_sink([&](Ticks, std::uint8_t b) { sent.push_back(static_cast<char>(b)); });
  u.write(0x10, 4, 16);  // BAUDDIV
  u.write(0x08, 4, CmsdkUart::kTxEn | CmsdkUart::kRxEn | CmsdkUart::kTxIntEn | CmsdkUart::kRxIntEn);
  u.write(0x00, 4, 'a');
  CHECK((u.read(0x04, 4) & CmsdkUart::kTxFull) != 0);
  u.write(0x00, 4, 'b');  // overrun: dropped
  CHECK((u.read(0x04, 4) & CmsdkUart::kTxOverrun) != 0);
  host.step(160);
  CHECK(sent == "a");
  CHECK(host.irq(1));
  u.write(0x0C, 4, CmsdkUart::kTxInt);
  CHECK_FALSE(host.irq(1));
  const std::uint8_t in[] = {'x', 'y'};
  u.inject_rx(in);
  host.step(160);
  CHECK(host.irq(0));
  host.step(1000);  // 'y' waits on the line while 'x' is unread
  CHECK(u.rx_line_pending() == 1);
  CHECK(u.read(0x00, 4) == 'x');
  u.write(0x0C, 4, CmsdkUart::kRxInt);
  host.step(160);
  CHECK(u.read(0x00, 4) == 'y');
  CHECK(u.read(0xFE0, 4) == 0x21);
}

TEST_CASE("cmsdk-uart: byte-cycles 0 transmits at once (as QEMU)") {
  FakeHost host;
  CmsdkUart u(make_config("uart0", "cmsdk-uart", 0, {{"byte-cycles", "0"}}), host);
  std::string sent;
  u.set_tx_sink([&](Ticks, std::uint8_t b) { sent.push_back(static_cast<char>(b)); });
  u.write(0x08, 4, CmsdkUart::kTxEn);
  u.write(0x00, 4, 'a');
  u.write(0x00, 4, 'b');
  CHECK(sent == "ab");
  CHECK((u.read(0x04, 4) & (CmsdkUart::kTxFull | CmsdkUart::kTxOverrun)) == 0);
}

TEST_CASE("mps2-fpgaio: LEDs and buttons are pins; counters from virtual time") {
  FakeHost host(25'000'000);
  Mps2FpgaIo f(make_config("fpgaio", "mps2-fpgaio"), host);
  std::vector<std::pair<unsigned, bool>> changes;
  f.set_output_sink([&](Ticks, unsigned pin, bool level) { changes.emplace_back(pin, level); });
  f.write(0x00, 4, 2);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0] == std::pair<unsigned, bool>{1, true});
  CHECK(f.level(1));
  f.set_input(3, true);  // BUTTON1
  CHECK(f.read(0x08, 4) == 2);
  host.step(25'000'000 + 250'000);
  CHECK(f.read(0x10, 4) == 1);    // CLK1HZ
  CHECK(f.read(0x14, 4) == 101);  // CLK100HZ
}
