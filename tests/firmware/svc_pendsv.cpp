// svc_pendsv: SVC with an argument in the stacked r0 and a result written back to it; PendSV
// set from the SVC handler and tail-chained after it; thread mode on PSP (CONTROL.SPSEL) with
// EXC_RETURN 0xFFFFFFFD; VTOR moved to a RAM copy of the vector table and an IRQ (8, unwired)
// taken through it (the flash table's entry would report unexpected_exception=24).
#include "test.h"

extern "C" const void* const g_vector_table[16 + cm4::kNumIrqs];

namespace {

constexpr uint32_t kRelocIrq = 8;

volatile uint8_t g_log[16];
volatile uint32_t g_log_len;
volatile uint32_t g_svc_count, g_svc_number, g_svc_arg, g_svc_exc_return, g_svc_frame;
volatile uint32_t g_pendsv_count, g_pendsv_ipsr, g_pendsv_exc_return, g_pendsv_seen_in_svc;
volatile uint32_t g_reloc_count, g_reloc_ipsr;

void log(uint8_t code) {
  const uint32_t n = g_log_len;
  if (n < sizeof(g_log)) {
    g_log[n] = code;
    g_log_len = n + 1;
  }
}

// Tokens: S+ S- (SVC), P+ P- (PendSV), T (thread).
void expect_sequence(const char* key, const char* expected) {
  char buf[48];
  uint32_t o = 0;
  for (uint32_t i = 0; i < g_log_len; ++i) {
    if (i != 0) buf[o++] = ',';
    const uint8_t e = g_log[i];
    buf[o++] = static_cast<char>(e & 0x7F);
    if (e != 'T') buf[o++] = (e & 0x80) != 0 ? '-' : '+';
  }
  buf[o] = '\0';
  t::kv_str(key, buf);
  t::check(t::str_equal(buf, expected), key);
}

__attribute__((noinline)) uint32_t svc_0x12(uint32_t arg) {
  register uint32_t r0 asm("r0") = arg;
  asm volatile("svc #0x12" : "+r"(r0) : : "memory");
  return r0;
}

alignas(8) uint32_t g_process_stack[256];
alignas(256) const void* g_ram_vectors[16 + cm4::kNumIrqs];  // 48 entries -> 256-byte alignment

// Runs fn() in thread mode on the process stack, then switches back to MSP.
__attribute__((naked, noinline)) void run_on_psp(void (*)(), uint32_t* /*psp_top*/) {
  asm volatile(
      "push {r4, lr}\n"
      "msr psp, r1\n"
      "mrs r4, control\n"
      "orr r2, r4, #2\n"
      "msr control, r2\n"
      "isb\n"
      "blx r0\n"
      "msr control, r4\n"
      "isb\n"
      "pop {r4, pc}\n");
}

volatile uint32_t g_psp_control, g_psp_ret, g_psp_sp_ok, g_msp_kept;

void psp_body() {
  g_psp_control = cm4::get_control();
  const uint32_t msp_before = cm4::get_msp();
  g_log_len = 0;
  g_psp_ret = svc_0x12(0x5678);
  log('T');
  g_msp_kept = cm4::get_msp() == msp_before ? 1 : 0;
  const uint32_t lo = reinterpret_cast<uint32_t>(&g_process_stack[0]);
  const uint32_t hi = reinterpret_cast<uint32_t>(&g_process_stack[256]);
  g_psp_sp_ok = g_svc_frame >= lo && g_svc_frame + 32 <= hi ? 1 : 0;
}

}  // namespace

HANDLER_WITH_CONTEXT(SVC_Handler, svc_body)
HANDLER_WITH_CONTEXT(PendSV_Handler, pendsv_body)

extern "C" void svc_body(uint32_t exc_return, cm4::ExceptionFrame* frame) {
  log('S');
  g_svc_count = g_svc_count + 1;
  g_svc_number = reinterpret_cast<const uint16_t*>(frame->pc)[-1] & 0xFF;
  g_svc_arg = frame->r0;
  g_svc_exc_return = exc_return;
  g_svc_frame = reinterpret_cast<uint32_t>(frame);
  frame->r0 = frame->r0 + 1;  // the caller sees this as the SVC's result
  cm4::scb().ICSR = cm4::ICSR_PENDSVSET;
  cm4::dsb();
  cm4::isb();
  g_pendsv_seen_in_svc = g_pendsv_count;  // PendSV has lower priority: still 0
  log('S' | 0x80);
}

