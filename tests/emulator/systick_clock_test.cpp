// SysTick arithmetic and the event queue, on virtual time alone (no CPU).
#include <doctest/doctest.h>

#include <vector>

#include "emulator/clock.h"
#include "emulator/systick.h"

using namespace hilsim::emu;

namespace {
struct Bench {
  EventQueue q;
  Ticks t = 0;
  std::vector<Ticks> pends;
  SysTick st{q, [this] { return t; }, [this] { pends.push_back(t); }, 64'000'000};
  // Advances time event by event, as the run loop does.
  void run_to(Ticks end) {
    while (q.next_due() <= end) {
      t = q.next_due();
      q.fire_due(t);
    }
    t = end;
  }
};
}  // namespace

TEST_CASE("systick: the period is RVR+1 cycles, exact, with no drift") {
  Bench b;
  b.st.write_rvr(63'999);  // 1 ms at 64 MHz
  b.st.write_cvr(0);
  b.st.write_csr(7);  // enable, interrupt, core clock
  b.run_to(10 * 64'000 + 5);
  REQUIRE(b.pends.size() == 10);
  // From CVR=0, the first step reloads; the counter reaches 0 after RVR+1 cycles.
  for (std::size_t i = 0; i < b.pends.size(); ++i) CHECK(b.pends[i] == (i + 1) * 64'000);
}

TEST_CASE("systick: CVR counts down every cycle and COUNTFLAG is read-to-clear") {
  Bench b;
  b.st.write_rvr(99);
  b.st.write_csr(5);  // enable, no interrupt, core clock
  b.t = 1;
  CHECK(b.st.read_cvr() == 99);  // the first step reloaded
  b.t = 10;
  CHECK(b.st.read_cvr() == 90);
  b.t = 100;
  CHECK(b.st.read_cvr() == 0);
  CHECK((b.st.read_csr() & (1u << 16)) != 0);  // wrapped: flag set, seen before the event ran
  CHECK((b.st.read_csr() & (1u << 16)) == 0);  // and cleared by the read
  b.t = 101;
  CHECK(b.st.read_cvr() == 99);
  CHECK(b.pends.empty());  // TICKINT was clear
}

TEST_CASE("systick: the external reference clock is core/8, and disabling freezes the count") {
  Bench b;
  b.st.write_rvr(9);
  b.st.write_csr(3);  // enable + interrupt, CLKSOURCE=0: core/8
  b.run_to(800);
  CHECK(b.pends.size() == 10);  // every 10 ticks of 8 cycles
  b.st.write_csr(0);
  Ticks frozen = b.st.read_cvr();
  b.run_to(5000);
  CHECK(b.st.read_cvr() == frozen);
  CHECK(b.pends.size() == 10);
}

TEST_CASE("event queue: due order, ties by registration order, re-scheduling from a handler") {
  EventQueue q;
  std::vector<int> order;
  EventId a = 0, b = 0;
  a = q.add("a", [&] { order.push_back(1); });
  b = q.add("b", [&] {
    order.push_back(2);
    if (order.size() < 4) q.schedule_at(b, 20);
  });
  q.schedule_at(b, 10);
  q.schedule_at(a, 10);
  CHECK(q.next_due() == 10);
  q.fire_due(15);
  CHECK(order == std::vector<int>{1, 2});
  CHECK(q.next_due() == 20);
  q.fire_due(20);  // b re-arms itself at 20 while firing at 20: it fires again in the same call
  CHECK(order == std::vector<int>{1, 2, 2, 2});
  q.cancel(b);
  CHECK(q.next_due() == kNever);
}
