// reset-controller model: register table and reset bookkeeping. See reset_controller.h.
// A wrong SWRESET key is a guest error and does nothing (unlike the watchdog's FEED key).
// CLOCKHZ reads the machine's core clock, saturated to 32 bits.
#include "peripherals/reset_controller.h"

#include <algorithm>

namespace hilsim::periph {

ResetController::ResetController(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      bank_(config.name, host,
            {
                {.name = "RSTCAUSE", .offset = 0x00, .access = Access::W1C,
                 .reset = static_cast<std::uint32_t>(ResetReason::PowerOn), .writable = kCauseMask,
                 .storage = &s_.rstcause},
                {.name = "BOOTCNT", .offset = 0x04, .access = Access::R, .storage = &s_.bootcnt},
                {.name = "CLOCKHZ", .offset = 0x08, .access = Access::R,
                 .on_read = [this](std::uint32_t) {
                   return static_cast<std::uint32_t>(std::min<std::uint64_t>(this->host().clock_hz(), 0xFFFFFFFFu));
                 }},
                {.name = "SWRESET", .offset = 0x0C, .access = Access::W,
                 .on_write = [this](std::uint32_t, std::uint32_t v) {
                   if (v == kSwResetKey) this->host().request_reset(ResetReason::Software);
                   else this->host().guest_error(name(), 0x0C, "SWRESET with a wrong key ignored");
                 }},
                {.name = "SCRATCH", .offset = 0x10, .access = Access::RW, .storage = &s_.scratch},
            }) {
  // Constructed = powered on; the register table's reset values are the power-on state.
}

void ResetController::reset(ResetReason reason) {
  if (reason == ResetReason::PowerOn) {
    s_ = State{};
    bank_.reset();
    return;
  }
  s_.rstcause |= static_cast<std::uint32_t>(reason) & kCauseMask;
  ++s_.bootcnt;
}

void ResetController::power_off() {
  s_ = State{};
  bank_.reset();
}

void ResetController::describe(StateVisitor& v) {
  v.field("rstcause", s_.rstcause);
  v.field("bootcnt", s_.bootcnt);
  v.field("scratch", s_.scratch);
}

}  // namespace hilsim::periph
