// NVIC priority rules without a CPU: group/sub-priority, masks, pending selection, levels.
#include <doctest/doctest.h>

#include "emulator/nvic.h"

using namespace hilsim::emu;

TEST_CASE("nvic: highest pending by group priority, then sub-priority, then number") {
  Nvic n(64, 8);
  int irq0 = exc::FirstIrq, irq1 = exc::FirstIrq + 1, irq2 = exc::FirstIrq + 2;
  for (int e : {irq0, irq1, irq2}) n.set_enabled(e, true);
  n.set_priority(irq0, 0x80);
  n.set_priority(irq1, 0x40);
  n.set_priority(irq2, 0x40);
  n.set_pending(irq0, true);
  n.set_pending(irq2, true);
  n.set_pending(irq1, true);
  CHECK(n.highest_pending() == irq1);  // equal priority: lower number wins
  n.set_pending(irq1, false);
  CHECK(n.highest_pending() == irq2);
  // A disabled IRQ stays pending but is not selected.
  n.set_enabled(irq2, false);
  CHECK(n.highest_pending() == irq0);
}

TEST_CASE("nvic: preemption needs a strictly higher group priority; PRIGROUP splits bits") {
  Nvic n(64, 8);
  int a = exc::FirstIrq, b = exc::FirstIrq + 1;
  n.set_enabled(a, true);
  n.set_enabled(b, true);
  n.set_priority(a, 0x40);
  n.set_priority(b, 0x20);
  n.on_entry(a);  // a is running
  n.set_pending(b, true);
  CHECK(n.should_take({}) == b);  // 0x20 < 0x40 preempts
  // PRIGROUP=6: bits [6:0] are sub-priority, so 0x20 and 0x40 are both group 0: no preemption.
  n.set_prigroup(6);
  CHECK(n.group_priority(0x40) == 0);
  CHECK(n.should_take({}) == kNoException);
  n.on_return(a);
  CHECK(n.should_take({}) == b);  // tail-chained after the return
}

TEST_CASE("nvic: PRIMASK, BASEPRI and FAULTMASK raise the execution priority") {
  Nvic n(64, 8);
  int a = exc::FirstIrq;
  n.set_enabled(a, true);
  n.set_priority(a, 0x60);
  n.set_pending(a, true);
  Masks m;
  m.primask = true;
  CHECK(n.should_take(m) == kNoException);
  m = {};
  m.basepri = 0x60;
  CHECK(n.should_take(m) == kNoException);  // equal is masked
  m.basepri = 0x80;
  CHECK(n.should_take(m) == a);
  m = {};
  m.faultmask = true;
  n.set_pending(exc::Nmi, true);
  CHECK(n.should_take(m) == exc::Nmi);  // NMI (-2) beats FAULTMASK (-1)
}

TEST_CASE("nvic: a level-sensitive IRQ pends again on return while its line is high") {
  Nvic n(64, 8);
  int e = exc::FirstIrq + 3;
  n.set_enabled(e, true);
  n.set_irq_level(3, true);
  CHECK(n.pending(e));
  n.on_entry(e);
  CHECK_FALSE(n.pending(e));
  n.on_return(e);
  CHECK(n.pending(e));  // still asserted
  n.on_entry(e);
  n.set_irq_level(3, false);
  n.on_return(e);
  CHECK_FALSE(n.pending(e));
  // Clearing pending while the line is high re-pends at once.
  n.set_irq_level(3, true);
  n.set_pending(e, false);
  CHECK(n.pending(e));
}

TEST_CASE("nvic: fewer implemented priority bits read back as zero in the low bits") {
  Nvic n(32, 4);
  n.set_priority(exc::FirstIrq, 0xFF);
  CHECK(n.raw_priority(exc::FirstIrq) == 0xF0);
  CHECK(n.priority(exc::HardFault) == -1);
  CHECK(n.priority(exc::Nmi) == -2);
}
