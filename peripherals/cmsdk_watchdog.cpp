// cmsdk-watchdog model: register table, expiry event, lock. See cmsdk_watchdog.h.
//
// Registers: WDOGLOAD 0x000 (a write reloads the counter), WDOGVALUE 0x004, WDOGCONTROL 0x008,
// WDOGINTCLR 0x00C (any write clears the interrupt and reloads), WDOGRIS 0x010, WDOGMIS 0x014,
// WDOGLOCK 0xC00 (reads 1 while locked), ITCR 0xF00, ITOP 0xF04, PID/CID at 0xFD0.
// Writes while locked are reported and ignored (QEMU: ignored).
#include "peripherals/cmsdk_watchdog.h"

#include "peripherals/cmsdk_timer.h"  // cmsdk_id_registers

namespace hilsim::periph {

CmsdkWatchdog::CmsdkWatchdog(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      irq_(option_bool(config, "nmi") ? kIrqNmi : config.irq),
      expire_event_(host.add_event(config.name + ".expire", [this] { expire(); })),
      bank_(config.name, host, [this] {
        std::vector<Register> regs = {
            {.name = "WDOGLOAD", .offset = 0x000, .access = Access::RW, .reset = 0xFFFFFFFFu, .storage = &s_.load,
             .on_write = [this](std::uint32_t, std::uint32_t) { reload(); }},
            {.name = "WDOGVALUE", .offset = 0x004, .access = Access::R,
             .on_read = [this](std::uint32_t) { return value(); }},
            {.name = "WDOGCONTROL", .offset = 0x008, .access = Access::RW, .writable = kIntEn | kResEn,
             .storage = &s_.control,
             .on_write = [this](std::uint32_t old, std::uint32_t now) {
               if ((now & kIntEn) && !(old & kIntEn)) reload();
               if (!(now & kIntEn)) {
                 s_.start_value = value();
                 this->host().cancel(expire_event_);
               }
               update_irq();
             }},
            {.name = "WDOGINTCLR", .offset = 0x00C, .access = Access::W,
             .on_write = [this](std::uint32_t, std::uint32_t) {
               s_.ris = 0;
               reload();
               update_irq();
             }},
            {.name = "WDOGRIS", .offset = 0x010, .access = Access::R, .storage = &s_.ris},
            {.name = "WDOGMIS", .offset = 0x014, .access = Access::R,
             .on_read = [this](std::uint32_t) { return (s_.control & kIntEn) ? s_.ris : 0u; }},
            {.name = "WDOGLOCK", .offset = 0xC00, .access = Access::RW,
             .on_read = [this](std::uint32_t) { return s_.locked; },
             .on_write = [this](std::uint32_t, std::uint32_t v) { s_.locked = v == kUnlockKey ? 0 : 1; }},
            {.name = "WDOGITCR", .offset = 0xF00, .access = Access::RW, .writable = 0},
            {.name = "WDOGITOP", .offset = 0xF04, .access = Access::W, .writable = 0},
        };
        static const std::uint8_t pid[8] = {0x04, 0, 0, 0, 0x24, 0xb8, 0x1b, 0xb0};
        for (Register& r : cmsdk_id_registers(pid)) regs.push_back(std::move(r));
        return regs;
      }()) {
  reset(ResetReason::PowerOn);
}

void CmsdkWatchdog::write(std::uint32_t offset, unsigned size, std::uint32_t value) {
  if (s_.locked && (offset & ~3u) != 0xC00) {
    host().guest_error(name(), offset & ~3u, "write while WDOGLOCK is locked (ignored)");
    return;
  }
  bank_.write(offset, size, value);
}

void CmsdkWatchdog::reset(ResetReason) {
  host().cancel(expire_event_);
  s_ = State{};
  bank_.reset();
  update_irq();
}

void CmsdkWatchdog::describe(StateVisitor& v) {
  v.field("load", s_.load);
  v.field("control", s_.control);
  v.field("ris", s_.ris);
  v.field("locked", s_.locked);
  v.field("start_value", s_.start_value);
  v.field("start", s_.start);
}

std::uint32_t CmsdkWatchdog::value() const {
  if (!(s_.control & kIntEn)) return s_.start_value;
  std::uint64_t elapsed = host().now() - s_.start;
  return elapsed >= s_.start_value ? 0 : static_cast<std::uint32_t>(s_.start_value - elapsed);
}

void CmsdkWatchdog::reload() {
  s_.start_value = s_.load;
  s_.start = host().now();
  host().cancel(expire_event_);
  if (s_.control & kIntEn) host().schedule(expire_event_, s_.load ? s_.load : 1);
}

void CmsdkWatchdog::expire() {
  if (s_.ris && (s_.control & kResEn)) {
    host().request_reset(ResetReason::Watchdog);
    return;
  }
  s_.ris = 1;
  update_irq();
  reload();
}

void CmsdkWatchdog::update_irq() {
  if (irq_ != -1) host().set_irq(irq_, (s_.control & kIntEn) && s_.ris);
}

}  // namespace hilsim::periph
