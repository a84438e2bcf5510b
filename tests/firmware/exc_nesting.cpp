// exc_nesting: NVIC preemption, tail-chaining, priority grouping and masking (ARMv7-M ARM
// B1.5.4 priorities, B1.5.6 entry, B1.5.8 return). Uses IRQ 4..7, which no peripheral drives
// on demo-m4, and pends them only in software (NVIC_ISPR).
// Logs each handler entry (+N) and exit (-N) plus a thread mark (T) and compares with the
// architectural order. Prints, per phase, `seq_<phase>=...`, and per IRQ the IPSR and
// EXC_RETURN seen; checks that r0-r3, r12 and APSR flags survive preemption.
#include "test.h"

namespace {

constexpr uint32_t kA = 4, kB = 5, kC = 6, kD = 7;
constexpr uint32_t kIrqs[] = {kA, kB, kC, kD};

volatile uint8_t g_log[32];
volatile uint32_t g_log_len;
volatile uint32_t g_phase;
volatile uint32_t g_count[8];
volatile uint32_t g_ipsr[8];
volatile uint32_t g_exc_return[8];
volatile uint32_t g_regs_bad_in_a;
volatile uint32_t g_iabr_in_b;
volatile uint32_t g_icsr_in_a;
volatile uint32_t g_icsr_in_b;

constexpr uint8_t kExit = 0x80;
constexpr uint8_t kThread = 0xFF;

void log(uint8_t code) {
  const uint32_t n = g_log_len;
  if (n < sizeof(g_log)) {
    g_log[n] = code;
    g_log_len = n + 1;
  }
}

void enter(uint32_t irq, uint32_t exc_return) {
  log(static_cast<uint8_t>(irq));
  g_count[irq] = g_count[irq] + 1;
  g_ipsr[irq] = cm4::get_ipsr();
  g_exc_return[irq] = exc_return;
}

void pend_now(uint32_t irq) {
  cm4::irq_pend(irq);
  cm4::dsb();
  cm4::isb();
}

// Loads r0-r3, r12 and APSR.NZCVQ with known values, pends `irq`, lets it be taken (DSB, ISB),
// then returns a bit mask of what changed: bit0..3 r0..r3, bit4 r12, bit5 flags.
__attribute__((noinline)) uint32_t pend_and_check_regs(uint32_t irq, uint32_t seed) {
  volatile uint32_t* ispr = &cm4::nvic().ISPR[0];
  const uint32_t bit = 1u << irq;
  uint32_t bad, tmp;
  asm volatile(
      "mov r0, %[seed]\n"
      "add r1, r0, #1\n"
      "add r2, r0, #2\n"
      "add r3, r0, #3\n"
      "add r12, r0, #12\n"
      "mov %[tmp], #0xA8000000\n"
      "msr APSR_nzcvq, %[tmp]\n"
      "str %[bit], [%[ispr]]\n"
      "dsb\n"
      "isb\n"
      "mrs %[tmp], APSR\n"
      "and %[tmp], %[tmp], #0xF8000000\n"
      "mov %[bad], #0\n"
      "cmp %[tmp], #0xA8000000\n"
      "it ne\n"
      "orrne %[bad], %[bad], #0x20\n"
      "cmp r0, %[seed]\n"
      "it ne\n"
      "orrne %[bad], %[bad], #1\n"
      "sub r1, r1, #1\n"
      "cmp r1, %[seed]\n"
      "it ne\n"
      "orrne %[bad], %[bad], #2\n"
      "sub r2, r2, #2\n"
      "cmp r2, %[seed]\n"
      "it ne\n"
      "orrne %[bad], %[bad], #4\n"
      "sub r3, r3, #3\n"
      "cmp r3, %[seed]\n"
      "it ne\n"
      "orrne %[bad], %[bad], #8\n"
      "sub r12, r12, #12\n"
      "cmp r12, %[seed]\n"
      "it ne\n"
      "orrne %[bad], %[bad], #0x10\n"
      : [bad] "=&r"(bad), [tmp] "=&r"(tmp)
      : [seed] "r"(seed), [bit] "r"(bit), [ispr] "r"(ispr)
      : "r0", "r1", "r2", "r3", "r12", "cc", "memory");
  return bad;
}

// Overwrites every caller-saved register and the flags.
void clobber_scratch_regs() {
  asm volatile(
      "mov r0, #0\n mov r1, #0\n mov r2, #0\n mov r3, #0\n mov r12, #0\n"
      "msr APSR_nzcvq, r0\n" ::: "r0", "r1", "r2", "r3", "r12", "cc");
}

// Renders the log as "+4,+5,-5,-4,T" into buf.
void render(char* buf, uint32_t size) {
  uint32_t o = 0;
  for (uint32_t i = 0; i < g_log_len && o + 5 < size; ++i) {
    const uint8_t e = g_log[i];
    if (i != 0) buf[o++] = ',';
    if (e == kThread) {
      buf[o++] = 'T';
      continue;
    }
    buf[o++] = (e & kExit) != 0 ? '-' : '+';
    const uint32_t n = e & 0x7F;
    if (n >= 10) buf[o++] = static_cast<char>('0' + n / 10);
    buf[o++] = static_cast<char>('0' + n % 10);
  }
  buf[o] = '\0';
}

void expect_sequence(const char* key, const char* expected) {
  char buf[96];
  render(buf, sizeof(buf));
  t::kv_str(key, buf);
  t::check(t::str_equal(buf, expected), key);
}

void start_phase(uint32_t phase) {
  g_phase = phase;
  g_log_len = 0;
  for (auto& c : g_count) c = 0;
}

void set_prio(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  cm4::irq_set_priority(kA, a);
  cm4::irq_set_priority(kB, b);
  cm4::irq_set_priority(kC, c);
  cm4::irq_set_priority(kD, d);
}

void set_prigroup(uint32_t group) {
  cm4::scb().AIRCR = cm4::AIRCR_VECTKEY | (group << cm4::AIRCR_PRIGROUP_SHIFT);
  cm4::dsb();
}

}  // namespace

