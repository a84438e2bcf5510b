// state_io: save/restore round trips of every model, hash and dump, and clean reader errors.
#include "peripherals/state_io.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"
#include "peripherals/gpio.h"
#include "peripherals/reset_controller.h"
#include "peripherals/rng.h"
#include "peripherals/uart.h"
#include "peripherals/watchdog.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {

// Every field type once, for the visitors themselves.
struct AllTypes final : Device {
  bool b = true;
  std::uint8_t u8 = 0xAB;
  std::uint16_t u16 = 0xBEEF;
  std::uint32_t u32 = 0xDEADBEEF;
  std::uint64_t u64 = 0x0123456789ABCDEFull;
  std::int64_t i64 = -42;
  std::vector<std::uint8_t> bytes;
  std::string text = "hi \"there\"\n";
  int post_loads = 0;
  explicit AllTypes(DeviceHost& host) : Device("all", host) {
    for (std::uint8_t i = 1; i <= 3; ++i) bytes.push_back(i);
  }
  std::string_view type() const override { return "all"; }
  std::uint32_t read(std::uint32_t, unsigned) override { return 0; }
  void write(std::uint32_t, unsigned, std::uint32_t) override {}
  void reset(ResetReason) override {}
  void describe(StateVisitor& v) override {
    v.field("b", b);
    v.field("u8", u8);
    v.field("u16", u16);
    v.field("u32", u32);
    v.field("u64", u64);
    v.field("i64", i64);
    v.field("bytes", bytes);
    v.field("text", text);
  }
  void post_load() override { ++post_loads; }
};

// Saves `dev`, lets `mutate` change it, restores, and checks hash and dump came back.
template <typename F>
void round_trip(Device& dev, F mutate) {
  std::uint64_t h0 = state_hash(dev);
  std::string d0 = dump_state(dev);
  std::vector<std::uint8_t> saved = save_state(dev);
  mutate();
  CHECK(state_hash(dev) != h0);
  CHECK_FALSE(diff_dumps(d0, dump_state(dev)).empty());
  std::string error;
  REQUIRE_MESSAGE(load_state(dev, saved, &error), error);
  CHECK(state_hash(dev) == h0);
  CHECK(dump_state(dev) == d0);
  CHECK(save_state(dev) == saved);
}

}  // namespace

TEST_CASE("state_io: every field type round-trips, dumps and hashes") {
  FakeHost host;
  AllTypes a(host);
  std::string dump = dump_state(a);
  CHECK(dump.find("b=true\n") != std::string::npos);
  CHECK(dump.find("u32=3735928559 (0xdeadbeef)\n") != std::string::npos);
  CHECK(dump.find("i64=-42\n") != std::string::npos);
  CHECK(dump.find("bytes=[3] 01 02 03\n") != std::string::npos);
  CHECK(dump.find("text=\"hi \\\"there\\\"\\x0a\"\n") != std::string::npos);
  round_trip(a, [&] {
    a.b = false;
    a.u8 = 1;
    a.u16 = 2;
    a.u32 = 3;
    a.u64 = 4;
    a.i64 = 5;
    a.bytes.clear();
    a.text.clear();
    a.text.push_back('x');  // (assigning a literal trips a GCC 12 -Wrestrict false positive)
  });
  CHECK(a.post_loads == 1);
  std::vector<std::string> diff = diff_dumps("a=1\nb=2\n", "a=1\nb=3\n");
  CHECK(diff == std::vector<std::string>{"b: 2 -> 3"});
}

TEST_CASE("state_io: hash depends on names and values") {
  FakeHost host;
  AllTypes a(host), b(host);
  CHECK(state_hash(a) == state_hash(b));
  b.bytes.push_back(0);
  CHECK(state_hash(a) != state_hash(b));
}

