// cmsdk-uart: the ARM CMSDK APB UART (DDI0479 ch. 4.3) as QEMU models it for mps2-an385/an386
// (hw/char/cmsdk-apb-uart.c): one-byte TX and RX buffers, STATE/CTRL/INTSTATUS/BAUDDIV, separate
// TX and RX interrupt lines (`irq` is RX, option `tx-irq` is TX). A byte takes `byte-cycles`
// core cycles on the wire: -1 = 10 x BAUDDIV (below 16 counts as 16), 0 = leaves at once, as on
// QEMU (the mps2 boards use 0 so firmware that never polls TXFULL prints the same). TX_INT is
// edge-like (set when a byte leaves the buffer, cleared by INTCLEAR), as in QEMU. Host bytes wait on the line while the RX
// buffer is full (no loss, like QEMU's chardev flow control). Leaves out the overflow IRQ
// (QEMU ORs it over three UARTs onto IRQ 12) and high-speed test mode.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class CmsdkUart final : public Device {
 public:
  // STATE
  static constexpr std::uint32_t kTxFull = 1u << 0, kRxFull = 1u << 1, kTxOverrun = 1u << 2,
                                 kRxOverrun = 1u << 3;
  // CTRL
  static constexpr std::uint32_t kTxEn = 1u << 0, kRxEn = 1u << 1, kTxIntEn = 1u << 2, kRxIntEn = 1u << 3,
                                 kTxoIntEn = 1u << 4, kRxoIntEn = 1u << 5;
  // INTSTATUS
  static constexpr std::uint32_t kTxInt = 1u << 0, kRxInt = 1u << 1, kTxoInt = 1u << 2, kRxoInt = 1u << 3;

  using TxSink = std::function<void(Ticks when, std::uint8_t byte)>;

  CmsdkUart(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "cmsdk-uart"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  void post_load() override { update_irq(); }
  const RegisterBank& registers() const { return bank_; }

  void inject_rx(std::span<const std::uint8_t> bytes);
  void set_tx_sink(TxSink sink) { tx_sink_ = std::move(sink); }
  std::size_t rx_line_pending() const { return s_.rx_line.size(); }
  Ticks byte_time() const {
    return byte_cycles_ >= 0 ? Ticks(byte_cycles_) : Ticks{10} * (s_.bauddiv < 16 ? 16 : s_.bauddiv);
  }

 private:
  struct State {
    std::uint32_t ctrl = 0, state = 0, intstatus = 0, bauddiv = 0;
    std::uint8_t tx_byte = 0, rx_byte = 0;
    std::vector<std::uint8_t> rx_line;  // host bytes not yet in the RX buffer, oldest first
  };
  void tx_done();
  void rx_arrive();
  void schedule_rx();
  void update_irq();

  State s_;
  int rx_irq_, tx_irq_;
  std::int64_t byte_cycles_;
  EventId tx_event_, rx_event_;
  TxSink tx_sink_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
