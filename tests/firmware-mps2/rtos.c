// RTOS-style test: two PSP threads switched by PendSV (requested from SysTick and by SVC #1),
// started by SVC #0, with CMSDK TIMER0 and TIMER1 interrupts at two priorities (TIMER1 can
// preempt TIMER0), BASEPRI critical sections around a counter the interrupts also update,
// and, when built hard-float (an386), FP registers loaded in threads and in interrupts and
// checked for corruption across thousands of preemptions (PendSV saves s16-s31 when
// EXC_RETURN bit 4 is 0; s0-s15 rely on the extended frame / lazy stacking).
// Prints only results that do not depend on timing, so QEMU and hilsim print the same.
#include "mps2.h"

#define NTHREADS 2
#define STACK_WORDS 1024
#ifndef TARGET_SWITCHES
#define TARGET_SWITCHES 3000
#endif

static uint32_t* thread_sp[NTHREADS];
static uint32_t stacks[NTHREADS][STACK_WORDS] __attribute__((aligned(8)));
static volatile uint32_t current, switches, systicks, t0_irqs, t1_irqs;
static volatile uint32_t shared_counter, thread_incs[NTHREADS], isr_incs;
static volatile uint32_t fp_thread_errors, fp_isr_errors, math_errors, svc_errors;
static volatile uint32_t rounds[NTHREADS], in_timer0, nested;

