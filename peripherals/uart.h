// uart: a byte UART with 16-byte TX and RX FIFOs, per docs/peripherals.md ("uart").
// A byte takes 10 bit times (start, 8 data, stop) of BAUDDIV core cycles each, in both
// directions: transmitted bytes reach the TX sink when their stop bit ends; injected bytes queue
// on the "wire" and land in the RX FIFO one byte time apart. Leaves out parity, framing errors,
// break, flow control and a receive timeout.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class Uart final : public Device {
 public:
  static constexpr std::size_t kFifoDepth = 16;
  // STATUS bits
  static constexpr std::uint32_t kTxRdy = 1u << 0, kRxAv = 1u << 1, kTxIdle = 1u << 2,
                                 kRxOvr = 1u << 3, kTxOvr = 1u << 4;
  // CTRL bits
  static constexpr std::uint32_t kTxEn = 1u << 0, kRxEn = 1u << 1, kTxIe = 1u << 2,
                                 kRxIe = 1u << 3, kIdleIe = 1u << 4;

  using TxSink = std::function<void(Ticks when, std::uint8_t byte)>;

  Uart(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "uart"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }  // for register views (peek)
  void post_load() override { update_irq(); }

  // Host side. Bytes go onto the line now and arrive one byte time (10 x BAUDDIV) apart.
  void inject_rx(std::span<const std::uint8_t> bytes);
  void set_tx_sink(TxSink sink) { tx_sink_ = std::move(sink); }
  std::size_t rx_line_pending() const { return s_.rx_line.size(); }
  Ticks byte_time() const { return Ticks{10} * s_.baud_div; }

 private:
  struct State {
    std::uint32_t ctrl = 0;
    std::uint32_t baud_div = 1;
    std::uint32_t sticky = 0;  // RXOVR | TXOVR; the other STATUS bits are computed
    std::vector<std::uint8_t> tx_fifo;  // waiting bytes, oldest first (shifter not included)
    bool tx_busy = false;               // the shifter is sending tx_shift
    std::uint8_t tx_shift = 0;
    std::vector<std::uint8_t> rx_fifo;  // received bytes, oldest first
    std::vector<std::uint8_t> rx_line;  // injected bytes still on the wire, oldest first
  };

  std::uint32_t status() const;
  void push_tx(std::uint8_t byte);
  void start_tx();  // moves the oldest FIFO byte into the shifter if idle and enabled
  void tx_done();
  void rx_done();
  void update_irq();

  State s_;
  std::uint32_t reset_baud_div_;
  int irq_;
  EventId tx_event_, rx_event_;
  TxSink tx_sink_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
