// FPU context control, as the architecture defines it (ARMv7-M ARM B1.5.7, B3.2.20-B3.2.22).
// Everything printed depends only on the architecture, so QEMU (which implements lazy stacking
// and CPACR) and hilsim must print the same; exit status 0 iff every value is the expected one.
//
// an386 (Cortex-M4F):
//  lazy_*   FPCCR.LSPEN = 1. A thread on PSP with live FP state (CONTROL.FPCA = 1) pends PendSV.
//           On entry the handler sees LSPACT = 1 (with THREAD, HFRDY, MMRDY, BFRDY describing the
//           thread), FPCAR = its frame + 0x20 and the 18-word FP area not yet written; after its first FP instruction LSPACT = 0, the area holds the
//           thread's s0-s15 and FPSCR, and FPSCR in the handler came from FPDSCR. After the
//           return the thread has its s0-s15 and FPSCR back.
//  idle_*   The same with a handler that uses no FP: the area is never written, LSPACT is
//           cleared by the return, the thread's registers were never touched.
//  eager_*  FPCCR.LSPEN = 0: s0-s15/FPSCR are in the area on entry, LSPACT = 0, FPCAR unchanged.
//  nocp_*   CPACR.CP10 = 00: an FP instruction raises UsageFault NOCP with the stacked PC at it
//           (then HardFault/FORCED with UsageFault disabled); CP10 = 01: allowed privileged,
//           NOCP unprivileged.
// an385 (Cortex-M3, no FPU): nocp_* only; every FP instruction is NOCP there.
#include "mps2.h"

#define PATTERN 0xA5A5A5A5u
#define FPCCR_V7M_BITS 0xC000017Bu  // ASPEN LSPEN MONRDY BFRDY MMRDY HFRDY THREAD USER LSPACT
#define CFSR_NOCP (1u << 19)
#define SHCSR_USGFAULTENA (1u << 18)

static uint32_t failures;

static void expect_hex(const char* key, uint32_t value, uint32_t want) {
  kx(key, value);
  failures += value != want;
}
static void expect_true(const char* key, int cond) {
  kv(key, cond != 0);
  failures += !cond;
}

static uint32_t read_control(void) {
  uint32_t v;
  __asm volatile("mrs %0, control" : "=r"(v));
  return v;
}
static void write_control(uint32_t v) { __asm volatile("msr control, %0\n isb" ::"r"(v) : "memory"); }
static void barrier(void) { __asm volatile("dsb\n isb" ::: "memory"); }

// --- CPACR / NOCP (both boards) ------------------------------------------------------------

// One FP instruction, vmov.f32 s0, #1.0, as raw bits so that the Cortex-M3 build assembles it.
__attribute__((naked, noinline)) static void fp_op(void) {
  __asm volatile(".inst.w 0xeeb70a00\n"
                 "bx lr\n");
}
static uint32_t fp_op_address(void) { return (uint32_t)fp_op & ~1u; }

enum { FIX_ENABLE_FPU, FIX_SKIP, FIX_PRIVILEGE };  // how a fault handler lets the thread go on
static volatile uint32_t fault_count, fault_cfsr, fault_hfsr, fault_pc, fault_action;

void fault_body(uint32_t* frame, uint32_t hardfault) {
  fault_count++;
  fault_cfsr = SCB_CFSR;
  SCB_CFSR = fault_cfsr;  // write-one-to-clear
  if (hardfault) {
    fault_hfsr = SCB_HFSR;
    SCB_HFSR = fault_hfsr;
  }
  fault_pc = frame[6];
  if (fault_action == FIX_ENABLE_FPU) SCB_CPACR |= 0xFu << 20;  // the return retries it
  else if (fault_action == FIX_SKIP) frame[6] += 4;
  else write_control(read_control() & ~1u);  // privileged again, then retry
}

__attribute__((naked)) void UsageFault_Handler(void) {
  __asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "movs r1, #0\n"
      "push {r4, lr}\n"
      "bl fault_body\n"
      "pop {r4, pc}\n");
}

__attribute__((naked)) void HardFault_Handler(void) {
  __asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "movs r1, #1\n"
      "push {r4, lr}\n"
      "bl fault_body\n"
      "pop {r4, pc}\n");
}

