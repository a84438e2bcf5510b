// Register bank: access modes, byte-lane merging, reset values and guest-error reporting.
#include "peripherals/register_bank.h"

#include <doctest/doctest.h>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;

namespace {

struct Regs {
  std::uint32_t rw = 0, w1c = 0, w1s = 0, rc = 0, ro = 0;
  std::uint32_t last_w = 0, writes = 0;
};

RegisterBank make_bank(FakeHost& host, Regs& r) {
  return RegisterBank("dev", host,
                      {
                          {.name = "RW", .offset = 0x0, .access = Access::RW, .reset = 0x11223344, .storage = &r.rw},
                          {.name = "MASKED", .offset = 0x4, .access = Access::RW, .reset = 0, .writable = 0x0F,
                           .storage = &r.ro},
                          {.name = "W1C", .offset = 0x8, .access = Access::W1C, .reset = 0xFF, .storage = &r.w1c},
                          {.name = "W1S", .offset = 0xC, .access = Access::W1S, .storage = &r.w1s},
                          {.name = "RC", .offset = 0x10, .access = Access::RC, .reset = 0xA5A5, .storage = &r.rc},
                          {.name = "W", .offset = 0x14, .access = Access::W,
                           .on_write = [&r](std::uint32_t, std::uint32_t v) { r.last_w = v; ++r.writes; }},
                          {.name = "RO", .offset = 0x18, .access = Access::R, .on_read = [](std::uint32_t) {
                             return 0xCAFEBABEu;
                           }},
                      });
}

}  // namespace

TEST_CASE("register bank: reset values and full-width access") {
  FakeHost host;
  Regs r;
  RegisterBank bank = make_bank(host, r);
  CHECK(bank.read(0x0, 4) == 0x11223344);
  CHECK(bank.read(0x8, 4) == 0xFF);
  bank.write(0x0, 4, 0xDEADBEEF);
  CHECK(r.rw == 0xDEADBEEF);
  bank.reset();
  CHECK(r.rw == 0x11223344);
  CHECK(bank.read(0x18, 4) == 0xCAFEBABE);
  CHECK(host.errors.empty());
}

TEST_CASE("register bank: narrow reads and writes touch only their byte lanes") {
  FakeHost host;
  Regs r;
  RegisterBank bank = make_bank(host, r);
  CHECK(bank.read(0x0, 1) == 0x44);
  CHECK(bank.read(0x1, 1) == 0x33);
  CHECK(bank.read(0x3, 1) == 0x11);
  CHECK(bank.read(0x2, 2) == 0x1122);
  bank.write(0x1, 1, 0xAB);
  CHECK(r.rw == 0x1122AB44);
  bank.write(0x2, 2, 0xBEEF);
  CHECK(r.rw == 0xBEEFAB44);
  // W1C: a byte write clears only in its lane.
  r.w1c = 0xFFFF;
  bank.write(0x9, 1, 0xFF);
  CHECK(r.w1c == 0x00FF);
  // W1S
  bank.write(0xE, 1, 0x01);
  CHECK(r.w1s == 0x00010000);
  // W: the callback sees the written bits in register position.
  bank.write(0x15, 1, 0x12);
  CHECK(r.last_w == 0x1200);
  CHECK(host.errors.empty());
}

TEST_CASE("register bank: W1C, RC and write-only semantics") {
  FakeHost host;
  Regs r;
  RegisterBank bank = make_bank(host, r);
  bank.write(0x8, 4, 0x0F);
  CHECK(r.w1c == 0xF0);
  bank.write(0x8, 4, 0);
  CHECK(r.w1c == 0xF0);
  CHECK(bank.read(0x10, 4) == 0xA5A5);
  CHECK(bank.read(0x10, 4) == 0);
  r.rc = 0xA5A5;
  CHECK(bank.read(0x10, 1) == 0xA5);
  CHECK(r.rc == 0xA500);  // only the byte read is cleared
  bank.write(0x14, 4, 7);
  CHECK(bank.read(0x14, 4) == 0);  // write-only reads 0
  CHECK(r.writes == 1);
}

TEST_CASE("register bank: guest errors for unmapped, read-only, unmodelled bits and straddling") {
  FakeHost host;
  Regs r;
  RegisterBank bank = make_bank(host, r);
  CHECK(bank.read(0x100, 4) == 0);
  REQUIRE(host.errors.size() == 1);
  CHECK(host.errors[0].device == "dev");
  CHECK(host.errors[0].offset == 0x100);
  bank.write(0x104, 4, 1);
  CHECK(host.errors.size() == 2);
  bank.write(0x18, 4, 1);  // read-only
  REQUIRE(host.errors.size() == 3);
  CHECK(host.errors[2].what.find("read-only register RO") != std::string::npos);
  bank.write(0x10, 4, 1);  // RC is read-only too
  CHECK(host.errors.size() == 4);
  bank.write(0x4, 4, 0xF5);  // MASKED: only 0x0F writable
  CHECK(r.ro == 0x5);
  REQUIRE(host.errors.size() == 5);
  CHECK(host.errors[4].what.find("0x000000f0") != std::string::npos);
  bank.write(0x4, 4, 0x3);  // no unmodelled bit changes: no report
  CHECK(host.errors.size() == 5);
  CHECK(bank.read(0x3, 2) == 0);  // straddles
  CHECK(host.errors.size() == 6);
  bank.write(0x2, 4, 0);
  CHECK(host.errors.size() == 7);
  CHECK(r.rw == 0x11223344);
}

TEST_CASE("register bank: peek reads without side effects or reports") {
  FakeHost host;
  Regs r;
  RegisterBank bank = make_bank(host, r);
  CHECK(bank.peek(0x10) == 0xA5A5u);
  CHECK(r.rc == 0xA5A5);  // RC not cleared by a peek
  CHECK(bank.peek(0x18) == 0xCAFEBABEu);
  CHECK_FALSE(bank.peek(0x14).has_value());   // write-only
  CHECK_FALSE(bank.peek(0x100).has_value());  // unmapped
  CHECK(host.errors.empty());
}
