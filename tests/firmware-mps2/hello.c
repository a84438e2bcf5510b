// Board smoke test: polled UART0 text, LEDs of the FPGA I/O block, a CMSDK timer and the dual
// timer read back, and interrupt-driven UART0 TX (TX IRQ 1). Prints the same on QEMU.
#include "mps2.h"

static const char msg[] = "interrupt-driven tx ok\n";
static volatile uint32_t tx_pos;

void UART0TX_Handler(void) {
  UART0_INTSTATUS = 1;  // clear TX interrupt
  if (msg[tx_pos]) UART0_DATA = (uint8_t)msg[tx_pos++];
  else UART0_CTRL = 1;  // all sent: TX interrupt off (drivers do this; the line may stay high)
}

int main(void) {
  puts_("hello from mps2\n");
  FPGAIO_LED = 3;
  kv("led", FPGAIO_LED & 3);
  TIMER_RELOAD(0) = 1000000;
  TIMER_CTRL(0) = 1;
  uint32_t a = TIMER_VALUE(0);
  for (volatile int i = 0; i < 100; ++i) {
  }
  uint32_t b = TIMER_VALUE(0);
  kv("timer_counts_down", a > b && a <= 1000000);
  volatile uint32_t* dual = (volatile uint32_t*)0x40002000;
  dual[0] = 50000;          // Timer1Load
  dual[2] = 0x80 | 0x40 | 0x2;  // enable, periodic, 32-bit
  a = dual[1];
  for (volatile int i = 0; i < 100; ++i) {
  }
  kv("dualtimer_counts_down", dual[1] < a);
  kv("uart_pid0", *(volatile uint32_t*)0x40004FE0);
  // Interrupt-driven TX (after the polled output has left the buffer).
  while (UART0_STATE & 1) {
  }
  UART0_CTRL = 1 | 4;  // TX enable + TX interrupt enable
  NVIC_ISER0 = 1u << 1;
  tx_pos = 1;
  UART0_DATA = (uint8_t)msg[0];
  // Check and sleep with PRIMASK set, so the last interrupt cannot slip in between (WFI
  // still wakes on it); it is taken after cpsie.
  for (;;) {
    __asm volatile("cpsid i" ::: "memory");
    if (!msg[tx_pos]) break;
    __asm volatile("wfi");
    __asm volatile("cpsie i" ::: "memory");
  }
  __asm volatile("cpsie i" ::: "memory");
  while (UART0_STATE & 1) {
  }
  FPGAIO_LED = 0;
  return 0;
}
