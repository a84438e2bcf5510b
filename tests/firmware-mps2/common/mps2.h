// Register access and helpers for the test firmware on mps2-an385/an386 (QEMU's map):
// CMSDK UART0 (polled), CMSDK timers, FPGA I/O, the SCS, semihosting and key=value output.
#pragma once
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t*)(addr))

// CMSDK APB UART0
#define UART0_DATA REG32(0x40004000)
#define UART0_STATE REG32(0x40004004)
#define UART0_CTRL REG32(0x40004008)
#define UART0_INTSTATUS REG32(0x4000400C)
#define UART0_BAUDDIV REG32(0x40004010)
// CMSDK APB timers (n = 0, 1)
#define TIMER_CTRL(n) REG32(0x40000000 + 0x1000 * (n))
#define TIMER_VALUE(n) REG32(0x40000004 + 0x1000 * (n))
#define TIMER_RELOAD(n) REG32(0x40000008 + 0x1000 * (n))
#define TIMER_INTCLEAR(n) REG32(0x4000000C + 0x1000 * (n))
// FPGA I/O
#define FPGAIO_LED REG32(0x40028000)
// System Control Space
#define SYST_CSR REG32(0xE000E010)
#define SYST_RVR REG32(0xE000E014)
#define SYST_CVR REG32(0xE000E018)
#define NVIC_ISER0 REG32(0xE000E100)
#define NVIC_IPR(n) (*(volatile uint8_t*)(0xE000E400 + (n)))
#define SCB_ICSR REG32(0xE000ED04)
#define SCB_VTOR REG32(0xE000ED08)
#define SCB_AIRCR REG32(0xE000ED0C)
#define SCB_SHPR(n) (*(volatile uint8_t*)(0xE000ED18 + (n) - 4))  // n = exception number
#define SCB_SHCSR REG32(0xE000ED24)
#define SCB_CFSR REG32(0xE000ED28)
#define SCB_HFSR REG32(0xE000ED2C)
#define SCB_CPACR REG32(0xE000ED88)
#define FPCCR REG32(0xE000EF34)
#define FPCAR REG32(0xE000EF38)
#define FPDSCR REG32(0xE000EF3C)

#ifdef __cplusplus
extern "C" {
#endif
void uart_init(void);
void putch(char c);
void puts_(const char* s);
void put_dec(uint32_t v);
void put_hex(uint32_t v);
void kv(const char* key, uint32_t value);  // "key=value\n", value in decimal
void kx(const char* key, uint32_t value);  // "key=0x%08x\n"
int semihost(int op, const void* arg);
void semihost_exit(int code) __attribute__((noreturn));
#ifdef __cplusplus
}
#endif
