// demo-m4 startup: vector table (16 core exceptions + IRQ 0..31) and Reset_Handler.
// Follows ARMv7-M ARM B1.5.3 (vector table) and the usual bare-metal C++ start sequence:
// copy .data from its load address in flash, zero .bss, run static constructors, call main.
// Every handler the application does not define is a weak alias of Default_Handler, which
// hands the stacked frame to fault_entry() (app/fault.cpp). No FPU set-up: soft-float build.
#include <cstdint>

#include "hw/cortex_m4.h"

// ============================================================ [linker symbols] (link.ld)
extern "C" {
extern uint32_t __stack_top;
extern uint32_t __data_start, __data_end, __data_load;
extern uint32_t __bss_start, __bss_end;
using InitFn = void (*)();
extern InitFn __preinit_array_start[], __preinit_array_end[];
extern InitFn __init_array_start[], __init_array_end[];
}

int main();

// Receives the exception frame of any unexpected exception (and HardFault). Never returns.
extern "C" [[noreturn]] void fault_entry(const cm4::ExceptionFrame* frame, uint32_t exc_return);

// ============================================================ [default handler]
// Naked so nothing is pushed before the frame pointer is taken: r0 = the frame on whichever
// stack was active (EXC_RETURN bit 2), r1 = EXC_RETURN.
extern "C" __attribute__((naked)) void Default_Handler() {
  asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "mov r1, lr\n"
      "b fault_entry\n");
}

#define WEAK_HANDLER(name) extern "C" void name() noexcept __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(UART0_IRQHandler);  // IRQ 0
WEAK_HANDLER(GPIO0_IRQHandler);  // IRQ 1
WEAK_HANDLER(WDT_IRQHandler);    // IRQ 2
WEAK_HANDLER(FLASH_IRQHandler);  // IRQ 3
WEAK_HANDLER(NET_IRQHandler);    // IRQ 4
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

// ============================================================ [reset]
extern "C" [[noreturn]] void Reset_Handler() {
  for (uint32_t *dst = &__data_start, *src = &__data_load; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  for (InitFn* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (InitFn* f = __init_array_start; f < __init_array_end; ++f) (*f)();
  main();
  // main() must not return; if it does, stop where the simulator reports it.
  for (;;) asm volatile("bkpt #2");
}

// ============================================================ [vector table]
// Placed at 0 by link.ld (VTOR resets to 0). 48 entries = 192 bytes.
using Vector = void (*)();
extern "C" __attribute__((section(".isr_vector"), used)) const Vector g_vector_table[16 + cm4::kNumIrqs] = {
    reinterpret_cast<Vector>(&__stack_top),  // 0  initial MSP
    Reset_Handler,                           // 1
    NMI_Handler,                             // 2
    HardFault_Handler,                       // 3
    MemManage_Handler,                       // 4
    BusFault_Handler,                        // 5
    UsageFault_Handler,                      // 6
    nullptr, nullptr, nullptr, nullptr,      // 7..10 reserved
    SVC_Handler,                             // 11
    DebugMon_Handler,                        // 12
    nullptr,                                 // 13 reserved
    PendSV_Handler,                          // 14
    SysTick_Handler,                         // 15
    UART0_IRQHandler, GPIO0_IRQHandler, WDT_IRQHandler, FLASH_IRQHandler,
    NET_IRQHandler, IRQ5_Handler, IRQ6_Handler, IRQ7_Handler,
    IRQ8_Handler, IRQ9_Handler, IRQ10_Handler, IRQ11_Handler,
    IRQ12_Handler, IRQ13_Handler, IRQ14_Handler, IRQ15_Handler,
    IRQ16_Handler, IRQ17_Handler, IRQ18_Handler, IRQ19_Handler,
    IRQ20_Handler, IRQ21_Handler, IRQ22_Handler, IRQ23_Handler,
    IRQ24_Handler, IRQ25_Handler, IRQ26_Handler, IRQ27_Handler,
    IRQ28_Handler, IRQ29_Handler, IRQ30_Handler, IRQ31_Handler,
};
