// The one-feature test programs (tests/firmware) on the emulated board. Each checks itself
// and prints key=value lines; these tests assert both its verdict and the exact values.
#include <doctest/doctest.h>

#include <cstring>

#include "peripherals/flash_controller.h"
#include "tests/emulator/machine_fixture.h"

using hilsim::test::MachineFixture;
using namespace hilsim;

namespace {
emu::MachineOptions semihosting(emu::Ticks budget = 200'000'000) {
  emu::MachineOptions o;
  o.semihosting = true;
  o.instruction_budget = budget;
  return o;
}

// Runs a self-checking program to its SYS_EXIT and returns the fixture.
std::unique_ptr<MachineFixture> run_program(const std::string& name, emu::Ticks max_chunk = 4'000'000) {
  emu::MachineOptions o = semihosting();
  o.max_chunk = max_chunk;
  auto f = std::make_unique<MachineFixture>(name, o);
  f->m().power_on();
  emu::RunResult r = f->m().run_for(f->ms(10'000));
  INFO(name << " output:\n" << f->transcript());
  CHECK(r.reason == emu::StopReason::Exited);
  CHECK(r.exit_code == 0);
  CHECK(f->value("result") == "pass");
  return f;
}
}  // namespace

TEST_CASE("exceptions: nesting, preemption order, tail-chaining, PRIGROUP, PRIMASK, BASEPRI") {
  auto f = run_program("exc_nesting");
  // +N = entry of IRQ N, -N = exit, T = back in thread mode. IRQ5 preempts IRQ4; IRQ6 and
  // IRQ7 (not higher priority) are tail-chained after the exits, in priority order.
  CHECK(f->value("seq_preempt") == "+4,+5,-5,-4,+6,-6,+7,-7,T");
  CHECK(f->value("exc_return_irq4") == "0xfffffff9");  // from thread mode, MSP
  CHECK(f->value("exc_return_irq5") == "0xfffffff1");  // nested: returns to handler mode
  CHECK(f->value("ipsr_irq5") == "21");
  CHECK(f->value("regs_bad_thread") == "0x00000000");  // r0-r3, r12 preserved across preemption
  CHECK(f->value("regs_bad_in_irq4") == "0x00000000");
  CHECK(f->value("iabr_in_irq5") == "0x00000030");  // IRQ4 and IRQ5 both active
  CHECK(f->value("seq_prigroup") == "+4,+6,-6,-4,+5,-5,T");
  CHECK(f->value("primask_masked_count") == "0");
  CHECK(f->value("primask_unmasked_count") == "1");
  CHECK(f->value("basepri_masked_count") == "0");
  CHECK(f->value("basepri_unmasked_count") == "1");
}

TEST_CASE("exceptions: SVC with stacked arguments, PendSV tail-chained, PSP threads, VTOR") {
  auto f = run_program("svc_pendsv");
  CHECK(f->value("svc_number") == "0x00000012");
  CHECK(f->value("svc_arg") == "0x00001234");
  CHECK(f->value("svc_ret") == "0x00001235");
  CHECK(f->value("pendsv_in_svc") == "0");  // PendSV (lower priority) waits for SVC to return
  CHECK(f->value("seq_msp") == "S+,S-,P+,P-,T");
  CHECK(f->value("psp_svc_exc_return") == "0xfffffffd");
  CHECK(f->value("psp_frame_on_process_stack") == "1");
  CHECK(f->value("relocated_irq_count") == "1");
}

TEST_CASE("systick: counter, COUNTFLAG, interrupt, calibration, PENDSTSET") {
  auto f = run_program("systick");
  CHECK(f->value("calib") == "0x00013880");  // 80,000 reference ticks in 10 ms (64 MHz / 8)
  CHECK(f->value("cvr_after_clear") == "0");
  CHECK(f->value("systick_ipsr") == "15");
  CHECK(f->value("wfi_ticks") == "5");
  CHECK(f->value("pendstset_ticks") == "1");
}

TEST_CASE("WFI with nothing pending skips virtual time to the next event") {
  auto f = run_program("wfi_idle");
  CHECK(f->value("ticks") == "1000");
  // One virtual second of 1 kHz ticks, almost all of it asleep.
  CHECK(f->m().now() > f->ms(1000));
  CHECK(f->m().instructions() < 1'000'000);
  CHECK(f->m().idle_cycles() > 60'000'000);
}

TEST_CASE("software reset through AIRCR and watchdog reset report their reasons") {
  auto sw = run_program("sw_reset");
  CHECK(sw->m().resets().size() == 2);
  CHECK(sw->m().resets()[1].second == periph::ResetReason::Software);
  CHECK(sw->value("cause") == "0x00000004");
  auto wdt = run_program("wdt_reset");
  CHECK(wdt->m().resets().size() == 2);
  CHECK(wdt->m().resets()[1].second == periph::ResetReason::Watchdog);
  CHECK(wdt->value("cause") == "0x00000002");
}

TEST_CASE("fault reports: bad read, bad write, bad fetch, undefined instruction") {
  struct Case {
    const char* program;
    const char* kind;
    const char* detail;
  };
  for (const Case& c : {Case{"fault_read", "bad read", "0x30000000"},
                        Case{"fault_write", "bad write", "0x30000000"},
                        Case{"fault_exec", "bad fetch", "0x30000000"},
                        Case{"fault_undef", "undefined instruction", "0xde00"}}) {
    CAPTURE(c.program);
    MachineFixture f(c.program, semihosting());
    f.m().power_on();
    emu::RunResult r = f.m().run_for(f.ms(1000));
    // The firmware's own HardFault handler ran (it exits with code 3 after printing).
    CHECK(r.reason == emu::StopReason::Exited);
    CHECK(r.exit_code == 3);
    REQUIRE(f.m().faults().size() == 1);
    const emu::FaultReport& fault = f.m().faults()[0];
    CHECK(fault.kind == c.kind);
    CHECK(fault.detail.find(c.detail) != std::string::npos);
    std::string text = emu::format_fault(fault, &f.m().symbols());
    // The backtrace walks back through the program's call chain.
    CHECK(text.find("<level2") != std::string::npos);
    CHECK(text.find("<level1") != std::string::npos);
    CHECK(text.find("<main") != std::string::npos);
    // Data faults are located to the exact load/store, not just its block.
    CHECK(fault.pc_exact);
    std::uint16_t insn = 0;
    f.m().cpu().read_mem(fault.pc, &insn, 2);
    if (std::string(c.kind) == "bad read" || std::string(c.kind) == "bad write") {
      CHECK(f.m().symbols().describe(fault.pc).rfind("fault_now+", 0) == 0);
      CHECK(insn != 0xb500);  // not the function's entry push: the access itself
    }
    // The stacked PC the handler saw is where the report says the fault was.
    char pc[16];
    std::snprintf(pc, sizeof pc, "0x%08x", fault.pc);
    CHECK(f.value("hardfault_pc") == pc);
  }
}

TEST_CASE("a fault inside the HardFault handler locks the core up, and that is reported") {
  MachineFixture f("fault_lockup", semihosting());
  f.m().power_on();
  emu::RunResult r = f.m().run_for(f.ms(1000));
  CHECK(r.reason == emu::StopReason::Lockup);
  REQUIRE_FALSE(f.m().faults().empty());
  CHECK(f.m().faults().back().kind == "lockup");
  CHECK(f.m().faults().back().detail.find("HardFault_Handler") != std::string::npos);
}

TEST_CASE("a runaway loop is stopped by the instruction budget with a report") {
  MachineFixture f("runaway", semihosting(5'000'000));
  f.m().power_on();
  emu::RunResult r = f.m().run_for(f.ms(10'000));
  CHECK(r.reason == emu::StopReason::Budget);
  CHECK(f.m().instructions() == 5'000'000);  // exact: the budget is a deadline, not a poll
  REQUIRE(f.m().faults().size() == 1);
  CHECK(f.m().faults()[0].kind == "instruction budget exhausted");
  CHECK(f.m().symbols().describe(f.m().faults()[0].pc).find("spin") != std::string::npos);
}

TEST_CASE("determinism: the exception-heavy programs give one hash for any run-chunk size") {
  for (const char* program : {"exc_nesting", "svc_pendsv", "systick"}) {
    CAPTURE(program);
    std::uint64_t reference = run_program(program)->m().trace_hash();
    CHECK(run_program(program, 1000)->m().trace_hash() == reference);
    CHECK(run_program(program, 7)->m().trace_hash() == reference);
  }
}

TEST_CASE("snapshot: a snapshot restored into a new machine finishes like the original, at any point") {
  // The CPU section is registers by name (docs/snapshot-format.md), so a snapshot loads into a
  // machine with another Unicorn engine (as a file in another process would). Points are spread
  // over the programs' runs to catch handler mode, PSP threads, masks and FP state in flight.
  for (const char* program : {"exc_nesting", "svc_pendsv", "systick"}) {
    CAPTURE(program);
    auto reference = run_program(program);
    const emu::Ticks end = reference->m().now();
    for (int i = 1; i <= 16; ++i) {
      const emu::Ticks at = end * i / 17 + i * 7;  // odd offsets: not only round chunk boundaries
      CAPTURE(at);
      MachineFixture original(program, semihosting());
      original.m().power_on();
      original.m().run_until(at);
      std::vector<std::uint8_t> snap = original.m().save_snapshot();
      MachineFixture copy(program, semihosting());
      REQUIRE(copy.m().restore_snapshot(snap) == "");
      copy.lines = original.lines;
      copy.partial = original.partial;
      emu::RunResult r = copy.m().run_for(copy.ms(10'000));
      CHECK(r.reason == emu::StopReason::Exited);
      CHECK(copy.m().trace_hash() == reference->m().trace_hash());
      CHECK(copy.m().now() == end);
      CHECK(copy.transcript() == reference->transcript());
    }
  }
}

TEST_CASE("a fault with no HardFault handler in the vector table is reported, not executed") {
  MachineFixture f("fault_read", semihosting());
  std::uint32_t zero = 0;
  std::memcpy(f.m().bus().host(4 * 3, 4), &zero, 4);  // vector 3 (HardFault) := 0
  f.m().power_on();
  emu::RunResult r = f.m().run_for(f.ms(1000));
  CHECK(r.reason == emu::StopReason::Lockup);
  REQUIRE(f.m().faults().size() == 2);
  CHECK(f.m().faults()[0].kind == "bad read");
  CHECK(f.m().faults()[1].detail.find("no handler for exception 3") != std::string::npos);
}

TEST_CASE("flash: firmware programs flash through the controller; a power cut mid-write tears it") {
  auto f = run_program("flash_writer");
  CHECK(f->value("programmed") == "64");
  CHECK(f->value("verify") == "ok");

  // Same program, power cut while the 10th program operation is in flight, policy torn.
  MachineFixture g("flash_writer", semihosting());
  auto* fc = dynamic_cast<periph::FlashController*>(g.m().device("flashctl"));
  REQUIRE(fc);
  fc->set_power_loss_policy(periph::PowerLossPolicy::Torn);
  std::uint64_t cut_at = 0;
  fc->add_op_sink([&](const periph::FlashOp& op) {
    if (op.seq == 11 && op.end == 0) {  // op 1 is the erase, ops 2.. are programs
      cut_at = op.address;
      g.m().request_halt();
      g.m().cpu().stop_at_next_block();
    }
  });
  g.m().power_on();
  emu::RunResult r = g.m().run_for(g.ms(1000));
  REQUIRE(r.reason == emu::StopReason::Halted);
  REQUIRE(fc->busy());
  g.m().power_off();
  CHECK(cut_at == 0x40000 + 4 * 9);
  std::uint32_t words[11];
  std::memcpy(words, g.m().bus().host(0x40000, sizeof words), sizeof words);
  CHECK(words[8] == 0xA5000008u);  // completed before the cut
  CHECK(words[9] != 0xA5000009u);  // torn: some bits of the write were lost ...
  CHECK(words[9] != 0xFFFFFFFFu);  // ... and some made it
  CHECK(words[10] == 0xFFFFFFFFu);  // never started
  // Flash keeps its contents across the power cycle; RAM does not.
  g.m().power_on();
  std::memcpy(words, g.m().bus().host(0x40000, sizeof words), sizeof words);
  CHECK(words[8] == 0xA5000008u);
}
