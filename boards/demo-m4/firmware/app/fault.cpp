// What the firmware does on HardFault and on any exception it has no handler for.
//
// It prints "FAULT pc=0x<stacked pc> lr=0x<stacked lr> exc=<IPSR>" with the polled UART path
// (interrupts cannot run at HardFault priority), waits until the line has left the wire, then
// executes BKPT #0. Choice: a real device would reset or spin, but under hilsim a BKPT with no
// debugger attached halts the machine and is reported as a firmware fault/stop with PC, symbol,
// registers and backtrace, which is more useful than an endless WFI loop. If the simulator (or a
// debugger) resumes past the BKPT, the core sleeps and the still-running watchdog resets it.
#include "drivers/uart.h"
#include "hw/cortex_m4.h"
#include "lib/fmt.h"

extern "C" [[noreturn]] void fault_entry(const cm4::ExceptionFrame* frame, uint32_t exc_return) {
  (void)exc_return;
  cm4::irq_off();
  fmt::str(uart::panic_put, "FAULT pc=0x");
  fmt::hex(uart::panic_put, frame->pc);
  fmt::str(uart::panic_put, " lr=0x");
  fmt::hex(uart::panic_put, frame->lr);
  fmt::str(uart::panic_put, " exc=");
  fmt::dec(uart::panic_put, cm4::get_ipsr() & cm4::ICSR_VECTACTIVE_MASK);
  fmt::str(uart::panic_put, "\r\n");
  uart::panic_flush();
  asm volatile("bkpt #0");
  for (;;) cm4::wfi();
}
