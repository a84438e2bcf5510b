// uart: byte timing, FIFOs, overruns and the IRQ level, through MMIO and virtual time.
#include "peripherals/uart.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t DATA = 0x00, STATUS = 0x04, CTRL = 0x08, BAUDDIV = 0x0C, RXCOUNT = 0x10;

struct Fixture {
  FakeHost host;
  Uart uart{make_config("uart0", "uart", 3), host};
  std::vector<std::pair<Ticks, std::uint8_t>> sent;
  Fixture() {
    uart.set_tx_sink([this](Ticks t, std::uint8_t b) { sent.emplace_back(t, b); });
  }
};
}  // namespace

TEST_CASE("uart: reset values") {
  Fixture f;
  CHECK(f.uart.read(BAUDDIV, 4) == 64'000'000 / 115200);
  CHECK(f.uart.read(STATUS, 4) == 0x5);
  CHECK(f.uart.read(CTRL, 4) == 0);
  CHECK(f.uart.read(RXCOUNT, 4) == 0);
  CHECK_FALSE(f.host.irq(3));
  FakeHost host;
  Uart slow(make_config("u", "uart", -1, {{"baud", "9600"}}), host);
  CHECK(slow.read(BAUDDIV, 4) == 64'000'000 / 9600);
}

TEST_CASE("uart: a byte every 10 x BAUDDIV cycles, FIFO full sets TXOVR") {
  Fixture f;
  f.uart.write(BAUDDIV, 4, 10);
  f.uart.write(CTRL, 4, Uart::kTxEn);
  for (int i = 0; i < 17; ++i) f.uart.write(DATA, 4, 'a' + i);  // 1 in the shifter + 16 queued
  CHECK((f.uart.read(STATUS, 4) & (Uart::kTxRdy | Uart::kTxIdle | Uart::kTxOvr)) == 0);
  f.uart.write(DATA, 4, 'Z');
  CHECK((f.uart.read(STATUS, 4) & Uart::kTxOvr) != 0);
  f.host.step(99);
  CHECK(f.sent.empty());
  f.host.step(1);
  REQUIRE(f.sent.size() == 1);
  CHECK(f.sent[0] == std::pair<Ticks, std::uint8_t>{100, 'a'});
  CHECK((f.uart.read(STATUS, 4) & Uart::kTxRdy) != 0);
  f.host.step(10'000);
  REQUIRE(f.sent.size() == 17);
  for (int i = 0; i < 17; ++i) {
    CHECK(f.sent[i].first == Ticks(100 * (i + 1)));
    CHECK(f.sent[i].second == 'a' + i);
  }
  CHECK((f.uart.read(STATUS, 4) & Uart::kTxIdle) != 0);
  f.uart.write(STATUS, 4, Uart::kTxOvr);
  CHECK((f.uart.read(STATUS, 4) & Uart::kTxOvr) == 0);
}

TEST_CASE("uart: writes while TXEN=0 are lost; BAUDDIV=0 is clamped and reported") {
  Fixture f;
  f.uart.write(DATA, 4, 'x');
  CHECK((f.uart.read(STATUS, 4) & Uart::kTxOvr) != 0);
  f.host.step(100'000);
  CHECK(f.sent.empty());
  f.uart.write(BAUDDIV, 4, 0);
  CHECK(f.uart.read(BAUDDIV, 4) == 1);
  CHECK(f.host.errors.size() == 1);
  f.uart.write(CTRL, 4, Uart::kTxEn);
  f.uart.write(DATA, 1, 'y');
  f.host.step(10);
  REQUIRE(f.sent.size() == 1);
  CHECK(f.sent[0].first == 100'010);  // BAUDDIV=1: one byte = 10 cycles
}

TEST_CASE("uart: TX interrupts follow TXRDY and TXIDLE levels") {
  Fixture f;
  f.uart.write(BAUDDIV, 4, 10);
  f.uart.write(CTRL, 4, Uart::kTxEn | Uart::kIdleIe);
  CHECK(f.host.irq(3));
  f.uart.write(DATA, 4, 1);
  CHECK_FALSE(f.host.irq(3));
  f.host.step(100);
  CHECK(f.host.irq(3));
  f.uart.write(CTRL, 4, Uart::kTxEn);
  CHECK_FALSE(f.host.irq(3));
  f.uart.write(CTRL, 4, Uart::kTxEn | Uart::kTxIe);
  CHECK(f.host.irq(3));
}

TEST_CASE("uart: injected bytes arrive one byte time apart, RXAV IRQ, overrun") {
  Fixture f;
  f.uart.write(BAUDDIV, 4, 10);
  f.uart.write(CTRL, 4, Uart::kRxEn | Uart::kRxIe);
  std::vector<std::uint8_t> msg = {'h', 'i'};
  f.uart.inject_rx(msg);
  f.host.step(99);
  CHECK(f.uart.read(RXCOUNT, 4) == 0);
  CHECK_FALSE(f.host.irq(3));
  f.host.step(1);
  CHECK(f.uart.read(RXCOUNT, 4) == 1);
  CHECK((f.uart.read(STATUS, 4) & Uart::kRxAv) != 0);
  CHECK(f.host.irq(3));
  f.host.step(100);
  CHECK(f.uart.read(RXCOUNT, 4) == 2);
  CHECK(f.uart.read(DATA, 4) == 'h');
  CHECK(f.uart.read(DATA, 1) == 'i');
  CHECK(f.uart.read(DATA, 4) == 0);  // empty reads 0
  CHECK_FALSE(f.host.irq(3));

  std::vector<std::uint8_t> many(18, 0x55);
  f.uart.inject_rx(many);
  f.host.step(100 * 18);
  CHECK(f.uart.read(RXCOUNT, 4) == 16);
  CHECK((f.uart.read(STATUS, 4) & Uart::kRxOvr) != 0);
  for (int i = 0; i < 16; ++i) f.uart.read(DATA, 4);
  CHECK(f.host.irq(3));  // RXOVR & RXIE still holds the line
  f.uart.write(STATUS, 4, Uart::kRxOvr);
  CHECK_FALSE(f.host.irq(3));
}

TEST_CASE("uart: bytes injected while RXEN=0 are dropped; reset empties everything") {
  Fixture f;
  f.uart.write(BAUDDIV, 4, 10);
  std::vector<std::uint8_t> msg = {1, 2, 3};
  f.uart.inject_rx(msg);
  f.host.step(1000);
  f.uart.write(CTRL, 4, Uart::kRxEn);
  CHECK(f.uart.read(RXCOUNT, 4) == 0);
  f.uart.inject_rx(msg);
  f.host.step(150);
  CHECK(f.uart.read(RXCOUNT, 4) == 1);
  f.uart.reset(ResetReason::Software);
  CHECK(f.uart.rx_line_pending() == 0);
  CHECK(f.uart.read(RXCOUNT, 4) == 0);
  CHECK(f.uart.read(STATUS, 4) == 0x5);
  f.host.step(1000);
  CHECK(f.uart.read(RXCOUNT, 4) == 0);
}

TEST_CASE("uart: STATUS read-only bits and unmapped offsets are guest errors") {
  Fixture f;
  f.uart.write(STATUS, 4, Uart::kTxRdy);
  CHECK(f.host.errors.size() == 1);
  f.uart.write(RXCOUNT, 4, 1);
  CHECK(f.host.errors.size() == 2);
  CHECK(f.uart.read(0x40, 4) == 0);
  CHECK(f.host.errors.size() == 3);
}

TEST_CASE("uart: peek does not pop the RX FIFO") {
  Fixture f;
  f.uart.write(BAUDDIV, 4, 1);
  f.uart.write(CTRL, 4, Uart::kRxEn);
  std::vector<std::uint8_t> msg = {'k'};
  f.uart.inject_rx(msg);
  f.host.step(10);
  CHECK_FALSE(f.uart.registers().peek(DATA).has_value());
  CHECK(f.uart.registers().peek(RXCOUNT) == 1u);
  CHECK(f.uart.registers().peek(STATUS) == (0x5u | Uart::kRxAv));
  CHECK(f.uart.read(DATA, 4) == 'k');
}
