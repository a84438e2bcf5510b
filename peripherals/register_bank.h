// A register collection: a device's registers declared once, as data (name, offset, access
// mode, reset value, writable bits, backing field, callbacks), and the one decoder that serves
// MMIO reads and writes from that table. Follows Renode's register collections and the access
// rules of docs/peripherals.md: narrow (1/2-byte) accesses touch only the addressed byte lanes,
// unmapped offsets read 0 and are reported, writes to read-only registers and to unmodelled bits
// are reported (host.guest_error) and never silently dropped. Leaves out bit-field metadata
// (fields are documented next to each model's table) and accesses that straddle two registers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "peripherals/device.h"

namespace hilsim::periph {

// The closed set of access modes.
//   R   read-only; a write is a guest error.
//   W   write-only; reads return 0; the callback receives the written bits.
//   RW  read/write; a narrow write merges into the stored value.
//   W1C writing 1 clears the bit, 0 leaves it.
//   W1S writing 1 sets the bit, 0 leaves it.
//   RC  read-only, cleared (in the bytes read) by reading.
enum class Access : std::uint8_t { R, W, RW, W1C, W1S, RC };
const char* to_string(Access access);

struct Register {
  const char* name;
  std::uint32_t offset;  // multiple of 4
  Access access;
  std::uint32_t reset = 0;
  // Bits a write may change (RW/W1C/W1S) or pass on (W). A write that would change any other
  // bit is reported as touching unmodelled/read-only bits; those bits keep their value.
  std::uint32_t writable = 0xFFFFFFFFu;
  // Backing field inside the model's state struct, or null for registers whose value is computed
  // (then reads come from on_read and writes only reach on_write).
  std::uint32_t* storage = nullptr;
  // Produces the value seen by a read; receives the stored value (0 without storage).
  std::function<std::uint32_t(std::uint32_t stored)> on_read = {};
  // Runs after the stored value was updated: old and new stored values; for registers without
  // storage, old = 0 and value = the written bits (masked by `writable`).
  std::function<void(std::uint32_t old, std::uint32_t value)> on_write = {};
  // True when on_read has side effects (pops a FIFO, advances a generator): peek() skips it.
  bool read_has_effects = false;
};

class RegisterBank {
 public:
  RegisterBank(std::string device, DeviceHost& host, std::vector<Register> registers);

  // MMIO entry points; `offset` is relative to the window, `size` is 1, 2 or 4.
  std::uint32_t read(std::uint32_t offset, unsigned size);
  void write(std::uint32_t offset, unsigned size, std::uint32_t value);

  // The value a read would return, without side effects and without guest errors, for
  // debuggers and GUI panels; nullopt for unmapped offsets, write-only registers and registers
  // whose reads have effects.
  std::optional<std::uint32_t> peek(std::uint32_t offset) const;

  // Writes every register's reset value into its storage (registers without storage: no-op).
  void reset();

  const std::vector<Register>& registers() const { return registers_; }
  const Register* find(std::uint32_t offset) const;  // offset of the register (aligned)

 private:
  void error(std::uint32_t offset, const std::string& what);
  // Validates an access; returns the register or null (after reporting).
  const Register* decode(std::uint32_t offset, unsigned size, const char* kind);

  std::string device_;
  DeviceHost& host_;
  std::vector<Register> registers_;  // sorted by offset
};

}  // namespace hilsim::periph
