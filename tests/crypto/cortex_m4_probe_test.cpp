// crypto/ on the emulated Cortex-M4: runs tests/firmware/crypto_probe.cpp (built -Os for the
// demo-m4 memory map) and checks its flags; prints what one verify and SHA-256 over 64 KiB
// cost in instructions, and the stack a verify used.
#include <doctest/doctest.h>

#include <string>

#include "tests/emulator/machine_fixture.h"

using hilsim::test::MachineFixture;
using namespace hilsim;

TEST_CASE("crypto on cortex-m4: RFC 8032 TEST 1 verifies, a flip is rejected, SHA-256 of 64 KiB matches") {
  emu::MachineOptions o;
  o.semihosting = true;
  o.instruction_budget = 400'000'000;
  MachineFixture f("crypto_probe", o);
  f.m().power_on();
  emu::RunResult r = f.m().run_for(f.ms(60'000));
  INFO("probe output:\n" << f.transcript());
  REQUIRE(r.reason == emu::StopReason::Exited);
  CHECK(r.exit_code == 0);
  CHECK(f.value("result") == "pass");
  CHECK(f.value("verify_ok") == "1");
  CHECK(f.value("verify_rejects_flip") == "1");
  CHECK(f.value("sha_ok") == "1");
  CHECK(f.value("sha256") == "5fce37f3129150ce7ec3939b54016d9c1fd01364e27b0a788dc634064aec76b1");

  // One instruction is one cycle on hilsim, so the probe's SysTick counts are instruction counts.
  const std::string verify = f.value("verify_cycles"), sha = f.value("sha256_64k_cycles");
  REQUIRE(verify != "overflow");
  REQUIRE(sha != "overflow");
  const unsigned long verify_n = std::stoul(verify), sha_n = std::stoul(sha), stack = std::stoul(f.value("verify_stack"));
  MESSAGE("ed25519_verify (RFC TEST 1): " << verify_n << " instructions; SHA-256 of 64 KiB: " << sha_n
                                          << " instructions; verify stack: " << stack << " bytes; whole probe: "
                                          << f.m().instructions() << " instructions");
  CHECK(verify_n > 100'000);
  CHECK(verify_n < 10'000'000);  // a generous bound: measured ~1.73 M at -Os
  CHECK(sha_n < 8'000'000);
  CHECK(stack < 3 * 1024);  // the brief's per-call budget
  CHECK(f.m().instructions() > verify_n + sha_n);
}
