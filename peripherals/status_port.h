// status-port: the firmware's documented status channel (docs/peripherals.md, "status-port").
// The reference firmware writes what it is running (script version, slot, update state and
// counters) into these registers; scenarios and panels read them from the host instead of
// peeking at firmware-private memory, so the firmware's RAM layout can change freely.
// Plain storage registers: no timing, no IRQ. Values are volatile (cleared by every reset);
// the firmware republishes them after boot.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

class StatusPort final : public Device {
 public:
  static constexpr std::uint32_t kMagic = 0x54535348;  // "HSST"
  enum class Slot : std::uint32_t { None = 0, Factory = 1, A = 2, B = 3 };
  enum class State : std::uint32_t { Booting = 0, Running = 1, Trial = 2, Factory = 3, Failed = 4 };

  StatusPort(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "status-port"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
    bank_.write(offset, size, value);
  }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  const RegisterBank& registers() const { return bank_; }

  // Host side.
  std::uint32_t version() const { return s_.version; }  // packed major<<16 | minor<<8 | patch
  std::string version_text() const;                      // "1.2.0", or "none"
  Slot slot() const { return static_cast<Slot>(s_.slot); }
  State state() const { return static_cast<State>(s_.state); }
  std::uint32_t updates() const { return s_.updates; }
  std::uint32_t rollbacks() const { return s_.rollbacks; }
  std::uint32_t heartbeat() const { return s_.heartbeat; }
  static const char* to_string(Slot slot);
  static const char* to_string(State state);
  // Called when the firmware changes VERSION, SLOT or STATE (register name, new value).
  std::function<void(const char* reg, std::uint32_t value)> on_change;

 private:
  struct Regs {
    std::uint32_t version = 0, slot = 0, state = 0, updates = 0, rollbacks = 0, heartbeat = 0;
  };
  void changed(const char* reg, std::uint32_t old, std::uint32_t value);

  Regs s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