extern "C" void pendsv_body(uint32_t exc_return, cm4::ExceptionFrame*) {
  log('P');
  g_pendsv_count = g_pendsv_count + 1;
  g_pendsv_ipsr = cm4::get_ipsr();
  g_pendsv_exc_return = exc_return;
  log('P' | 0x80);
}

extern "C" void relocated_irq_handler() {
  g_reloc_count = g_reloc_count + 1;
  g_reloc_ipsr = cm4::get_ipsr();
}

int main() {
  cm4::exc_set_priority(cm4::kSvCall, 0x80);
  cm4::exc_set_priority(cm4::kPendSv, 0xFF);

  // 1. SVC on MSP, PendSV tail-chained.
  g_log_len = 0;
  const uint32_t ret = svc_0x12(0x1234);
  log('T');
  t::kv_hex("svc_number", g_svc_number);
  t::kv_hex("svc_arg", g_svc_arg);
  t::kv_hex("svc_ret", ret);
  t::kv_hex("svc_exc_return", g_svc_exc_return);
  t::kv("pendsv_in_svc", g_pendsv_seen_in_svc);
  t::kv("pendsv_count", g_pendsv_count);
  t::kv("pendsv_ipsr", g_pendsv_ipsr);
  t::kv_hex("pendsv_exc_return", g_pendsv_exc_return);
  t::check(g_svc_number == 0x12, "svc_number");
  t::check(g_svc_arg == 0x1234 && ret == 0x1235, "svc_arg_ret");
  t::check(g_svc_exc_return == cm4::EXC_RETURN_THREAD_MSP, "svc_exc_return");
  t::check(g_pendsv_seen_in_svc == 0 && g_pendsv_count == 1, "pendsv_after_svc");
  t::check(g_pendsv_ipsr == cm4::kPendSv, "pendsv_ipsr");
  t::check(g_pendsv_exc_return == cm4::EXC_RETURN_THREAD_MSP, "pendsv_exc_return");
  expect_sequence("seq_msp", "S+,S-,P+,P-,T");

  // 2. The same from thread mode on PSP.
  run_on_psp(psp_body, &g_process_stack[256]);
  t::kv_hex("psp_control", g_psp_control);
  t::kv_hex("psp_svc_ret", g_psp_ret);
  t::kv_hex("psp_svc_exc_return", g_svc_exc_return);
  t::kv_hex("psp_pendsv_exc_return", g_pendsv_exc_return);
  t::kv("psp_frame_on_process_stack", g_psp_sp_ok);
  t::kv("psp_msp_unchanged", g_msp_kept);
  t::kv_hex("control_after", cm4::get_control());
  t::check(g_psp_control == 2, "psp_control");
  t::check(g_psp_ret == 0x5679, "psp_svc_ret");
  t::check(g_svc_exc_return == cm4::EXC_RETURN_THREAD_PSP, "psp_svc_exc_return");
  t::check(g_pendsv_exc_return == cm4::EXC_RETURN_THREAD_PSP, "psp_pendsv_exc_return");
  t::check(g_psp_sp_ok == 1, "psp_frame_on_process_stack");
  t::check(g_msp_kept == 1, "psp_msp_unchanged");
  t::check(cm4::get_control() == 0, "control_back_to_msp");
  expect_sequence("seq_psp", "S+,S-,P+,P-,T");

  // 3. VTOR -> RAM copy with IRQ 8 redirected.
  for (uint32_t i = 0; i < 16 + cm4::kNumIrqs; ++i) g_ram_vectors[i] = g_vector_table[i];
  g_ram_vectors[16 + kRelocIrq] = reinterpret_cast<const void*>(relocated_irq_handler);
  cm4::scb().VTOR = reinterpret_cast<uint32_t>(g_ram_vectors);
  cm4::dsb();
  cm4::isb();
  cm4::irq_set_priority(kRelocIrq, 0x80);
  cm4::irq_enable(kRelocIrq);
  cm4::irq_pend(kRelocIrq);
  cm4::dsb();
  cm4::isb();
  const uint32_t svc_before = g_svc_count;
  const uint32_t ret2 = svc_0x12(0x9);
  t::kv_hex("vtor", cm4::scb().VTOR);
  t::kv("relocated_irq_count", g_reloc_count);
  t::kv("relocated_irq_ipsr", g_reloc_ipsr);
  t::check(cm4::scb().VTOR == reinterpret_cast<uint32_t>(g_ram_vectors), "vtor_readback");
  t::check(g_reloc_count == 1 && g_reloc_ipsr == 16 + kRelocIrq, "relocated_irq");
  t::check(g_svc_count == svc_before + 1 && ret2 == 0xA, "svc_through_ram_table");
  return 0;
}
