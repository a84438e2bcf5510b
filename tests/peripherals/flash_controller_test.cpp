// flash-controller + NOR array: unlock, program/erase through registers with exact timing,
// NOR rules (only clear bits, program policies), errors, every power-loss policy, wear,
// bad sectors, observability of operations, reset vs power loss, snapshot round trip.
#include "peripherals/flash_controller.h"

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <string>

#include "peripherals/fake_host.h"
#include "peripherals/state_io.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t KEY = 0x00, CTRL = 0x04, ADDR = 0x08, DATA0 = 0x0C, CMD = 0x14, STATUS = 0x18,
                        OPCOUNT = 0x24, LEN = 0x30, PAGE = 0x34, BUF = 0x100;
constexpr std::uint32_t kBase = FakeHost::kFlashBase;

struct Fixture {
  FakeHost host;
  FlashController fc;
  std::vector<FlashOp> ops;
  using Options = std::map<std::string, std::string>;
  Fixture() : Fixture(Options{}) {}
  explicit Fixture(Options options)
      : fc(make_config("flash0", "flash-controller", 3, with_defaults(std::move(options))), host) {
    fc.add_op_sink([this](const FlashOp& op) { ops.push_back(op); });
  }
  static std::map<std::string, std::string> with_defaults(std::map<std::string, std::string> o) {
    std::map<std::string, std::string> d{{"memory", "flash"}, {"sector-size", "4096"}, {"program-unit", "4"},
                                         {"program-us", "20"},  {"erase-ms", "25"},     {"program-policy", "error"},
                                         {"endurance", "0"},    {"bad-sectors", "none"},
                                         {"page-size", "256"}};
    for (auto& [k, v] : o) d[k] = v;
    return d;
  }
  void unlock() {
    fc.write(KEY, 4, FlashController::kKey1);
    fc.write(KEY, 4, FlashController::kKey2);
  }
  std::uint32_t status() { return fc.read(STATUS, 4); }
  void program(std::uint32_t addr, std::uint32_t value) {
    fc.write(ADDR, 4, addr);
    fc.write(DATA0, 4, value);
    fc.write(CMD, 4, FlashController::kCmdProgram);
  }
  // Fills the write buffer with words first, first + 1, ... and programs `len` bytes of it.
  void program_buffer(std::uint32_t addr, std::uint32_t len, std::uint32_t first) {
    for (std::uint32_t i = 0; i < len / 4; ++i) fc.write(BUF + 4 * i, 4, first + i);
    fc.write(ADDR, 4, addr);
    fc.write(LEN, 4, len);
    fc.write(CMD, 4, FlashController::kCmdProgramBuffer);
  }
  std::uint32_t errcode() { return (status() >> 8) & 0xF; }
  void erase(std::uint32_t addr) {
    fc.write(ADDR, 4, addr);
    fc.write(CMD, 4, FlashController::kCmdErase);
  }
  std::uint32_t word(std::uint32_t off) {
    std::uint32_t v;
    std::memcpy(&v, host.flash.data() + off, 4);
    return v;
  }
};
constexpr Ticks kProgram = 64'000'000 / 1'000'000 * 20;  // 20 us at 64 MHz
constexpr Ticks kErase = 64'000'000 / 1'000 * 25;       // 25 ms
}  // namespace

TEST_CASE("flash: locked by default; the key sequence unlocks; a wrong key relocks") {
  Fixture f;
  CHECK((f.status() & FlashController::kLocked) != 0);
  f.program(kBase, 0x12345678);
  CHECK((f.status() & FlashController::kErr) != 0);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrLocked);
  CHECK(f.word(0) == 0xFFFFFFFF);
  f.fc.write(STATUS, 4, FlashController::kErr);
  f.unlock();
  CHECK((f.status() & FlashController::kLocked) == 0);
  f.fc.write(KEY, 4, 0xBAD);
  CHECK((f.status() & FlashController::kLocked) != 0);
  f.fc.write(CTRL, 4, 0);  // LOCK cannot be cleared by writing CTRL
  CHECK((f.status() & FlashController::kLocked) != 0);
}