TEST_CASE("state_io: truncated, mismatched and trailing data fail cleanly and change nothing") {
  FakeHost host;
  AllTypes a(host);
  std::vector<std::uint8_t> saved = save_state(a);
  a.u32 = 7;
  std::uint64_t h = state_hash(a);
  std::string error;
  for (std::size_t n = 0; n < saved.size(); ++n) {
    std::vector<std::uint8_t> cut(saved.begin(), saved.begin() + n);
    CHECK_FALSE(load_state(a, cut, &error));
    CHECK(error.find("truncated") != std::string::npos);
    CHECK(state_hash(a) == h);
  }
  std::vector<std::uint8_t> longer = saved;
  longer.push_back(0);
  CHECK_FALSE(load_state(a, longer, &error));
  CHECK(error.find("trailing") != std::string::npos);

  std::vector<std::uint8_t> renamed = saved;
  renamed[2] = 'c';  // field "b" -> "c"
  CHECK_FALSE(load_state(a, renamed, &error));
  CHECK(error.find("expected 'b', found 'c'") != std::string::npos);

  std::vector<std::uint8_t> retyped = saved;
  retyped[3] = static_cast<std::uint8_t>(FieldType::U32);
  CHECK_FALSE(load_state(a, retyped, &error));
  CHECK(error.find("has type u32, expected bool") != std::string::npos);

  std::vector<std::uint8_t> bad_bool = saved;
  bad_bool[4] = 7;
  CHECK_FALSE(load_state(a, bad_bool, &error));
  CHECK(state_hash(a) == h);
  CHECK(a.post_loads == 0);

  // A different model's state is rejected.
  Rng rng(make_config("rng", "rng"), host);
  CHECK_FALSE(load_state(rng, saved, &error));
  CHECK(error.rfind("rng: ", 0) == 0);
}

TEST_CASE("state_io: uart round trip") {
  FakeHost host;
  Uart uart(make_config("uart0", "uart", 0), host);
  uart.write(0x0C, 4, 10);
  uart.write(0x08, 4, Uart::kTxEn | Uart::kRxEn | Uart::kRxIe);
  for (std::uint8_t b : {1, 2, 3}) uart.write(0x00, 4, b);
  std::vector<std::uint8_t> rx = {9, 8, 7};
  uart.inject_rx(rx);
  host.step(150);
  round_trip(uart, [&] {
    host.step(1000);
    uart.read(0x00, 4);
  });
  CHECK(host.irq(0));  // post_load recomputed the line from the restored RX FIFO
}

TEST_CASE("state_io: gpio round trip") {
  FakeHost host;
  Gpio gpio(make_config("gpio0", "gpio", 1), host);
  gpio.write(0x08, 4, 0x0F);
  gpio.write(0x0C, 4, 0x05);
  gpio.set_input(7, true);
  round_trip(gpio, [&] {
    gpio.write(0x14, 4, 0xFF);
    gpio.set_input(7, false);
    gpio.write(0x24, 4, 0x100);
  });
}

TEST_CASE("state_io: watchdog round trip") {
  FakeHost host;
  Watchdog wdt(make_config("wdt", "watchdog", 2), host);
  wdt.write(0x00, 4, 100);
  wdt.write(0x04, 4, Watchdog::kEn);
  host.step(5000);
  round_trip(wdt, [&] {
    host.step(1000);
    wdt.write(0x08, 4, Watchdog::kFeedKey);
    wdt.write(0x00, 4, 50);
  });
}

TEST_CASE("state_io: reset-controller round trip") {
  FakeHost host;
  ResetController rc(make_config("sysctl", "reset-controller"), host);
  rc.write(0x10, 4, 0x1234);
  rc.reset(ResetReason::Software);
  round_trip(rc, [&] {
    rc.reset(ResetReason::Watchdog);
    rc.write(0x10, 4, 1);
  });
}

TEST_CASE("state_io: rng round trip replays the same numbers") {
  FakeHost host;
  Rng rng(make_config("rng", "rng", -1, {}, 7), host);
  rng.read(0x00, 4);
  std::vector<std::uint8_t> saved = save_state(rng);
  std::uint32_t a = rng.read(0x00, 4), b = rng.read(0x00, 4);
  REQUIRE(load_state(rng, saved));
  CHECK(rng.read(0x00, 4) == a);
  CHECK(rng.read(0x00, 4) == b);
  round_trip(rng, [&] { rng.read(0x00, 4); });
}
