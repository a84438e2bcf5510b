// The FPU model (emulator/fp_context.*, the Unicorn side in cpu.* / unicorn_hidden_state.*) on
// the mps2 boards, beyond the line-by-line QEMU comparison of tests/firmware-mps2/fpu.c in
// mps2_test.cpp: what the user is told about NOCP faults, that the RTOS test really exercises
// lazy saves, one trace hash for any run-chunk size, and snapshots taken while a lazy save is
// pending or the FP trap is armed.
#include <doctest/doctest.h>

#include <vector>

#include "tests/emulator/mps2_fixture.h"

using namespace hilsim;
using hilsim::test::Mps2Machine;

namespace {

struct Finished {
  std::string out;
  std::uint64_t trace_hash = 0;
  emu::Ticks end = 0;
};

Finished run(const std::string& program, const std::string& board, emu::Ticks max_chunk = 4'000'000) {
  emu::MachineOptions o;
  o.max_chunk = max_chunk;
  Mps2Machine h(program, board, o);
  h.m().power_on();
  emu::RunResult r = h.run_to_exit();
  INFO(program << "-" << board << " output:\n" << h.out);
  CHECK(r.reason == emu::StopReason::Exited);
  CHECK(r.exit_code == 0);
  return {h.out, h.m().trace_hash(), h.m().now()};
}

}  // namespace

TEST_CASE("FPU: a NOCP fault report names the FP instruction, exactly, and why it is refused") {
  Mps2Machine m4("fpu", "an386");
  m4.m().power_on();
  CHECK(m4.run_to_exit().reason == emu::StopReason::Exited);
  std::optional<std::uint32_t> fp_op = m4.m().symbols().find("fp_op");
  REQUIRE(fp_op);
  // CPACR = 0 with UsageFault enabled, then disabled (HardFault), then CP10 = 01 unprivileged.
  const auto& faults = m4.m().faults();
  REQUIRE(faults.size() == 3);
  for (const emu::FaultReport& f : faults) {
    CHECK(f.kind == "no coprocessor");
    CHECK(f.pc == *fp_op);
    CHECK(f.pc_exact);
    CHECK(f.detail.find("eeb7 0a00 (CP10)") != std::string::npos);
  }
  CHECK(faults[0].detail.find("the FPU is disabled (CPACR.CP10 = 00") != std::string::npos);
  CHECK(faults[2].detail.find("privileged code only") != std::string::npos);
  CHECK((m4.m().scs().scb().cpacr >> 20) == 0xF);  // the firmware enabled it again

  Mps2Machine m3("fpu", "an385");
  m3.m().power_on();
  CHECK(m3.run_to_exit().reason == emu::StopReason::Exited);
  REQUIRE(m3.m().faults().size() == 2);
  for (const emu::FaultReport& f : m3.m().faults()) {
    CHECK(f.kind == "no coprocessor");
    CHECK(f.pc == *m3.m().symbols().find("fp_op"));
    CHECK(f.detail.find("this core has no FPU") != std::string::npos);
  }
}

TEST_CASE("FPU: the RTOS test's preemptions defer the FP save; handlers with FP do it, the rest skip it") {
  Mps2Machine h("rtos", "an386");
  h.m().power_on();
  CHECK(h.run_to_exit().reason == emu::StopReason::Exited);
  CHECK(h.out.find("rtos: PASS\n") != std::string::npos);
  const emu::FpContext& fp = h.m().fp();
  std::uint64_t saved = fp.deferred_saves() - fp.skipped_saves();
  MESSAGE("lazy entries " << fp.deferred_saves() << ", saved by a handler " << saved << ", skipped "
                          << fp.skipped_saves());
  CHECK(fp.deferred_saves() > 3000);  // every preemption of an FP thread or FP interrupt
  CHECK(saved > 1000);                 // PendSV's VSTM, the timer handlers' float maths
  CHECK(fp.skipped_saves() > 1000);    // SysTick, SVC: no FP instruction
  CHECK(h.m().faults().empty());
}

TEST_CASE("FPU: one trace hash for any run-chunk size (lazy saves, FP trap, NOCP)") {
  for (const char* board : {"an386", "an385"}) {
    CAPTURE(board);
    Finished reference = run("fpu", board);
    for (emu::Ticks chunk : {1000, 37, 7, 1}) {
      CAPTURE(chunk);
      Finished other = run("fpu", board, chunk);
      CHECK(other.trace_hash == reference.trace_hash);
      CHECK(other.end == reference.end);
      CHECK(other.out == reference.out);
    }
  }
  Finished rtos = run("rtos", "an386");
  CHECK(run("rtos", "an386", 997).trace_hash == rtos.trace_hash);
  CHECK(run("rtos", "an386", 37).trace_hash == rtos.trace_hash);
}

TEST_CASE("FPU: snapshots taken with a lazy save pending or the FP trap armed finish like the original") {
  Finished reference = run("fpu", "an386");
  Mps2Machine original("fpu", "an386");
  original.m().power_on();
  // Every 13 instructions, a snapshot at every 4th stop in those states and every 100th elsewhere
  // (each check builds a new machine: about 80 ms).
  int pending_points = 0, points = 0, interesting = 0;
  for (emu::Ticks at = 13; at < reference.end; at += 13) {
    original.m().run_until(at);
    bool lazy_pending = original.m().fp().fpccr() & emu::fpccr::kLspact;
    bool fp_denied = (original.m().scs().scb().cpacr >> 20) != 0xF;
    if (lazy_pending || fp_denied ? interesting++ % 4 != 0 : (at / 13) % 100 != 0) continue;
    CAPTURE(at);
    ++points;
    pending_points += lazy_pending;
    std::vector<std::uint8_t> snap = original.m().save_snapshot();
    Mps2Machine copy("fpu", "an386");
    REQUIRE(copy.m().restore_snapshot(snap) == "");
    copy.out = original.out;
    CHECK(copy.run_to_exit().reason == emu::StopReason::Exited);
    CHECK(copy.out == reference.out);
    CHECK(copy.m().trace_hash() == reference.trace_hash);
    CHECK(copy.m().now() == reference.end);
  }
  MESSAGE(points << " snapshots, " << pending_points << " with a lazy save pending");
  CHECK(pending_points >= 3);
}
