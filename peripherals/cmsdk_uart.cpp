// cmsdk-uart model: register table, TX/RX buffer timing, interrupt lines. See cmsdk_uart.h.
//
// Registers: DATA 0x00, STATE 0x04 (overrun bits W1C), CTRL 0x08, INTSTATUS (read) /
// INTCLEAR (write 1 to clear; also clears the matching STATE overrun bit) 0x0C, BAUDDIV 0x10,
// PID/CID at 0xFD0. TXO/RXO interrupt bits are STATE's overrun bits gated by CTRL's enables.
#include "peripherals/cmsdk_uart.h"

#include "peripherals/cmsdk_timer.h"  // cmsdk_id_registers

namespace hilsim::periph {

CmsdkUart::CmsdkUart(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      rx_irq_(config.irq),
      tx_irq_(static_cast<int>(option_int(config, "tx-irq"))),
      byte_cycles_(option_int(config, "byte-cycles")),
      tx_event_(host.add_event(config.name + ".tx_done", [this] { tx_done(); })),
      rx_event_(host.add_event(config.name + ".rx_done", [this] { rx_arrive(); })),
      bank_(config.name, host, [this] {
        std::vector<Register> regs = {
            {.name = "DATA", .offset = 0x00, .access = Access::RW, .writable = 0xFF,
             .on_read = [this](std::uint32_t) -> std::uint32_t {
               s_.state &= ~kRxFull;
               schedule_rx();
               update_irq();
               return s_.rx_byte;
             },
             .on_write = [this](std::uint32_t, std::uint32_t v) {
               if (!(s_.ctrl & kTxEn)) {
                 this->host().guest_error(name(), 0x00, "DATA written with the transmitter disabled");
                 return;
               }
               if (s_.state & kTxFull) {
                 s_.state |= kTxOverrun;
               } else {
                 s_.tx_byte = static_cast<std::uint8_t>(v);
                 s_.state |= kTxFull;
                 if (byte_time() == 0) tx_done();
                 else this->host().schedule(tx_event_, byte_time());
               }
               update_irq();
             },
             .read_has_effects = true},
            {.name = "STATE", .offset = 0x04, .access = Access::W1C, .writable = kTxOverrun | kRxOverrun,
             .storage = &s_.state, .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
            {.name = "CTRL", .offset = 0x08, .access = Access::RW, .writable = 0x7F, .storage = &s_.ctrl,
             .on_write = [this](std::uint32_t, std::uint32_t) {
               schedule_rx();
               update_irq();
             }},
            {.name = "INTSTATUS", .offset = 0x0C, .access = Access::W1C, .writable = 0xF,
             .storage = &s_.intstatus,
             .on_write = [this](std::uint32_t old, std::uint32_t now) {
               s_.state &= ~((old & ~now) & (kTxoInt | kRxoInt));  // same bit positions in STATE
               update_irq();
             }},
            {.name = "BAUDDIV", .offset = 0x10, .access = Access::RW, .writable = 0xFFFFF, .storage = &s_.bauddiv},
        };
        static const std::uint8_t pid[8] = {0x04, 0, 0, 0, 0x21, 0xb8, 0x1b, 0x00};
        for (Register& r : cmsdk_id_registers(pid)) regs.push_back(std::move(r));
        return regs;
      }()) {
  reset(ResetReason::PowerOn);
}

void CmsdkUart::reset(ResetReason) {
  host().cancel(tx_event_);
  host().cancel(rx_event_);
  s_ = State{};
  bank_.reset();
  update_irq();
}

void CmsdkUart::describe(StateVisitor& v) {
  v.field("ctrl", s_.ctrl);
  v.field("state", s_.state);
  v.field("intstatus", s_.intstatus);
  v.field("bauddiv", s_.bauddiv);
  v.field("tx_byte", s_.tx_byte);
  v.field("rx_byte", s_.rx_byte);
  v.field("rx_line", s_.rx_line);
}

void CmsdkUart::tx_done() {
  s_.state &= ~kTxFull;
  if (tx_sink_) tx_sink_(host().now(), s_.tx_byte);
  if (s_.ctrl & kTxIntEn) s_.intstatus |= kTxInt;
  update_irq();
}

void CmsdkUart::inject_rx(std::span<const std::uint8_t> bytes) {
  s_.rx_line.insert(s_.rx_line.end(), bytes.begin(), bytes.end());
  schedule_rx();
}

// The next line byte lands one byte time after the receiver can take it.
void CmsdkUart::schedule_rx() {
  if (s_.rx_line.empty() || (s_.state & kRxFull) || !(s_.ctrl & kRxEn) || host().is_scheduled(rx_event_))
    return;
  host().schedule(rx_event_, byte_time());
}

void CmsdkUart::rx_arrive() {
  if (s_.rx_line.empty() || (s_.state & kRxFull) || !(s_.ctrl & kRxEn)) return;
  s_.rx_byte = s_.rx_line.front();
  s_.rx_line.erase(s_.rx_line.begin());
  s_.state |= kRxFull;
  if (s_.ctrl & kRxIntEn) s_.intstatus |= kRxInt;
  update_irq();
}

void CmsdkUart::update_irq() {
  s_.intstatus = (s_.intstatus & (kTxInt | kRxInt)) | ((s_.state & (kTxOverrun | kRxOverrun)) & (s_.ctrl >> 2));
  if (rx_irq_ >= 0) host().set_irq(rx_irq_, s_.intstatus & kRxInt);
  if (tx_irq_ >= 0) host().set_irq(tx_irq_, s_.intstatus & kTxInt);
}

}  // namespace hilsim::periph