TEST_CASE("flash: program takes program-us, clears bits only, DONE + IRQ, reported as an operation") {
  Fixture f;
  f.unlock();
  f.fc.write(CTRL, 4, FlashController::kDoneIe);
  f.program(kBase + 8, 0x12345678);
  CHECK((f.status() & FlashController::kBusy) != 0);
  CHECK(f.word(8) == 0xFFFFFFFF);  // reads see the old data while busy
  f.host.step(kProgram - 1);
  CHECK((f.status() & FlashController::kBusy) != 0);
  f.host.step(1);
  CHECK((f.status() & FlashController::kBusy) == 0);
  CHECK((f.status() & FlashController::kDone) != 0);
  CHECK(f.host.irq(3));
  CHECK(f.word(8) == 0x12345678);
  CHECK_FALSE(f.host.changed.empty());
  REQUIRE(f.ops.size() == 2);  // start and end
  CHECK(f.ops[1].seq == 1);
  CHECK(f.ops[1].kind == FlashOp::Kind::Program);
  CHECK(f.ops[1].address == kBase + 8);
  CHECK(f.ops[1].end - f.ops[1].start == kProgram);
  CHECK(f.ops[1].result == "ok");
  CHECK(f.fc.read(OPCOUNT, 4) == 1);
  f.fc.write(STATUS, 4, FlashController::kDone);
  CHECK_FALSE(f.host.irq(3));
  // Programming 1s over 0s is refused by the default policy.
  f.program(kBase + 8, 0xFFFFFFFF);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrNotErased);
  CHECK(f.ops.back().result.find("not erased") != std::string::npos);
}

TEST_CASE("flash: program policies and: AND the bits; allow: overwrite") {
  Fixture a(Fixture::Options{{"program-policy", "and"}});
  a.unlock();
  a.program(kBase, 0xF0F0F0F0);
  a.host.step(kProgram);
  a.program(kBase, 0xFF00FF00);
  a.host.step(kProgram);
  CHECK(a.word(0) == 0xF000F000);
  Fixture b(Fixture::Options{{"program-policy", "allow"}});
  b.unlock();
  b.program(kBase, 0x0);
  b.host.step(kProgram);
  b.program(kBase, 0x12345678);
  b.host.step(kProgram);
  CHECK(b.word(0) == 0x12345678);
}

TEST_CASE("flash: erase sets a sector to 0xFF after erase-ms and counts wear; endurance limits it") {
  Fixture f(Fixture::Options{{"endurance", "2"}});
  f.unlock();
  f.program(kBase + 4096 + 4, 0);
  f.host.step(kProgram);
  f.erase(kBase + 4096 + 100);
  f.host.step(kErase - 1);
  CHECK(f.word(4096 + 4) == 0);
  f.host.step(1);
  CHECK(f.word(4096 + 4) == 0xFFFFFFFF);
  CHECK(f.fc.array().erase_count(1) == 1);
  CHECK(f.ops.back().address == kBase + 4096);
  CHECK(f.ops.back().size == 4096);
  f.erase(kBase + 4096);
  f.host.step(kErase);
  f.erase(kBase + 4096);  // third erase: worn out
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrWornOut);
}

TEST_CASE("flash: misaligned, out of range, busy and bad-sector operations fail with an error code") {
  Fixture f(Fixture::Options{{"bad-sectors", "2,5"}});
  f.unlock();
  f.program(kBase + 2, 0);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrAlign);
  f.fc.write(STATUS, 4, FlashController::kErr);
  f.program(kBase + 64 * 1024, 0);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrRange);
  f.fc.write(STATUS, 4, FlashController::kErr);
  f.erase(kBase + 2 * 4096);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrBadSector);
  f.fc.write(STATUS, 4, FlashController::kErr);
  f.erase(kBase);
  f.program(kBase + 8192 * 2, 0);
  CHECK(((f.status() >> 8) & 0xF) == FlashController::ErrBusy);
  CHECK(f.host.errors.size() >= 4);
}

