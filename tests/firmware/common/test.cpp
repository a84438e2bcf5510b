// Shared support for the test programs (see test.h), plus the memory functions GCC may call.
#include "test.h"

#include <cstddef>

namespace t {
namespace {
uint32_t g_failures;
demo_m4::Uart& uart() { return demo_m4::uart0(); }
}  // namespace

void init() {
  uart().CTRL = demo_m4::UART_CTRL_TXEN;
}

void put(char c) {
  while ((uart().STATUS & demo_m4::UART_STATUS_TXRDY) == 0) {
  }
  uart().DATA = static_cast<uint8_t>(c);
}

void str(const char* s) {
  while (*s != '\0') put(*s++);
}

void line(const char* s) {
  str(s);
  put('\n');
}

namespace {
void dec(uint32_t v) {
  char buf[10];
  unsigned n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n != 0) put(buf[--n]);
}
void hex(uint32_t v) {
  str("0x");
  for (int i = 28; i >= 0; i -= 4) put("0123456789abcdef"[(v >> i) & 0xF]);
}
}  // namespace

void kv(const char* key, uint32_t v) {
  str(key);
  put('=');
  dec(v);
  put('\n');
}

void kv_hex(const char* key, uint32_t v) {
  str(key);
  put('=');
  hex(v);
  put('\n');
}

void kv_str(const char* key, const char* v) {
  str(key);
  put('=');
  line(v);
}

void flush() {
  while ((uart().STATUS & demo_m4::UART_STATUS_TXIDLE) == 0) {
  }
}

bool check(bool ok, const char* what) {
  if (!ok) {
    ++g_failures;
    kv_str("fail", what);
  }
  return ok;
}

bool str_equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

void finish() {
  kv_str("result", g_failures == 0 ? "pass" : "fail");
  exit(g_failures == 0 ? kExitPass : kExitCheckFailed);
}

// ARM semihosting: SYS_EXIT (0x18) with r1 = ADP_Stopped_ApplicationExit (0x20026) for success;
// SYS_EXIT_EXTENDED (0x20) with r1 -> {0x20026, code} for anything else.
void exit(uint32_t code) {
  flush();
  const uint32_t block[2] = {0x20026u, code};
  register uint32_t r0 asm("r0") = code == 0 ? 0x18u : 0x20u;
  register uint32_t r1 asm("r1") = code == 0 ? 0x20026u : reinterpret_cast<uint32_t>(block);
  asm volatile("bkpt 0xAB" : : "r"(r0), "r"(r1) : "memory");
  for (;;) cm4::wfi();  // not reached under hilsim
}

}  // namespace t

// The default HardFault of every test program: report the stacked frame, exit with code 3.
extern "C" void test_hardfault(uint32_t exc_return, cm4::ExceptionFrame* frame) {
  t::kv_hex("hardfault_pc", frame->pc);
  t::kv_hex("hardfault_lr", frame->lr);
  t::kv_hex("hardfault_exc_return", exc_return);
  t::exit(t::kExitHardFault);
}

// Any other exception without a handler: report it, exit with code 2.
extern "C" void test_unexpected(uint32_t exc_return, cm4::ExceptionFrame* frame) {
  (void)exc_return;
  t::kv("unexpected_exception", cm4::get_ipsr() & cm4::ICSR_VECTACTIVE_MASK);
  t::kv_hex("unexpected_pc", frame->pc);
  t::exit(t::kExitUnexpectedException);
}

extern "C" {
void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  while (n-- != 0) *d++ = *s++;
  return dst;
}
void* memset(void* dst, int c, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  while (n-- != 0) *d++ = static_cast<uint8_t>(c);
  return dst;
}
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
}
