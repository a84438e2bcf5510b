// rng: deterministic per seed, different across seeds and device names, STATUS.READY.
#include "peripherals/rng.h"

#include <doctest/doctest.h>

#include <set>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
std::vector<std::uint32_t> draw(Rng& rng, int n) {
  std::vector<std::uint32_t> v;
  for (int i = 0; i < n; ++i) v.push_back(rng.read(0x00, 4));
  return v;
}
}  // namespace

TEST_CASE("rng: same seed, same sequence; different seed or name, different sequence") {
  FakeHost host;
  Rng a(make_config("rng", "rng", -1, {}, 42), host);
  Rng b(make_config("rng", "rng", -1, {}, 42), host);
  Rng c(make_config("rng", "rng", -1, {}, 43), host);
  Rng d(make_config("rng1", "rng", -1, {}, 42), host);
  auto va = draw(a, 64);
  CHECK(va == draw(b, 64));
  CHECK(va != draw(c, 64));
  CHECK(va != draw(d, 64));
  std::set<std::uint32_t> distinct(va.begin(), va.end());
  CHECK(distinct.size() == va.size());
  CHECK(a.read(0x04, 4) == 1);
  a.reset(ResetReason::Watchdog);  // the generator keeps running across resets
  CHECK(draw(a, 4) != std::vector<std::uint32_t>(va.begin(), va.begin() + 4));
  a.reseed(42);
  CHECK(draw(a, 64) == va);
  a.write(0x00, 4, 1);
  CHECK(host.errors.size() == 1);
}

TEST_CASE("rng: a seed of zero still produces a non-degenerate sequence") {
  FakeHost host;
  Rng r(make_config("rng", "rng"), host);
  auto v = draw(r, 16);
  std::set<std::uint32_t> distinct(v.begin(), v.end());
  CHECK(distinct.size() == 16);
}
