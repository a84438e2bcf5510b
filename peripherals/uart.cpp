// uart model: register table, TX shifter/FIFO timing, RX line pacing. See uart.h.
//
// Timing: a byte written while the shifter is idle starts at once and its stop bit ends
// 10 x BAUDDIV cycles later (event NAME.tx_done); the next FIFO byte starts at that instant.
// BAUDDIV is sampled when a byte starts. Clearing TXEN lets the byte on the wire finish but
// starts no further byte until TXEN is set again. Reset cancels both events and empties the
// FIFOs and the RX line (the sender is considered disconnected by a reset).
#include "peripherals/uart.h"

#include <algorithm>

namespace hilsim::periph {

Uart::Uart(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      reset_baud_div_(static_cast<std::uint32_t>(
          std::max<std::uint64_t>(1, host.clock_hz() / static_cast<std::uint64_t>(option_int(config, "baud"))))),
      irq_(config.irq),
      tx_event_(host.add_event(config.name + ".tx_done", [this] { tx_done(); })),
      rx_event_(host.add_event(config.name + ".rx_done", [this] { rx_done(); })),
      bank_(config.name, host,
            {
                {.name = "DATA", .offset = 0x00, .access = Access::RW, .writable = 0xFF,
                 .on_read = [this](std::uint32_t) -> std::uint32_t {
                   if (s_.rx_fifo.empty()) return 0;
                   std::uint8_t b = s_.rx_fifo.front();
                   s_.rx_fifo.erase(s_.rx_fifo.begin());
                   update_irq();
                   return b;
                 },
                 .on_write = [this](std::uint32_t, std::uint32_t v) { push_tx(static_cast<std::uint8_t>(v)); },
                 .read_has_effects = true},
                {.name = "STATUS", .offset = 0x04, .access = Access::W1C, .reset = 0,
                 .writable = kRxOvr | kTxOvr, .storage = &s_.sticky,
                 .on_read = [this](std::uint32_t) { return status(); },
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                {.name = "CTRL", .offset = 0x08, .access = Access::RW, .writable = 0x1F, .storage = &s_.ctrl,
                 .on_write = [this](std::uint32_t, std::uint32_t) {
                   start_tx();
                   update_irq();
                 }},
                {.name = "BAUDDIV", .offset = 0x0C, .access = Access::RW, .reset = reset_baud_div_,
                 .storage = &s_.baud_div,
                 .on_write = [this](std::uint32_t, std::uint32_t v) {
                   if (v == 0) {
                     this->host().guest_error(name(), 0x0C, "BAUDDIV=0 is below the minimum; using 1");
                     s_.baud_div = 1;
                   }
                 }},
                {.name = "RXCOUNT", .offset = 0x10, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(s_.rx_fifo.size()); }},
            }) {
  reset(ResetReason::PowerOn);
}

void Uart::reset(ResetReason) {
  host().cancel(tx_event_);
  host().cancel(rx_event_);
  s_ = State{};
  bank_.reset();
  update_irq();
}

void Uart::describe(StateVisitor& v) {
  v.field("ctrl", s_.ctrl);
  v.field("baud_div", s_.baud_div);
  v.field("sticky", s_.sticky);
  v.field("tx_fifo", s_.tx_fifo);
  v.field("tx_busy", s_.tx_busy);
  v.field("tx_shift", s_.tx_shift);
  v.field("rx_fifo", s_.rx_fifo);
  v.field("rx_line", s_.rx_line);
}

std::uint32_t Uart::status() const {
  std::uint32_t st = s_.sticky;
  if (s_.tx_fifo.size() < kFifoDepth) st |= kTxRdy;
  if (!s_.rx_fifo.empty()) st |= kRxAv;
  if (s_.tx_fifo.empty() && !s_.tx_busy) st |= kTxIdle;
  return st;
}

void Uart::push_tx(std::uint8_t byte) {
  if (!(s_.ctrl & kTxEn) || s_.tx_fifo.size() >= kFifoDepth) {
    s_.sticky |= kTxOvr;
  } else {
    s_.tx_fifo.push_back(byte);
    start_tx();
  }
  update_irq();
}

void Uart::start_tx() {
  if (s_.tx_busy || s_.tx_fifo.empty() || !(s_.ctrl & kTxEn)) return;
  s_.tx_shift = s_.tx_fifo.front();
  s_.tx_fifo.erase(s_.tx_fifo.begin());
  s_.tx_busy = true;
  host().schedule(tx_event_, byte_time());
}

void Uart::tx_done() {
  s_.tx_busy = false;
  if (tx_sink_) tx_sink_(host().now(), s_.tx_shift);
  start_tx();
  update_irq();
}

void Uart::inject_rx(std::span<const std::uint8_t> bytes) {
  s_.rx_line.insert(s_.rx_line.end(), bytes.begin(), bytes.end());
  if (!s_.rx_line.empty() && !host().is_scheduled(rx_event_)) host().schedule(rx_event_, byte_time());
}

void Uart::rx_done() {
  if (s_.rx_line.empty()) return;
  std::uint8_t b = s_.rx_line.front();
  s_.rx_line.erase(s_.rx_line.begin());
  if (s_.ctrl & kRxEn) {
    if (s_.rx_fifo.size() >= kFifoDepth) s_.sticky |= kRxOvr;
    else s_.rx_fifo.push_back(b);
  }
  if (!s_.rx_line.empty()) host().schedule(rx_event_, byte_time());
  update_irq();
}

void Uart::update_irq() {
  if (irq_ < 0) return;
  std::uint32_t st = status();
  bool level = ((s_.ctrl & kTxIe) && (st & kTxRdy)) || ((s_.ctrl & kRxIe) && (st & kRxAv)) ||
               ((s_.ctrl & kIdleIe) && (st & kTxIdle)) || ((s_.ctrl & kRxIe) && (st & kRxOvr));
  host().set_irq(irq_, level);
}

}  // namespace hilsim::periph
