/* A tiny Cortex-M program for elf_image_test: compiled at test time with arm-none-eabi-gcc
 * (when installed) and linked with tiny.ld, so the reader is checked against real toolchain
 * output. It has a vector table, initialised data (to exercise LMA != VMA) and .bss. */
#include <stdint.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);
void Reset_Handler(void);

volatile uint32_t counter = 42;   /* .data: image in flash, runs in RAM */
static uint32_t scratch[4];       /* .bss */

__attribute__((section(".vectors"), used))
const void* const vectors[2] = {&_estack, (const void*)Reset_Handler};

__attribute__((noinline)) uint32_t step(uint32_t x) { return x * 3u + 1u; }

int main(void) {
  for (;;) {
    counter = step(counter);
    scratch[counter & 3u] = counter;
  }
}

void Reset_Handler(void) {
  uint32_t* src = &_sidata;
  for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t* dst = &_sbss; dst < &_ebss;) *dst++ = 0;
  main();
}