TEST_CASE("flash: power loss during a program, by policy: before, after, torn") {
  for (PowerLossPolicy p : {PowerLossPolicy::Before, PowerLossPolicy::After, PowerLossPolicy::Torn}) {
    CAPTURE(to_string(p));
    Fixture f;
    f.fc.set_power_loss_policy(p);
    f.unlock();
    f.program(kBase, 0x00000000);
    f.host.step(kProgram / 2);
    f.fc.power_off();
    CHECK_FALSE(f.fc.busy());
    std::uint32_t w = f.word(0);
    if (p == PowerLossPolicy::Before) CHECK(w == 0xFFFFFFFF);
    if (p == PowerLossPolicy::After) CHECK(w == 0x00000000);
    if (p == PowerLossPolicy::Torn) {
      CHECK(w != 0xFFFFFFFF);  // some bits cleared ...
      CHECK(w != 0x00000000);  // ... not all (seeded: deterministic)
    }
    CHECK(f.ops.back().result == std::string("power cut (") + to_string(p) + ")");
    f.host.step(kProgram);  // the completion event was cancelled
    CHECK(f.word(0) == w);
  }
}

TEST_CASE("flash: a torn erase leaves a partly erased sector with weak bits that change per power-on") {
  Fixture f;
  f.fc.set_power_loss_policy(PowerLossPolicy::Torn);
  f.unlock();
  for (std::uint32_t off = 0; off < 4096; off += 4) {
    f.program(kBase + off, 0);
    f.host.step(kProgram);
  }
  f.erase(kBase);
  f.host.step(kErase / 2);
  f.fc.power_off();
  int erased = 0, old = 0;
  for (std::uint32_t off = 0; off < 4096; ++off) {
    if (f.host.flash[off] == 0xFF) ++erased;
    if (f.host.flash[off] == 0x00) ++old;
  }
  CHECK(erased > 0);
  CHECK(old > 0);
  CHECK(f.fc.array().weak(0));
  std::vector<std::uint8_t> first(f.host.flash.begin(), f.host.flash.begin() + 4096);
  f.fc.power_off();  // another power cycle: weak bits read differently
  std::vector<std::uint8_t> second(f.host.flash.begin(), f.host.flash.begin() + 4096);
  CHECK(first != second);
  // A full erase makes the sector solid again.
  f.fc.reset(ResetReason::PowerOn);
  f.unlock();
  f.erase(kBase);
  f.host.step(kErase);
  CHECK_FALSE(f.fc.array().weak(0));
}

TEST_CASE("flash: a system reset does not abort an operation in flight; same seed, same tear") {
  Fixture f;
  f.unlock();
  f.program(kBase, 0x11111111);
  f.fc.reset(ResetReason::Software);
  CHECK(f.fc.busy());
  f.host.step(kProgram);
  CHECK(f.word(0) == 0x11111111);
  CHECK((f.status() & FlashController::kLocked) != 0);  // the interface did reset

  auto tear = [] {
    Fixture g;
    g.fc.set_power_loss_policy(PowerLossPolicy::Torn);
    g.unlock();
    g.program(kBase, 0);
    g.fc.power_off();
    return g.word(0);
  };
  CHECK(tear() == tear());
}

TEST_CASE("flash: snapshot of the controller round-trips, including an operation in flight") {
  Fixture f;
  f.unlock();
  f.program(kBase, 0xAAAA5555);
  std::vector<std::uint8_t> saved = save_state(f.fc);
  std::uint64_t hash = state_hash(f.fc);
  f.host.step(kProgram);
  CHECK_FALSE(f.fc.busy());
  std::string err;
  REQUIRE(load_state(f.fc, saved, &err));
  CHECK(f.fc.busy());
  CHECK(state_hash(f.fc) == hash);
}

TEST_CASE("flash: a buffered program writes up to a page in one operation, timed per unit") {
  Fixture f;
  f.unlock();
  CHECK(f.fc.read(PAGE, 4) == 256);
  f.program_buffer(kBase + 0x40, 64, 0x11110000);
  CHECK((f.status() & FlashController::kBusy) != 0);
  CHECK(f.word(0x40) == 0xFFFFFFFF);
  f.host.step(kProgram * 16 - 1);
  CHECK((f.status() & FlashController::kBusy) != 0);
  f.host.step(1);
  CHECK((f.status() & FlashController::kDone) != 0);
  for (std::uint32_t i = 0; i < 16; ++i) CHECK(f.word(0x40 + 4 * i) == 0x11110000 + i);
  CHECK(f.word(0x80) == 0xFFFFFFFF);  // nothing past LEN
  REQUIRE(f.ops.size() == 2);
  CHECK(f.ops[1].kind == FlashOp::Kind::Program);
  CHECK(f.ops[1].size == 64);
  CHECK(f.ops[1].end - f.ops[1].start == kProgram * 16);
  CHECK(f.fc.read(OPCOUNT, 4) == 1);
  // A whole page at once.
  f.fc.write(STATUS, 4, FlashController::kDone);
  f.program_buffer(kBase + 0x100, 256, 0x22220000);
  f.host.step(kProgram * 64);
  CHECK(f.errcode() == 0);
  CHECK(f.word(0x100) == 0x22220000);
  CHECK(f.word(0x1FC) == 0x22220000 + 63);
  CHECK(f.ops.back().size == 256);
}

