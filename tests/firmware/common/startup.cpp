// Startup shared by the test programs: vector table (16 core exceptions + IRQ 0..31) and
// Reset_Handler (copy .data, zero .bss, static constructors, main). Same sequence as the
// demo-m4 firmware. Every handler is weak: a program defines only the ones it tests.
// Defaults: HardFault -> test_hardfault (prints the stacked PC, exit code 3); anything else
// -> test_unexpected (prints the exception number, exit code 2). See test.h.
#include <cstdint>

#include "test.h"

extern "C" {
extern uint32_t __stack_top;
extern uint32_t __data_start, __data_end, __data_load;
extern uint32_t __bss_start, __bss_end;
using InitFn = void (*)();
extern InitFn __init_array_start[], __init_array_end[];
}

int main();

#define CONTEXT_TRAMPOLINE(target) \
  asm volatile("mov r0, lr\n tst lr, #4\n ite eq\n mrseq r1, msp\n mrsne r1, psp\n b " #target)

extern "C" __attribute__((naked)) void Default_Handler() { CONTEXT_TRAMPOLINE(test_unexpected); }
extern "C" __attribute__((naked, weak)) void HardFault_Handler() { CONTEXT_TRAMPOLINE(test_hardfault); }

#define WEAK_HANDLER(name) extern "C" void name() noexcept __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(IRQ0_Handler);
WEAK_HANDLER(IRQ1_Handler);
WEAK_HANDLER(IRQ2_Handler);
WEAK_HANDLER(IRQ3_Handler);
WEAK_HANDLER(IRQ4_Handler);
WEAK_HANDLER(IRQ5_Handler);
WEAK_HANDLER(IRQ6_Handler);
WEAK_HANDLER(IRQ7_Handler);
WEAK_HANDLER(IRQ8_Handler);
WEAK_HANDLER(IRQ9_Handler);
WEAK_HANDLER(IRQ10_Handler);
WEAK_HANDLER(IRQ11_Handler);
WEAK_HANDLER(IRQ12_Handler);
WEAK_HANDLER(IRQ13_Handler);
WEAK_HANDLER(IRQ14_Handler);
WEAK_HANDLER(IRQ15_Handler);
WEAK_HANDLER(IRQ16_Handler);
WEAK_HANDLER(IRQ17_Handler);
WEAK_HANDLER(IRQ18_Handler);
WEAK_HANDLER(IRQ19_Handler);
WEAK_HANDLER(IRQ20_Handler);
WEAK_HANDLER(IRQ21_Handler);
WEAK_HANDLER(IRQ22_Handler);
WEAK_HANDLER(IRQ23_Handler);
WEAK_HANDLER(IRQ24_Handler);
WEAK_HANDLER(IRQ25_Handler);
WEAK_HANDLER(IRQ26_Handler);
WEAK_HANDLER(IRQ27_Handler);
WEAK_HANDLER(IRQ28_Handler);
WEAK_HANDLER(IRQ29_Handler);
WEAK_HANDLER(IRQ30_Handler);
WEAK_HANDLER(IRQ31_Handler);

extern "C" [[noreturn]] void Reset_Handler() {
  for (uint32_t *dst = &__data_start, *src = &__data_load; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  for (InitFn* f = __init_array_start; f < __init_array_end; ++f) (*f)();
  t::init();
  main();
  t::finish();
}

using Vector = void (*)();
extern "C" __attribute__((section(".isr_vector"), used)) const Vector g_vector_table[16 + cm4::kNumIrqs] = {
    reinterpret_cast<Vector>(&__stack_top), Reset_Handler, NMI_Handler, HardFault_Handler,
    MemManage_Handler, BusFault_Handler, UsageFault_Handler, nullptr, nullptr, nullptr, nullptr,
    SVC_Handler, DebugMon_Handler, nullptr, PendSV_Handler, SysTick_Handler,
    IRQ0_Handler, IRQ1_Handler, IRQ2_Handler, IRQ3_Handler, IRQ4_Handler, IRQ5_Handler,
    IRQ6_Handler, IRQ7_Handler, IRQ8_Handler, IRQ9_Handler, IRQ10_Handler, IRQ11_Handler,
    IRQ12_Handler, IRQ13_Handler, IRQ14_Handler, IRQ15_Handler, IRQ16_Handler, IRQ17_Handler,
    IRQ18_Handler, IRQ19_Handler, IRQ20_Handler, IRQ21_Handler, IRQ22_Handler, IRQ23_Handler,
    IRQ24_Handler, IRQ25_Handler, IRQ26_Handler, IRQ27_Handler, IRQ28_Handler, IRQ29_Handler,
    IRQ30_Handler, IRQ31_Handler,
};