// ============================================================ [handlers]
HANDLER_WITH_CONTEXT(IRQ4_Handler, irq_a_body)
HANDLER_WITH_CONTEXT(IRQ5_Handler, irq_b_body)
HANDLER_WITH_CONTEXT(IRQ6_Handler, irq_c_body)
HANDLER_WITH_CONTEXT(IRQ7_Handler, irq_d_body)

extern "C" void irq_a_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  enter(kA, exc_return);
  if (g_phase == 1) {
    g_icsr_in_a = cm4::scb().ICSR;
    g_regs_bad_in_a = pend_and_check_regs(kB, 0xB0B0B000u);  // higher priority: preempts
    pend_now(kC);                                            // equal priority: waits
    pend_now(kD);                                            // lower priority: waits
  } else if (g_phase == 2) {
    pend_now(kB);  // same group priority, better subpriority: waits
    pend_now(kC);  // better group priority: preempts
  }
  log(kExit | kA);
}

extern "C" void irq_b_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  enter(kB, exc_return);
  if (g_phase == 1) {
    g_iabr_in_b = cm4::nvic().IABR[0];
    g_icsr_in_b = cm4::scb().ICSR;
  }
  clobber_scratch_regs();
  log(kExit | kB);
}

extern "C" void irq_c_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  enter(kC, exc_return);
  clobber_scratch_regs();
  log(kExit | kC);
}

extern "C" void irq_d_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  enter(kD, exc_return);
  clobber_scratch_regs();
  log(kExit | kD);
}

