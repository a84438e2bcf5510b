// watchdog model: register table and exact tick <-> core-cycle conversion. See watchdog.h.
//
// Time: the counter is LOAD at the start/feed instant t0 and counts watchdog ticks at
// clock-hz. Tick k (k >= 1) happens at t0 + ceil(k * core_hz / wdt_hz) core cycles (128-bit
// arithmetic, exact and deterministic); VALUE = period_load - floor(elapsed * wdt_hz / core_hz),
// consistent with that rounding. Expiry at tick period_load; early warning at tick
// period_load - period_load/4 (skipped when LOAD < 4, where it would coincide with expiry).
// EWF latches whether or not EWIE is set; the IRQ line is EWF & EWIE. A feed does not clear EWF.
#include "peripherals/watchdog.h"

namespace hilsim::periph {

Watchdog::Watchdog(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      wdt_hz_(static_cast<std::uint64_t>(option_int(config, "clock-hz"))),
      irq_(config.irq),
      expire_event_(host.add_event(config.name + ".expire", [this] { expire(); })),
      warn_event_(host.add_event(config.name + ".early_warning", [this] { warn(); })),
      bank_(config.name, host,
            {
                {.name = "LOAD", .offset = 0x00, .access = Access::RW, .reset = 0x8000, .storage = &s_.load},
                {.name = "CTRL", .offset = 0x04, .access = Access::RW, .writable = kEn | kEwie,
                 .storage = &s_.ctrl,
                 .on_write = [this](std::uint32_t old, std::uint32_t now) {
                   if ((old & kEn) && !(now & kEn)) {
                     s_.ctrl |= kEn;
                     this->host().guest_error(name(), 0x04, "CTRL.EN cannot be cleared once the watchdog runs");
                   } else if (!(old & kEn) && (now & kEn)) {
                     start_period();
                   }
                   update_irq();
                 }},
                {.name = "FEED", .offset = 0x08, .access = Access::W,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { feed(v); }},
                {.name = "VALUE", .offset = 0x0C, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return value(); }},
                {.name = "STATUS", .offset = 0x10, .access = Access::W1C, .writable = kEwf, .storage = &s_.status,
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
            }) {
  reset(ResetReason::PowerOn);
}

void Watchdog::reset(ResetReason) {
  host().cancel(expire_event_);
  host().cancel(warn_event_);
  s_ = State{};
  bank_.reset();
  update_irq();
}

void Watchdog::describe(StateVisitor& v) {
  v.field("load", s_.load);
  v.field("ctrl", s_.ctrl);
  v.field("status", s_.status);
  v.field("period_load", s_.period_load);
  v.field("period_start", s_.period_start);
}

Ticks Watchdog::cycles_for(std::uint64_t wdt_ticks) const {
  unsigned __int128 num = static_cast<unsigned __int128>(wdt_ticks) * host().clock_hz();
  return static_cast<Ticks>((num + wdt_hz_ - 1) / wdt_hz_);
}

std::uint32_t Watchdog::value() const {
  if (!running()) return s_.load;
  Ticks elapsed = host().now() - s_.period_start;
  unsigned __int128 ticks = static_cast<unsigned __int128>(elapsed) * wdt_hz_ / host().clock_hz();
  return ticks >= s_.period_load ? 0 : static_cast<std::uint32_t>(s_.period_load - ticks);
}

void Watchdog::start_period() {
  s_.period_load = s_.load;
  s_.period_start = host().now();
  if (s_.period_load == 0)
    host().guest_error(name(), 0x00, "LOAD=0: the watchdog expires immediately");
  host().schedule(expire_event_, cycles_for(s_.period_load));
  std::uint32_t quarter = s_.period_load / 4;
  if (quarter > 0) host().schedule(warn_event_, cycles_for(s_.period_load - quarter));
  else host().cancel(warn_event_);
}

void Watchdog::feed(std::uint32_t key) {
  if (key != kFeedKey) {
    host().guest_error(name(), 0x08, "FEED with a wrong key: system reset");
    host().request_reset(ResetReason::Watchdog);
    return;
  }
  if (running()) start_period();
}

void Watchdog::warn() {
  s_.status |= kEwf;
  update_irq();
}

void Watchdog::expire() {
  host().cancel(warn_event_);
  host().request_reset(ResetReason::Watchdog);
}

void Watchdog::update_irq() {
  if (irq_ < 0) return;
  host().set_irq(irq_, (s_.status & kEwf) && (s_.ctrl & kEwie));
}

}  // namespace hilsim::periph
