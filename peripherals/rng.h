// rng: a random number generator that is deterministic by design, per docs/peripherals.md
// ("rng"): xoshiro128** (Blackman & Vigna) seeded with splitmix64 from the machine seed mixed
// with the device name, so the same seed gives the same numbers and two rng devices differ.
// The generator keeps running across resets and power cycles (like a TRNG, a reboot does not
// replay old numbers). Leaves out entropy health tests, seeding errors and conditioning.
#pragma once

#include <cstdint>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class Rng final : public Device {
 public:
  Rng(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "rng"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override {}
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }  // for register views (peek)

  // Host side.
  void reseed(std::uint64_t seed);
  std::uint32_t next();  // advances the generator, as a DATA read does

 private:
  struct State {
    std::uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;  // xoshiro128** state, never all zero
    std::uint32_t status = 1;                      // READY
  };

  std::uint64_t name_hash_;
  State s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
