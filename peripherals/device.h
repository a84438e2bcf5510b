// The one interface every peripheral model implements, and the one interface through
// which a model talks back to the machine (DeviceHost).
//
// Models never see Unicorn, the bus or the NVIC: they see MMIO reads/writes at an offset
// inside their own window, virtual time in CPU cycles, named events, numbered IRQ lines and
// reset requests. Everything a model must keep across a snapshot lives in fields that it
// declares once in describe(); snapshot, restore, diff and GUI walk that declaration.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hilsim::periph {

using Ticks = std::uint64_t;  // CPU cycles since the machine was created (virtual time,
                              // monotonic across resets and power cycles).
using EventId = std::uint32_t;
inline constexpr EventId kNoEvent = ~EventId{0};
// The set_irq() line that drives the core's NMI input instead of an IRQ (cmsdk-watchdog `nmi`).
inline constexpr int kIrqNmi = -2;

// Why the machine (re)started. Bit values so the reset controller can keep sticky flags.
enum class ResetReason : std::uint32_t {
  PowerOn = 1u << 0,
  Watchdog = 1u << 1,
  Software = 1u << 2,  // AIRCR.SYSRESETREQ
  External = 1u << 3,  // reset pin / scenario / debugger
  Lockup = 1u << 4,
};
const char* to_string(ResetReason reason);

// Walks a model's state. One overload per field type keeps models declarative:
//   void describe(StateVisitor& v) override { v.field("ctrl", s_.ctrl); v.field("rx", s_.rx); }
class StateVisitor {
 public:
  virtual ~StateVisitor() = default;
  virtual void field(const char* name, bool& value) = 0;
  virtual void field(const char* name, std::uint8_t& value) = 0;
  virtual void field(const char* name, std::uint16_t& value) = 0;
  virtual void field(const char* name, std::uint32_t& value) = 0;
  virtual void field(const char* name, std::uint64_t& value) = 0;
  virtual void field(const char* name, std::int64_t& value) = 0;
  virtual void field(const char* name, std::vector<std::uint8_t>& bytes) = 0;
  virtual void field(const char* name, std::string& text) = 0;
};

// What a model may ask of the machine. Implemented by the emulator.
class DeviceHost {
 public:
  virtual ~DeviceHost() = default;
  // Virtual time: CPU cycles since power-on, and the core clock they count.
  virtual Ticks now() const = 0;
  virtual std::uint64_t clock_hz() const = 0;
  // Events are registered once, at construction, under a stable name ("uart0.tx_done"),
  // so that a snapshot can save them as (name, ticks until due).
  virtual EventId add_event(std::string name, std::function<void()> fire) = 0;
  virtual void schedule(EventId event, Ticks delay) = 0;  // (re)arms; delay 0 = next boundary
  virtual void cancel(EventId event) = 0;
  virtual bool is_scheduled(EventId event) const = 0;
  virtual Ticks due_at(EventId event) const = 0;  // only meaningful while scheduled
  // External interrupt input `line` of the NVIC (IRQn, 0-based), level-sensitive.
  virtual void set_irq(int line, bool level) = 0;
  // Resets the whole system at the next instruction boundary.
  virtual void request_reset(ResetReason reason) = 0;
  // A memory region of the board (by its board-file name), for models that own memory, such
  // as a flash controller. `bytes` is empty if there is no such region. Models that change
  // bytes that may hold code must call memory_changed() so translated code is dropped.
  struct MemoryView {
    std::uint32_t base = 0;
    std::uint8_t* bytes = nullptr;
    std::uint32_t size = 0;
  };
  virtual MemoryView memory(const std::string& region) {
    (void)region;
    return {};
  }
  virtual void memory_changed(std::uint32_t address, std::uint32_t size) {
    (void)address;
    (void)size;
  }
  // The firmware did something the hardware would not accept (bad register, bad value).
  // Reported once per (device, offset) by the machine, never fatal.
  virtual void guest_error(std::string_view device, std::uint32_t offset, std::string_view what) = 0;
};

// A memory-mapped device model. Offsets are relative to the device's base address.
class Device {
 public:
  Device(std::string name, DeviceHost& host) : name_(std::move(name)), host_(host) {}
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const std::string& name() const { return name_; }
  virtual std::string_view type() const = 0;
  virtual std::uint32_t window_size() const { return 0x1000; }

  // MMIO. `size` is 1, 2 or 4. Reads and writes may have side effects.
  virtual std::uint32_t read(std::uint32_t offset, unsigned size) = 0;
  virtual void write(std::uint32_t offset, unsigned size, std::uint32_t value) = 0;

  // System reset (any reason, including power-on): registers to their reset values.
  virtual void reset(ResetReason reason) = 0;
  // Power removed: volatile state is lost. Default: nothing beyond what reset() does later.
  virtual void power_off() {}
  // Declares every field of state that a snapshot must carry.
  virtual void describe(StateVisitor& visitor) = 0;
  // Rebuilds derived values (IRQ lines, caches) after a restore.
  virtual void post_load() {}

 protected:
  DeviceHost& host() { return host_; }
  const DeviceHost& host() const { return host_; }

 private:
  std::string name_;
  DeviceHost& host_;
};

}  // namespace hilsim::periph
