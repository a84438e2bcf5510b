// systick: the SysTick timer (ARMv7-M ARM B3.3) with the core clock as source.
// Checks: a VAL write clears it; COUNTFLAG sets on wrap and clears on read; a stopped counter
// holds; the interrupt arrives as exception 15 with EXC_RETURN 0xFFFFFFF9; ICSR.PENDSTSET
// pends it by software. Prints the exact counts it saw (the emulator test asserts them):
// countflag_polls, cvr_delta (two back-to-back VAL reads; may be 0), busy_ticks over a busy loop of
// 2*busy_iters+ instructions, and cvr_at_entry (VAL read first thing in the handler).
#include "test.h"

namespace {

constexpr uint32_t kReload = 9999;  // period: 10000 core cycles
constexpr uint32_t kBusyIters = 50000;

volatile uint32_t g_ticks;
volatile uint32_t g_cvr_at_entry;
volatile uint32_t g_ipsr;
volatile uint32_t g_exc_return;

// Exactly 2 instructions per iteration: subs, bne.
__attribute__((noinline)) void busy_loop(uint32_t iters) {
  asm volatile(
      "1: subs %0, %0, #1\n"
      "bne 1b\n"
      : "+r"(iters)
      :
      : "cc");
}

}  // namespace

HANDLER_WITH_CONTEXT(SysTick_Handler, systick_body)

extern "C" void systick_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  const uint32_t cvr = cm4::systick().VAL;
  if (g_ticks == 0) {
    g_cvr_at_entry = cvr;
    g_ipsr = cm4::get_ipsr();
    g_exc_return = exc_return;
  }
  g_ticks = g_ticks + 1;
}

int main() {
  cm4::SysTick& st = cm4::systick();
  t::kv_hex("calib", st.CALIB);

  // 1. Programming while stopped: any write to VAL clears it.
  st.CTRL = 0;
  st.LOAD = kReload;
  st.VAL = 1234;
  const uint32_t cvr_after_clear = st.VAL;
  t::kv("load", st.LOAD);
  t::kv("cvr_after_clear", cvr_after_clear);
  t::check(st.LOAD == kReload, "load_readback");
  t::check(cvr_after_clear == 0, "val_write_clears");
  t::check((st.CTRL & cm4::SYST_CTRL_COUNTFLAG) == 0, "countflag_clear_after_val_write");

  // 2. Running without interrupt: poll COUNTFLAG, which clears when read.
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_CLKSOURCE;
  uint32_t polls = 0;
  while ((st.CTRL & cm4::SYST_CTRL_COUNTFLAG) == 0) ++polls;
  const uint32_t ctrl_again = st.CTRL;
  t::kv("countflag_polls", polls);
  t::check((ctrl_again & cm4::SYST_CTRL_COUNTFLAG) == 0, "countflag_clears_on_read");
  const uint32_t cvr_a = st.VAL;
  const uint32_t cvr_b = st.VAL;
  t::kv("cvr_a", cvr_a);
  t::kv("cvr_b", cvr_b);
  t::kv("cvr_delta", cvr_a - cvr_b);  // 0 if the emulator advances time per block, not per insn
  t::check(cvr_a <= kReload && cvr_b <= kReload, "val_within_reload");
  t::check(cvr_a >= cvr_b, "val_counts_down");

  // 3. Stopped: VAL holds.
  st.CTRL = cm4::SYST_CTRL_CLKSOURCE;
  const uint32_t held_a = st.VAL;
  busy_loop(100);
  const uint32_t held_b = st.VAL;
  t::check(held_a == held_b, "stopped_val_holds");

  // 4. Interrupt every kReload + 1 cycles over a busy loop.
  cm4::exc_set_priority(cm4::kSysTick, 0x80);
  st.VAL = 0;
  g_ticks = 0;
  st.CTRL = cm4::SYST_CTRL_ENABLE | cm4::SYST_CTRL_TICKINT | cm4::SYST_CTRL_CLKSOURCE;
  busy_loop(kBusyIters);
  const uint32_t busy_ticks = g_ticks;
  t::kv("busy_iters", kBusyIters);
  t::kv("busy_ticks", busy_ticks);
  t::kv("cvr_at_entry", g_cvr_at_entry);
  t::kv("systick_ipsr", g_ipsr);
  t::kv_hex("systick_exc_return", g_exc_return);
  t::check(busy_ticks >= 1, "ticks_during_busy_loop");
  t::check(g_ipsr == cm4::kSysTick, "systick_ipsr");
  t::check(g_exc_return == cm4::EXC_RETURN_THREAD_MSP, "systick_exc_return");

  // 5. Sleeping: WFI until 5 more ticks.
  const uint32_t start = g_ticks;
  uint32_t wakeups = 0;
  while (g_ticks - start < 5) {
    cm4::wfi();
    ++wakeups;
  }
  const uint32_t wfi_ticks = g_ticks - start;  // before printing: printing takes ticks
  t::kv("wfi_ticks", wfi_ticks);
  t::kv("wfi_wakeups", wakeups);
  t::check(wfi_ticks == 5, "wfi_ticks");

  // 6. Software pend with the timer stopped: ICSR.PENDSTSET.
  st.CTRL = 0;
  const uint32_t before = g_ticks;
  cm4::irq_off();
  cm4::scb().ICSR = cm4::ICSR_PENDSTSET;
  cm4::dsb();
  const uint32_t pending_seen = (cm4::scb().ICSR & cm4::ICSR_PENDSTSET) != 0 ? 1 : 0;
  cm4::irq_on();
  cm4::isb();
  t::kv("pendstset_pending", pending_seen);
  t::kv("pendstset_ticks", g_ticks - before);
  t::check(g_ticks - before == 1, "pendstset_taken_once");
  return 0;
}