TEST_CASE("flash: a buffered program must fit one page in whole units and programs only erased bits") {
  Fixture f;
  f.unlock();
  f.program_buffer(kBase + 0xF0, 32, 0);  // 0xF0 + 32 crosses 0x100
  CHECK(f.errcode() == FlashController::ErrAlign);
  CHECK(f.host.errors.back().what.find("crosses a 256-byte page boundary") != std::string::npos);
  CHECK(f.word(0xF0) == 0xFFFFFFFF);
  f.fc.write(STATUS, 4, FlashController::kErr);
  for (std::uint32_t len : {0u, 6u, 260u}) {
    CAPTURE(len);
    f.program_buffer(kBase, len, 0);
    CHECK(f.errcode() == FlashController::ErrAlign);
    CHECK(f.host.errors.back().what.find("is not a multiple of the program unit") != std::string::npos);
    f.fc.write(STATUS, 4, FlashController::kErr);
  }
  CHECK(f.fc.read(OPCOUNT, 4) == 0);  // refused before it started: not an operation
  f.program_buffer(kBase, 8, 0x0F0F0F0F);
  f.host.step(kProgram * 2);
  f.program_buffer(kBase, 8, 0xF0F0F0F0);  // would set bits back to 1
  CHECK(f.errcode() == FlashController::ErrNotErased);
  CHECK(f.word(0) == 0x0F0F0F0F);
}

TEST_CASE("flash: power loss during a buffered program resolves the whole page by policy") {
  for (PowerLossPolicy p : {PowerLossPolicy::Before, PowerLossPolicy::After, PowerLossPolicy::Torn}) {
    CAPTURE(to_string(p));
    Fixture f;
    f.fc.set_power_loss_policy(p);
    f.unlock();
    f.program_buffer(kBase + 0x200, 256, 0);  // words 0, 1, 2 ...: most bits clear
    f.host.step(kProgram * 10);
    f.fc.power_off();
    int unchanged = 0, done = 0;
    for (std::uint32_t i = 0; i < 64; ++i) {
      std::uint32_t w = f.word(0x200 + 4 * i);
      unchanged += w == 0xFFFFFFFF;
      done += w == i;
    }
    if (p == PowerLossPolicy::Before) CHECK(unchanged == 64);
    if (p == PowerLossPolicy::After) CHECK(done == 64);
    if (p == PowerLossPolicy::Torn) {  // bits anywhere in the page, not a clean prefix
      CHECK(unchanged < 64);
      CHECK(done < 64);
      CHECK(f.word(0x200 + 4 * 63) != 0xFFFFFFFF);
    }
    CHECK(f.word(0x300) == 0xFFFFFFFF);  // the next page is untouched
    CHECK(f.ops.back().size == 256);
    CHECK(f.ops.back().result == std::string("power cut (") + to_string(p) + ")");
  }
}

TEST_CASE("flash: the write buffer and LEN are part of the snapshot; page-size is checked") {
  Fixture f;
  f.fc.write(BUF + 8, 4, 0xCAFEF00D);
  f.fc.write(LEN, 4, 12);
  std::vector<std::uint8_t> saved = save_state(f.fc);
  f.fc.write(BUF + 8, 4, 0);
  f.fc.write(LEN, 4, 4);
  std::string err;
  REQUIRE(load_state(f.fc, saved, &err));
  CHECK(f.fc.read(BUF + 8, 4) == 0xCAFEF00D);
  CHECK(f.fc.read(LEN, 4) == 12);
  FakeHost host;
  for (const char* bad : {"100", "2", "512"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(FlashController(make_config("flash0", "flash-controller", 3,
                                                     Fixture::with_defaults({{"page-size", bad}})),
                                         host),
                         doctest::Contains("page-size"), std::invalid_argument);
  }
}
