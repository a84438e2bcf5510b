// uart0 driver: interrupt-driven TX from a ring buffer (TXIE), RX into a ring buffer (RXIE).
// Register map: docs/peripherals.md "uart". The thread-mode API sleeps in WFI while the TX
// ring is full; the panic API polls TXRDY with no interrupts and is safe in any handler.
#pragma once
#include <cstdint>

namespace uart {

// Sets BAUDDIV = clock_hz / baud, enables TX, RX and the RX interrupt, and the NVIC line.
void init(uint32_t clock_hz, uint32_t baud, uint8_t irq_priority);

void put(char c);                // queues one byte; waits while the TX ring is full
void write(const char* s);       // put() for each byte of a NUL-terminated string
void flush();                    // thread mode: returns when every queued byte has left the wire
bool get(char& c);               // next received byte; false if none
bool rx_pending();
uint32_t rx_dropped();           // bytes lost because the RX ring or the RX FIFO overflowed

void panic_put(char c);          // polled: drains the TX ring first so output stays in order
void panic_flush();              // polled: waits for TXIDLE

void isr();                      // call from UART0_IRQHandler

}  // namespace uart
