// uart0 driver (see uart.h). The IRQ line is a level: TXIE is set only while the TX ring holds
// bytes, so an idle UART raises no interrupt; RXIE stays on.
#include "drivers/uart.h"

#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"
#include "lib/ring.h"

namespace uart {
namespace {

using namespace demo_m4;

lib::Ring<256> g_tx;
lib::Ring<128> g_rx;
volatile uint32_t g_rx_dropped;

Uart& regs() { return uart0(); }

// Moves bytes from the ring into the hardware FIFO while it has room.
void pump_tx() {
  uint8_t b;
  while ((regs().STATUS & UART_STATUS_TXRDY) != 0 && g_tx.pop(b)) regs().DATA = b;
}

// True when the caller may sleep waiting for the UART interrupt to drain the ring.
bool can_sleep(uint32_t saved_primask) { return saved_primask == 0 && cm4::get_ipsr() == 0; }

}  // namespace

void init(uint32_t clock_hz, uint32_t baud, uint8_t irq_priority) {
  uint32_t div = clock_hz / baud;
  regs().BAUDDIV = div != 0 ? div : 1;
  regs().STATUS = UART_STATUS_RXOVR | UART_STATUS_TXOVR;
  regs().CTRL = UART_CTRL_TXEN | UART_CTRL_RXEN | UART_CTRL_RXIE;
  cm4::irq_set_priority(kIrqUart0, irq_priority);
  cm4::irq_enable(kIrqUart0);
}

void put(char c) {
  const uint32_t saved = cm4::get_primask();
  cm4::irq_off();
  while (g_tx.full()) {
    if (can_sleep(saved)) {
      cm4::wfi();  // wakes on the pending UART interrupt even with PRIMASK set
      cm4::irq_on();
      cm4::irq_off();
    } else {
      pump_tx();  // in a handler or with interrupts masked: drain by polling
    }
  }
  g_tx.push(static_cast<uint8_t>(c));
  regs().CTRL = regs().CTRL | UART_CTRL_TXIE;
  cm4::set_primask(saved);
}

void write(const char* s) {
  while (*s != '\0') put(*s++);
}

void flush() {
  while (!g_tx.empty()) {
    cm4::irq_off();
    if (!g_tx.empty()) cm4::wfi();
    cm4::irq_on();
  }
  while ((regs().STATUS & UART_STATUS_TXIDLE) == 0) {
  }
}

bool get(char& c) {
  uint8_t b;
  if (!g_rx.pop(b)) return false;
  c = static_cast<char>(b);
  return true;
}

bool rx_pending() { return !g_rx.empty(); }
uint32_t rx_dropped() { return g_rx_dropped; }

void panic_put(char c) {
  regs().CTRL = regs().CTRL & ~UART_CTRL_TXIE;
  while (!g_tx.empty()) pump_tx();
  while ((regs().STATUS & UART_STATUS_TXRDY) == 0) {
  }
  regs().DATA = static_cast<uint8_t>(c);
}

void panic_flush() {
  while (!g_tx.empty()) pump_tx();
  while ((regs().STATUS & UART_STATUS_TXIDLE) == 0) {
  }
}

void isr() {
  while ((regs().STATUS & UART_STATUS_RXAV) != 0) {
    const uint8_t b = static_cast<uint8_t>(regs().DATA);
    if (!g_rx.push(b)) g_rx_dropped = g_rx_dropped + 1;
  }
  if ((regs().STATUS & UART_STATUS_RXOVR) != 0) {
    regs().STATUS = UART_STATUS_RXOVR;
    g_rx_dropped = g_rx_dropped + 1;
  }
  pump_tx();
  if (g_tx.empty()) regs().CTRL = regs().CTRL & ~UART_CTRL_TXIE;
}

}  // namespace uart