// ============================================================ [phases]
int main() {
  // Implemented priority bits: unimplemented low bits of IPR read as zero.
  cm4::irq_set_priority(kA, 0xFF);
  t::kv_hex("ipr_readback", cm4::nvic().IPR[kA]);

  for (uint32_t irq : kIrqs) cm4::irq_enable(irq);

  // 1. Preemption and tail-chaining (PRIGROUP 0). A=0xC0, B=0x40 (higher), C=0xC0 (equal),
  //    D=0xE0 (lower). Thread pends A; A pends B (preempts at once), then C and D, which run
  //    after A returns, C before D, without returning to thread in between.
  start_phase(1);
  set_prio(0xC0, 0x40, 0xC0, 0xE0);
  const uint32_t regs_bad_thread = pend_and_check_regs(kA, 0xA0A0A000u);
  log(kThread);
  expect_sequence("seq_preempt", "+4,+5,-5,-4,+6,-6,+7,-7,T");
  for (uint32_t irq : kIrqs) {
    char key[] = "ipsr_irqN";
    key[8] = static_cast<char>('0' + irq);
    t::kv(key, g_ipsr[irq]);
    t::check(g_ipsr[irq] == 16 + irq, key);
    char lr_key[] = "exc_return_irqN";
    lr_key[14] = static_cast<char>('0' + irq);
    t::kv_hex(lr_key, g_exc_return[irq]);
    const uint32_t want = irq == kB ? cm4::EXC_RETURN_HANDLER : cm4::EXC_RETURN_THREAD_MSP;
    t::check(g_exc_return[irq] == want, lr_key);
  }
  t::kv_hex("regs_bad_thread", regs_bad_thread);
  t::check(regs_bad_thread == 0, "regs_preserved_thread");
  t::kv_hex("regs_bad_in_irq4", g_regs_bad_in_a);
  t::check(g_regs_bad_in_a == 0, "regs_preserved_handler");
  t::kv_hex("iabr_in_irq5", g_iabr_in_b);           // expected 0x30: A and B active
  t::kv_hex("icsr_in_irq4", g_icsr_in_a);           // VECTACTIVE 20, RETTOBASE 1
  t::kv_hex("icsr_in_irq5", g_icsr_in_b);           // VECTACTIVE 21, RETTOBASE 0

  // 2. Priority grouping: PRIGROUP 5 = group bits [7:6], subpriority [5:0].
  //    A=0x60 (group 1, sub 0x20), B=0x40 (group 1, sub 0), C=0x00 (group 0).
  //    A pends B: same group, must not preempt. A pends C: preempts.
  set_prigroup(5);
  start_phase(2);
  set_prio(0x60, 0x40, 0x00, 0xE0);
  pend_now(kA);
  log(kThread);
  expect_sequence("seq_prigroup", "+4,+6,-6,-4,+5,-5,T");
  //    Both pending at once (while masked): the better subpriority (B) is taken first.
  start_phase(3);
  cm4::irq_off();
  cm4::irq_pend(kA);
  cm4::irq_pend(kB);
  cm4::irq_on();
  cm4::isb();
  log(kThread);
  expect_sequence("seq_subpriority", "+5,-5,+4,-4,T");
  set_prigroup(0);

  // 3. PRIMASK: a pended IRQ waits while masked, and is taken right after cpsie i.
  start_phase(4);
  set_prio(0x80, 0x40, 0xC0, 0xE0);
  cm4::irq_off();
  pend_now(kA);
  const uint32_t a_while_primask = g_count[kA];
  cm4::irq_on();
  cm4::isb();
  const uint32_t a_after_primask = g_count[kA];
  t::kv("primask_masked_count", a_while_primask);
  t::kv("primask_unmasked_count", a_after_primask);
  t::check(a_while_primask == 0 && a_after_primask == 1, "primask");

  // 4. BASEPRI 0x80 masks A (0x80) but not B (0x40); clearing it lets A in.
  start_phase(5);
  cm4::set_basepri(0x80);
  cm4::isb();
  pend_now(kA);
  const uint32_t a_while_basepri = g_count[kA];
  pend_now(kB);
  const uint32_t b_while_basepri = g_count[kB];
  cm4::set_basepri(0);
  cm4::isb();
  const uint32_t a_after_basepri = g_count[kA];
  log(kThread);
  t::kv("basepri_masked_count", a_while_basepri);
  t::kv("basepri_above_count", b_while_basepri);
  t::kv("basepri_unmasked_count", a_after_basepri);
  t::check(a_while_basepri == 0 && b_while_basepri == 1 && a_after_basepri == 1, "basepri");
  expect_sequence("seq_basepri", "+5,-5,+4,-4,T");
  return 0;
}