static void nocp_tests(int has_fpu) {
  uint32_t fix = has_fpu ? FIX_ENABLE_FPU : FIX_SKIP;

  SCB_SHCSR |= SHCSR_USGFAULTENA;
  SCB_CPACR = 0;
  barrier();
  fault_count = 0;
  fault_action = fix;
  fp_op();
  expect_hex("nocp_usagefault_cfsr", fault_cfsr, CFSR_NOCP);
  expect_true("nocp_usagefault_pc_is_the_insn", fault_pc == fp_op_address());
  expect_true("nocp_usagefault_count", fault_count == 1);

  SCB_SHCSR &= ~SHCSR_USGFAULTENA;  // escalates to HardFault, FORCED
  SCB_CPACR = 0;
  barrier();
  fault_count = 0;
  fault_hfsr = 0;
  fp_op();
  expect_hex("nocp_hardfault_hfsr", fault_hfsr, 1u << 30);
  expect_hex("nocp_hardfault_cfsr", fault_cfsr, CFSR_NOCP);
  expect_true("nocp_hardfault_pc_is_the_insn", fault_pc == fp_op_address());
  if (!has_fpu) return;

  uint32_t s0;
  __asm volatile("vmov %0, s0" : "=r"(s0));
  expect_hex("nocp_retried_insn_result", s0, 0x3F800000u);  // 1.0f

  SCB_SHCSR |= SHCSR_USGFAULTENA;
  SCB_CPACR = 0x5u << 20;  // CP10 = CP11 = 01: privileged access only
  barrier();
  fault_count = 0;
  fp_op();
  expect_true("privileged_only_privileged_runs", fault_count == 0);
  fault_action = FIX_PRIVILEGE;
  write_control(read_control() | 1u);  // unprivileged thread
  fp_op();
  expect_true("privileged_only_unprivileged_nocp", fault_count == 1 && fault_cfsr == CFSR_NOCP);
  expect_true("privileged_only_pc_is_the_insn", fault_pc == fp_op_address());
  SCB_CPACR = 0xFu << 20;
  barrier();
}

// --- lazy / eager stacking (an386) -----------------------------------------------------------

#if defined(__ARM_FP)
struct observation {
  uint32_t exc_return, frame, fpccr_entry, fpcar_entry, control_entry, area_entry[18];
  uint32_t fpccr_after, control_after, fpscr_after, area_after[18];
};
static volatile struct observation obs;
static volatile uint32_t handler_uses_fp;
static uint32_t pstack[64] __attribute__((aligned(8)));  // the thread's stack during a probe
static uint32_t in[17], out[17];                          // s0-s15, FPSCR

