// cmsdk-timer model: register table and the zero-crossing event. See cmsdk_timer.h.
//
// Registers (DDI0479 table 4-9; QEMU hw/timer/cmsdk-apb-timer.c): CTRL 0x00 (EN, SELEXTEN,
// SELEXTCLK, IRQEN), VALUE 0x04, RELOAD 0x08, INTSTATUS/INTCLEAR 0x0C (W1C), PID/CID at 0xFD0.
// Writing RELOAD also loads VALUE (as QEMU does). With RELOAD = 0 the counter stops at 0.
#include "peripherals/cmsdk_timer.h"

namespace hilsim::periph {

namespace {
std::vector<Register> id_registers(const std::uint8_t (&pid)[8]) {
  static const char* names[12] = {"PID4", "PID5", "PID6", "PID7", "PID0", "PID1",
                                  "PID2", "PID3", "CID0", "CID1", "CID2", "CID3"};
  static const std::uint8_t cid[4] = {0x0d, 0xf0, 0x05, 0xb1};
  std::vector<Register> regs;
  for (std::uint32_t i = 0; i < 12; ++i)
    regs.push_back({.name = names[i], .offset = 0xFD0 + 4 * i, .access = Access::R,
                    .on_read = [v = std::uint32_t{i < 8 ? pid[i] : cid[i - 8]}](std::uint32_t) { return v; }});
  return regs;
}
}  // namespace

std::vector<Register> cmsdk_id_registers(const std::uint8_t (&pid)[8]) { return id_registers(pid); }

CmsdkTimer::CmsdkTimer(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      irq_(config.irq),
      zero_event_(host.add_event(config.name + ".zero", [this] { zero(); })),
      bank_(config.name, host, [this] {
        std::vector<Register> regs = {
            {.name = "CTRL", .offset = 0x00, .access = Access::RW, .writable = 0xF, .storage = &s_.ctrl,
             .on_write = [this](std::uint32_t old, std::uint32_t now) {
               std::uint32_t v = s_.counter.value(this->host().now(), 1, s_.reload, s_.reload == 0);
               if ((old ^ now) & kEnable) {
                 s_.counter.running = now & kEnable;
                 s_.counter.restart(this->host().now(), v);
               }
               reschedule();
             }},
            {.name = "VALUE", .offset = 0x04, .access = Access::RW,
             .on_read = [this](std::uint32_t) { return value(); },
             .on_write = [this](std::uint32_t, std::uint32_t v) { set_value(v); }},
            {.name = "RELOAD", .offset = 0x08, .access = Access::RW, .storage = &s_.reload,
             .on_write = [this](std::uint32_t, std::uint32_t v) { set_value(v); }},
            {.name = "INTSTATUS", .offset = 0x0C, .access = Access::W1C, .writable = 1, .storage = &s_.intstatus,
             .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
        };
        static const std::uint8_t pid[8] = {0x04, 0, 0, 0, 0x22, 0xb8, 0x1b, 0x00};
        for (Register& r : id_registers(pid)) regs.push_back(std::move(r));
        return regs;
      }()) {
  reset(ResetReason::PowerOn);
}

void CmsdkTimer::reset(ResetReason) {
  host().cancel(zero_event_);
  s_ = State{};
  bank_.reset();
  update_irq();
}

void CmsdkTimer::describe(StateVisitor& v) {
  v.field("ctrl", s_.ctrl);
  v.field("reload", s_.reload);
  v.field("intstatus", s_.intstatus);
  v.field("start_value", s_.counter.start_value);
  v.field("start", s_.counter.start);
  v.field("running", s_.counter.running);
}

std::uint32_t CmsdkTimer::value() const { return s_.counter.value(host().now(), 1, s_.reload, s_.reload == 0); }

void CmsdkTimer::set_value(std::uint32_t v) {
  s_.counter.restart(host().now(), v);
  reschedule();
}

void CmsdkTimer::reschedule() {
  host().cancel(zero_event_);
  std::uint64_t dt = s_.counter.until_zero(host().now(), 1, s_.reload, s_.reload == 0);
  if (dt) host().schedule(zero_event_, dt);
}

void CmsdkTimer::zero() {
  if (s_.ctrl & kIrqEnable) s_.intstatus = 1;
  update_irq();
  reschedule();
}

void CmsdkTimer::update_irq() {
  if (irq_ >= 0) host().set_irq(irq_, s_.intstatus & 1);
}

}  // namespace hilsim::periph
