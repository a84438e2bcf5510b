// status-port model: six storage registers behind a magic word. See status_port.h.
#include "peripherals/status_port.h"

namespace hilsim::periph {

StatusPort::StatusPort(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      bank_(config.name, host,
            {
                {.name = "MAGIC", .offset = 0x00, .access = Access::R, .on_read = [](std::uint32_t) { return kMagic; }},
                {.name = "VERSION", .offset = 0x04, .access = Access::RW, .storage = &s_.version,
                 .on_write = [this](std::uint32_t o, std::uint32_t v) { changed("version", o, v); }},
                {.name = "SLOT", .offset = 0x08, .access = Access::RW, .writable = 0x3, .storage = &s_.slot,
                 .on_write = [this](std::uint32_t o, std::uint32_t v) { changed("slot", o, v); }},
                {.name = "STATE", .offset = 0x0C, .access = Access::RW, .writable = 0x7, .storage = &s_.state,
                 .on_write = [this](std::uint32_t o, std::uint32_t v) { changed("state", o, v); }},
                {.name = "UPDATES", .offset = 0x10, .access = Access::RW, .storage = &s_.updates},
                {.name = "ROLLBACKS", .offset = 0x14, .access = Access::RW, .storage = &s_.rollbacks},
                {.name = "HEARTBEAT", .offset = 0x18, .access = Access::RW, .storage = &s_.heartbeat},
            }) {}

void StatusPort::reset(ResetReason) {
  s_ = Regs{};
  bank_.reset();
}

void StatusPort::changed(const char* reg, std::uint32_t old, std::uint32_t value) {
  if (old != value && on_change) on_change(reg, value);
}

std::string StatusPort::version_text() const {
  if (s_.version == 0) return "none";
  return std::to_string(s_.version >> 16) + "." + std::to_string((s_.version >> 8) & 0xFF) + "." +
         std::to_string(s_.version & 0xFF);
}

const char* StatusPort::to_string(Slot slot) {
  switch (slot) {
    case Slot::None: return "none";
    case Slot::Factory: return "factory";
    case Slot::A: return "slot-a";
    case Slot::B: return "slot-b";
  }
  return "invalid";
}

const char* StatusPort::to_string(State state) {
  switch (state) {
    case State::Booting: return "booting";
    case State::Running: return "running";
    case State::Trial: return "trial";
    case State::Factory: return "factory";
    case State::Failed: return "failed";
  }
  return "invalid";
}

void StatusPort::describe(StateVisitor& v) {
  v.field("version", s_.version);
  v.field("slot", s_.slot);
  v.field("state", s_.state);
  v.field("updates", s_.updates);
  v.field("rollbacks", s_.rollbacks);
  v.field("heartbeat", s_.heartbeat);
}

}  // namespace hilsim::periph