// The handler's first FP instruction is this VLDM (it also clobbers s0-s15).
static void handler_fp_work(void) {
  static const uint32_t junk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  __asm volatile("vldmia %0, {s0-s15}" ::"r"(junk)
                 : "memory", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7");
}

void pendsv_body(uint32_t exc_return, uint32_t* frame) {
  obs.exc_return = exc_return;
  obs.frame = (uint32_t)frame;
  obs.fpccr_entry = FPCCR;
  obs.fpcar_entry = FPCAR;
  obs.control_entry = read_control();
  for (int i = 0; i < 18; ++i) obs.area_entry[i] = ((volatile uint32_t*)frame)[8 + i];
  obs.fpscr_after = 0;
  if (handler_uses_fp) {
    handler_fp_work();
    uint32_t fpscr;
    __asm volatile("vmrs %0, fpscr" : "=r"(fpscr));
    obs.fpscr_after = fpscr;
  }
  obs.fpccr_after = FPCCR;
  obs.control_after = read_control();
  for (int i = 0; i < 18; ++i) obs.area_after[i] = ((volatile uint32_t*)frame)[8 + i];
}

__attribute__((naked)) void PendSV_Handler(void) {
  __asm volatile(
      "mov r0, lr\n"
      "mrs r1, psp\n"
      "push {r0, lr}\n"
      "bl pendsv_body\n"
      "pop {r0, pc}\n");
}

// r0 = in, r1 = out, r2 = PSP top. On PSP: load s0-s15 and FPSCR, pend PendSV, store them.
__attribute__((naked, noinline)) static void probe_on_psp(const uint32_t* i, uint32_t* o, uint32_t* top) {
  (void)i;
  (void)o;
  (void)top;
  __asm volatile(
      "push {r4, lr}\n"
      "msr psp, r2\n"
      "mrs r3, control\n"
      "orr r3, r3, #2\n"
      "msr control, r3\n"
      "isb\n"
      "vldmia r0, {s0-s15}\n"
      "ldr r3, [r0, #64]\n"
      "vmsr fpscr, r3\n"
      "movw r3, #0xED04\n"
      "movt r3, #0xE000\n"
      "mov r4, #0x10000000\n"  // ICSR.PENDSVSET
      "str r4, [r3]\n"
      "dsb\n"
      "isb\n"
      "vstmia r1, {s0-s15}\n"
      "vmrs r3, fpscr\n"
      "str r3, [r1, #64]\n"
      "mrs r3, control\n"
      "bic r3, r3, #2\n"
      "msr control, r3\n"
      "isb\n"
      "pop {r4, pc}\n");
}

static void run_probe(uint32_t uses_fp) {
  for (int i = 0; i < 64; ++i) pstack[i] = PATTERN;
  for (int i = 0; i < 16; ++i) in[i] = 0x3F800000u + (uint32_t)i * 0x00012345u;
  in[16] = 0x00C00000u;  // FPSCR.RMode = round towards zero
  handler_uses_fp = uses_fp;
  probe_on_psp(in, out, &pstack[64]);
}

static int area_is(const volatile uint32_t* area, int words, const uint32_t* want) {
  for (int i = 0; i < words; ++i)
    if (area[i] != (want ? want[i] : PATTERN)) return 0;
  return 1;
}
static int thread_state_back(void) { return area_is(out, 17, in); }

static void stacking_tests(void) {
  FPDSCR = 0x03000000u;  // DN | FZ: the handler's new FP context starts with these
  // MemManage and BusFault enabled (priority 0, above the thread): FPCCR.MMRDY/BFRDY say so.
  // UsageFault stays disabled: QEMU would also set FPCCR bit 10, v8-M's UFRDY, which the M4
  // does not have.
  SCB_SHCSR |= (1u << 16) | (1u << 17);
  uint32_t frame_expected = (uint32_t)&pstack[64] - 0x68;

  run_probe(1);
  expect_hex("lazy_exc_return", obs.exc_return, 0xFFFFFFEDu);
  expect_true("lazy_frame_at_psp_top_minus_0x68", obs.frame == frame_expected);
  expect_hex("lazy_fpccr_on_entry", obs.fpccr_entry & FPCCR_V7M_BITS, 0xC0000079u);
  expect_true("lazy_fpcar_is_frame_plus_0x20", obs.fpcar_entry == obs.frame + 0x20);
  expect_true("lazy_fpca_clear_on_entry", !((obs.control_entry >> 2) & 1));
  expect_true("lazy_area_unwritten_on_entry", area_is(obs.area_entry, 18, 0));
  expect_hex("lazy_fpccr_after_first_fp", obs.fpccr_after & FPCCR_V7M_BITS, 0xC0000078u);
  expect_true("lazy_fpca_after_first_fp", (obs.control_after >> 2) & 1);
  expect_true("lazy_area_holds_thread_s0_s15_fpscr", area_is(obs.area_after, 17, in));
  expect_true("lazy_reserved_word_unwritten", obs.area_after[17] == PATTERN);
  expect_hex("lazy_handler_fpscr_from_fpdscr", obs.fpscr_after, 0x03000000u);
  expect_true("lazy_thread_state_back", thread_state_back());

  run_probe(0);
  expect_hex("idle_fpccr_in_handler", obs.fpccr_after & FPCCR_V7M_BITS, 0xC0000079u);
  expect_true("idle_area_never_written", area_is(&pstack[64 - 0x48 / 4], 18, 0));
  expect_true("idle_thread_state_kept", thread_state_back());
  expect_hex("idle_fpccr_after_return", FPCCR & FPCCR_V7M_BITS, 0xC0000078u);

  uint32_t fpcar_before = FPCAR;
  FPCCR &= ~(1u << 30);  // LSPEN = 0
  barrier();
  run_probe(1);
  expect_hex("eager_fpccr_on_entry", obs.fpccr_entry & FPCCR_V7M_BITS, 0x80000078u);
  expect_true("eager_fpcar_unchanged", obs.fpcar_entry == fpcar_before);
  expect_true("eager_area_written_on_entry", area_is(obs.area_entry, 17, in));
  expect_true("eager_reserved_word_unwritten", obs.area_entry[17] == PATTERN);
  expect_true("eager_thread_state_back", thread_state_back());
  FPCCR |= 1u << 30;
  barrier();
}
#endif

int main(void) {
#if defined(__ARM_FP)
  puts_("fpu: cortex-m4f\n");
  stacking_tests();
  nocp_tests(1);
#else
  puts_("fpu: cortex-m3\n");
  nocp_tests(0);
#endif
  puts_(failures ? "fpu: FAIL\n" : "fpu: PASS\n");
  return failures ? 1 : 0;
}