static inline void set_basepri(uint32_t v) { __asm volatile("msr basepri, %0" ::"r"(v) : "memory"); }
static inline void irq_off(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_on(void) { __asm volatile("cpsie i" ::: "memory"); }

// Loads s0..s(n-1) from `in`, spins, stores them to `out`; counts mismatches.
static uint32_t fp_regs_hold(uint32_t seed, uint32_t spin, int all32) {
#if defined(__ARM_FP)
  uint32_t in[32], out[32], bad = 0;
  for (int i = 0; i < 32; ++i) in[i] = seed * 0x9E3779B1u + (uint32_t)i * 0x01000193u;
  if (all32) {
    __asm volatile(
        "vldmia %[in], {s0-s31}\n"
        "1: subs %[n], %[n], #1\n"
        "bne 1b\n"
        "vstmia %[out], {s0-s31}\n"
        : [n] "+r"(spin)
        : [in] "r"(in), [out] "r"(out)
        : "memory", "cc", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12",
          "d13", "d14", "d15");
  } else {
    __asm volatile(
        "vldmia %[in], {s0-s15}\n"
        "1: subs %[n], %[n], #1\n"
        "bne 1b\n"
        "vstmia %[out], {s0-s15}\n"
        : [n] "+r"(spin)
        : [in] "r"(in), [out] "r"(out)
        : "memory", "cc", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7");
  }
  for (int i = 0; i < (all32 ? 32 : 16); ++i) bad += in[i] != out[i];
  return bad;
#else
  (void)seed;
  (void)all32;
  while (spin--) __asm volatile("" ::: "memory");
  return 0;
#endif
}

// Float maths whose result is exact-reproducible: the same on every round and every emulator.
static float series(uint32_t n) {
  float acc = 0.0f;
  for (uint32_t i = 1; i <= n; ++i) acc += 1.0f / ((float)i * (float)i);
  return acc;
}

void SysTick_Handler(void) {
  systicks++;
  SCB_ICSR = 1u << 28;  // PENDSVSET
}

static void isr_work(int timer) {
  volatile float x = (float)(timer ? t1_irqs : t0_irqs);
  x = x * 1.5f + 0.25f;
  if ((x - 0.25f) / 1.5f != (float)(timer ? t1_irqs : t0_irqs)) math_errors++;
  fp_isr_errors += fp_regs_hold(0x1000 + (uint32_t)timer, timer ? 50 : 600, 0);
  irq_off();
  shared_counter++;
  isr_incs++;
  irq_on();
}

void TIMER0_Handler(void) {
  TIMER_INTCLEAR(0) = 1;
  t0_irqs++;
  in_timer0 = 1;
  isr_work(0);
  in_timer0 = 0;
}

void TIMER1_Handler(void) {
  TIMER_INTCLEAR(1) = 1;
  t1_irqs++;
  if (in_timer0) nested++;
  isr_work(1);
}

uint32_t* switch_context(uint32_t* sp) {
  thread_sp[current] = sp;
  current = (current + 1) % NTHREADS;
  switches++;
  return thread_sp[current];
}

__attribute__((naked)) void PendSV_Handler(void) {
  __asm volatile(
      "mrs r0, psp\n"
#if defined(__ARM_FP)
      "tst lr, #0x10\n"
      "it eq\n"
      "vstmdbeq r0!, {s16-s31}\n"
#endif
      "stmdb r0!, {r4-r11, lr}\n"
      "bl switch_context\n"
      "ldmia r0!, {r4-r11, lr}\n"
#if defined(__ARM_FP)
      "tst lr, #0x10\n"
      "it eq\n"
      "vldmiaeq r0!, {s16-s31}\n"
#endif
      "msr psp, r0\n"
      "bx lr\n");
}

// SVC #0 starts thread 0 (its prepared frame); other numbers go to svc_dispatch(frame, n).
__attribute__((naked)) void SVC_Handler(void) {
  __asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "ldr r1, [r0, #24]\n"
      "ldrb r1, [r1, #-2]\n"
      "cmp r1, #0\n"
      "bne svc_dispatch\n"
      "ldr r0, =thread_sp\n"
      "ldr r0, [r0]\n"
      "ldmia r0!, {r4-r11, lr}\n"
      "msr psp, r0\n"
      "bx lr\n");
}

void svc_dispatch(uint32_t* frame, uint32_t n) {
  if (n == 1) SCB_ICSR = 1u << 28;      // yield
  else if (n == 2) frame[0] = frame[0] * 2;  // double r0
}

static uint32_t svc_double(uint32_t v) {
  register uint32_t r0 __asm("r0") = v;
  __asm volatile("svc 2" : "+r"(r0)::"memory");
  return r0;
}

static void finish(void) {
  irq_off();
  SYST_CSR = 0;
  TIMER_CTRL(0) = 0;
  TIMER_CTRL(1) = 0;
  uint32_t counter_ok = shared_counter == thread_incs[0] + thread_incs[1] + isr_incs;
  puts_("switches>=");
  put_dec(TARGET_SWITCHES);
  puts_(switches >= TARGET_SWITCHES ? " ok\n" : " FAIL\n");
  kv("both_threads_ran", rounds[0] > 0 && rounds[1] > 0);
  kv("timer_irqs_seen", t0_irqs > 0 && t1_irqs > 0);
  kv("fp_thread_errors", fp_thread_errors);
  kv("fp_isr_errors", fp_isr_errors);
  kv("math_errors", math_errors);
  kv("svc_errors", svc_errors);
  kv("counter_ok", counter_ok);
  int ok = counter_ok && !fp_thread_errors && !fp_isr_errors && !math_errors && !svc_errors &&
           rounds[0] > 0 && rounds[1] > 0 && t0_irqs > 0 && t1_irqs > 0;
  puts_(ok ? "rtos: PASS\n" : "rtos: FAIL\n");
  semihost_exit(ok ? 0 : 1);
}

static void thread(uint32_t id) {
  const float expected = series(200);
  for (;;) {
    fp_thread_errors += fp_regs_hold(id * 7 + rounds[id], 300, 1);
    if (series(200) != expected) math_errors++;
    set_basepri(0x40);  // masks both timers (0x40 and 0x80)
    uint32_t v = shared_counter;
    for (volatile int i = 0; i < 20; ++i) {
    }
    shared_counter = v + 1;
    thread_incs[id]++;
    set_basepri(0);
    if (svc_double(id + rounds[id]) != 2 * (id + rounds[id])) svc_errors++;
    if ((rounds[id] & 7) == 3) __asm volatile("svc 1");  // yield now and then
    rounds[id]++;
    if (id == 0 && switches >= TARGET_SWITCHES) finish();
  }
}

static void init_thread(uint32_t i) {
  uint32_t* sp = &stacks[i][STACK_WORDS];
  *--sp = 0x01000000u;                          // xPSR (T)
  *--sp = (uint32_t)thread & ~1u;               // PC
  *--sp = 0;                                    // LR (threads never return)
  for (int r = 0; r < 4; ++r) *--sp = 0;        // r12, r3, r2, r1
  *--sp = i;                                    // r0 = id
  *--sp = 0xFFFFFFFDu;                          // EXC_RETURN: thread, PSP, basic frame
  for (int r = 0; r < 8; ++r) *--sp = 0;        // r11..r4
  thread_sp[i] = sp;
}

int main(void) {
  puts_("rtos: start\n");
  for (uint32_t i = 0; i < NTHREADS; ++i) init_thread(i);
  SCB_SHPR(14) = 0xFF;  // PendSV lowest
  SCB_SHPR(15) = 0xC0;  // SysTick
  SCB_SHPR(11) = 0x00;  // SVCall
  NVIC_IPR(8) = 0x80;   // TIMER0
  NVIC_IPR(9) = 0x40;   // TIMER1 (preempts TIMER0)
  NVIC_ISER0 = (1u << 8) | (1u << 9);
  TIMER_RELOAD(0) = 3001;
  TIMER_CTRL(0) = 1 | 8;
  TIMER_RELOAD(1) = 1999;
  TIMER_CTRL(1) = 1 | 8;
  SYST_RVR = 4999;
  SYST_CVR = 0;
  SYST_CSR = 7;
  __asm volatile("svc 0");
  for (;;) {
  }
}
