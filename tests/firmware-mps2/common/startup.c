// Startup for the mps2 test firmware: vector table (16 system exceptions + 32 IRQs, weak
// handlers), Reset_Handler (copy .data, zero .bss, enable the FPU when built hard-float),
// the polled UART0 driver, key=value output and semihosting (BKPT 0xAB).
#include "mps2.h"

extern uint32_t __stack_top, __data_start, __data_end, __data_load, __bss_start, __bss_end;
int main(void);

void Default_Handler(void) {
  puts_("unexpected exception ");
  uint32_t ipsr;
  __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
  put_dec(ipsr);
  putch('\n');
  semihost_exit(99);
}
// Weak: a test that provokes HardFault on purpose (fpu.c) brings its own.
__attribute__((weak)) void HardFault_Handler(void) {
  puts_("HardFault\n");
  semihost_exit(98);
}

#define WEAK __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK;
void MemManage_Handler(void) WEAK;
void BusFault_Handler(void) WEAK;
void UsageFault_Handler(void) WEAK;
void SVC_Handler(void) WEAK;
void PendSV_Handler(void) WEAK;
void SysTick_Handler(void) WEAK;
void TIMER0_Handler(void) WEAK;
void TIMER1_Handler(void) WEAK;
void DUALTIMER_Handler(void) WEAK;
void UART0RX_Handler(void) WEAK;
void UART0TX_Handler(void) WEAK;

void Reset_Handler(void);

__attribute__((section(".isr_vector"), used)) void (*const vectors[48])(void) = {
    (void (*)(void))(&__stack_top), Reset_Handler, NMI_Handler, HardFault_Handler,
    MemManage_Handler, BusFault_Handler, UsageFault_Handler, 0, 0, 0, 0, SVC_Handler, 0, 0,
    PendSV_Handler, SysTick_Handler,
    /* IRQ 0.. */ UART0RX_Handler, UART0TX_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, TIMER0_Handler, TIMER1_Handler, DUALTIMER_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler};

void Reset_Handler(void) {
  uint32_t* src = &__data_load;
  for (uint32_t* dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
#if defined(__ARM_FP)
  SCB_CPACR |= 0xFu << 20;  // CP10, CP11 full access
  __asm volatile("dsb\n isb");
#endif
  uart_init();
  semihost_exit(main());
}

void uart_init(void) {
  UART0_BAUDDIV = 16;
  UART0_CTRL = 1;  // TX enable
}
void putch(char c) {
  while (UART0_STATE & 1) {
  }
  UART0_DATA = (uint8_t)c;
}
void puts_(const char* s) {
  while (*s) putch(*s++);
}
void put_dec(uint32_t v) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putch(buf[--n]);
}
void put_hex(uint32_t v) {
  for (int i = 28; i >= 0; i -= 4) putch("0123456789abcdef"[(v >> i) & 15]);
}
void kv(const char* key, uint32_t value) {
  puts_(key);
  putch('=');
  put_dec(value);
  putch('\n');
}

void kx(const char* key, uint32_t value) {
  puts_(key);
  puts_("=0x");
  put_hex(value);
  putch('\n');
}

int semihost(int op, const void* arg) {
  register int r0 __asm("r0") = op;
  register const void* r1 __asm("r1") = arg;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_exit(int code) {
  // Let the last UART byte leave before exiting.
  while (UART0_STATE & 1) {
  }
  uint32_t block[2] = {0x20026, (uint32_t)code};  // ADP_Stopped_ApplicationExit, status
  semihost(0x20, block);                          // SYS_EXIT_EXTENDED
  for (;;) {
  }
}
