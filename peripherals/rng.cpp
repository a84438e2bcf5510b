// rng model: xoshiro128** generator behind DATA, STATUS.READY always 1. See rng.h.
// A narrow read of DATA still consumes a whole 32-bit value.
#include "peripherals/rng.h"

namespace hilsim::periph {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint32_t rotl(std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

}  // namespace

Rng::Rng(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      name_hash_(fnv1a(config.name)),
      bank_(config.name, host,
            {
                {.name = "DATA", .offset = 0x00, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return next(); }, .read_has_effects = true},
                {.name = "STATUS", .offset = 0x04, .access = Access::R, .reset = 1, .storage = &s_.status},
            }) {
  reseed(config.seed);
}

void Rng::reseed(std::uint64_t seed) {
  std::uint64_t x = seed ^ name_hash_;
  std::uint64_t a = splitmix64(x), b = splitmix64(x);
  s_.s0 = static_cast<std::uint32_t>(a);
  s_.s1 = static_cast<std::uint32_t>(a >> 32);
  s_.s2 = static_cast<std::uint32_t>(b);
  s_.s3 = static_cast<std::uint32_t>(b >> 32);
  if ((s_.s0 | s_.s1 | s_.s2 | s_.s3) == 0) s_.s0 = 1;  // the one forbidden state
}

std::uint32_t Rng::next() {
  std::uint32_t result = rotl(s_.s1 * 5, 7) * 9;
  std::uint32_t t = s_.s1 << 9;
  s_.s2 ^= s_.s0;
  s_.s3 ^= s_.s1;
  s_.s1 ^= s_.s2;
  s_.s0 ^= s_.s3;
  s_.s2 ^= t;
  s_.s3 = rotl(s_.s3, 11);
  return result;
}

void Rng::describe(StateVisitor& v) {
  v.field("s0", s_.s0);
  v.field("s1", s_.s1);
  v.field("s2", s_.s2);
  v.field("s3", s_.s3);
  v.field("status", s_.status);
}

}  // namespace hilsim::periph
