// Shared support for the emulator's test programs: polled uart0 output of `key=value` lines,
// self-checks, and the ARM semihosting exit (SYS_EXIT / SYS_EXIT_EXTENDED via BKPT 0xAB).
// Output format: one `key=value` per line, '\n' only; numbers are decimal, `0x` + 8 lower-case
// hex digits where the key is printed with kv_hex. A failed check prints `fail=<what>`;
// finish() prints `result=pass` and exits 0, or `result=fail` and exits with code 1.
// Exit codes: 0 pass · 1 self-check failed · 2 unexpected exception · 3 HardFault (default handler).
#pragma once
#include <cstdint>

#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"

namespace t {

void init();  // uart0: TXEN only (polled, no interrupts)
void put(char c);
void str(const char* s);
void line(const char* s);
void kv(const char* key, uint32_t v);
void kv_hex(const char* key, uint32_t v);
void kv_str(const char* key, const char* v);
void flush();  // waits until the last byte has left the wire (TXIDLE)

bool check(bool ok, const char* what);
bool str_equal(const char* a, const char* b);

[[noreturn]] void finish();
[[noreturn]] void exit(uint32_t code);

constexpr uint32_t kExitPass = 0;
constexpr uint32_t kExitCheckFailed = 1;
constexpr uint32_t kExitUnexpectedException = 2;
constexpr uint32_t kExitHardFault = 3;

}  // namespace t

// Defines the naked exception handler `name`, which calls
//   extern "C" void body(uint32_t exc_return, cm4::ExceptionFrame* frame)
// with LR as it was on entry and the hardware-stacked frame. `body` returns normally: it was
// entered by a branch, so its return goes through EXC_RETURN.
#define HANDLER_WITH_CONTEXT(name, body)                                        \
  extern "C" void body(uint32_t exc_return, cm4::ExceptionFrame* frame);        \
  extern "C" __attribute__((naked)) void name() {                               \
    asm volatile("mov r0, lr\n tst lr, #4\n ite eq\n mrseq r1, msp\n mrsne r1, psp\n b " #body); \
  }
