// cmsdk-dualtimer model: two DownCounters and their register tables. See cmsdk_dualtimer.h.
//
// Modes: free-running wraps from 0 to the maximum (0xFFFFFFFF, or 0xFFFF in 16-bit mode);
// periodic reloads LOAD after 0 (period LOAD+1 steps); one-shot stops at 0. Writing LOAD loads
// the counter at once; BGLOAD changes only the reload value. RIS is set at every zero crossing
// whatever IE says; MIS = RIS & IE; TIMINTC = MIS1 | MIS2. CONTROL resets to 0x20 (IE set).
#include "peripherals/cmsdk_dualtimer.h"

namespace hilsim::periph {

CmsdkDualTimer::CmsdkDualTimer(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      irq_(config.irq),
      zero_event_{host.add_event(config.name + ".timer1_zero", [this] { zero(0); }),
                  host.add_event(config.name + ".timer2_zero", [this] { zero(1); })},
      bank_(config.name, host, [this] {
        std::vector<Register> regs = channel_registers(0);
        for (Register& r : channel_registers(1)) regs.push_back(std::move(r));
        static const std::uint8_t pid[8] = {0x04, 0, 0, 0, 0x23, 0xb8, 0x1b, 0x00};
        for (Register& r : cmsdk_id_registers(pid)) regs.push_back(std::move(r));
        return regs;
      }()) {
  reset(ResetReason::PowerOn);
}

std::vector<Register> CmsdkDualTimer::channel_registers(int i) {
  static const char* names[2][7] = {
      {"Timer1Load", "Timer1Value", "Timer1Control", "Timer1IntClr", "Timer1RIS", "Timer1MIS", "Timer1BGLoad"},
      {"Timer2Load", "Timer2Value", "Timer2Control", "Timer2IntClr", "Timer2RIS", "Timer2MIS", "Timer2BGLoad"}};
  std::uint32_t b = 0x20u * static_cast<std::uint32_t>(i);
  Channel& c = ch_[i];
  return {
      {.name = names[i][0], .offset = b + 0x00, .access = Access::RW, .storage = &c.load,
       .on_write = [this, i](std::uint32_t, std::uint32_t v) { restart(i, v); }},
      {.name = names[i][1], .offset = b + 0x04, .access = Access::R,
       .on_read = [this, i](std::uint32_t) { return value(i); }},
      {.name = names[i][2], .offset = b + 0x08, .access = Access::RW, .reset = kIntEnable, .writable = 0xEF,
       .storage = &c.control,
       .on_write = [this, i](std::uint32_t old, std::uint32_t now) {
         // The value keeps counting from where it was under the old settings.
         std::uint32_t saved = ch_[i].control;
         ch_[i].control = old;
         std::uint32_t v = value(i);
         ch_[i].control = saved;
         if ((old ^ now) & kSize32) v &= (now & kSize32) ? 0xFFFFFFFFu : 0xFFFFu;
         ch_[i].counter.running = now & kEnable;
         restart(i, v);
       }},
      {.name = names[i][3], .offset = b + 0x0C, .access = Access::W,
       .on_write = [this, i](std::uint32_t, std::uint32_t) {
         ch_[i].ris = 0;
         update_irq();
       }},
      {.name = names[i][4], .offset = b + 0x10, .access = Access::R, .on_read = [this, i](std::uint32_t) {
         return ch_[i].ris;
       }},
      {.name = names[i][5], .offset = b + 0x14, .access = Access::R, .on_read = [this, i](std::uint32_t) {
         return (ch_[i].control & kIntEnable) ? ch_[i].ris : 0u;
       }},
      {.name = names[i][6], .offset = b + 0x18, .access = Access::RW,
       .on_read = [this, i](std::uint32_t) { return ch_[i].load; },
       .on_write = [this, i](std::uint32_t, std::uint32_t v) {
         std::uint32_t now_value = value(i);
         ch_[i].load = v;
         restart(i, now_value);
       }},
  };
}

void CmsdkDualTimer::reset(ResetReason) {
  for (int i = 0; i < 2; ++i) {
    host().cancel(zero_event_[i]);
    ch_[i] = Channel{};
    ch_[i].counter.start_value = 0xFFFFFFFFu;
  }
  bank_.reset();
  update_irq();
}

void CmsdkDualTimer::describe(StateVisitor& v) {
  static const char* names[2][6] = {{"t1.load", "t1.control", "t1.ris", "t1.start_value", "t1.start", "t1.running"},
                                    {"t2.load", "t2.control", "t2.ris", "t2.start_value", "t2.start", "t2.running"}};
  for (int i = 0; i < 2; ++i) {
    v.field(names[i][0], ch_[i].load);
    v.field(names[i][1], ch_[i].control);
    v.field(names[i][2], ch_[i].ris);
    v.field(names[i][3], ch_[i].counter.start_value);
    v.field(names[i][4], ch_[i].counter.start);
    v.field(names[i][5], ch_[i].counter.running);
  }
}

CmsdkDualTimer::Timing CmsdkDualTimer::timing(const Channel& c) const {
  static const std::uint32_t divs[4] = {1, 16, 256, 256};  // prescale 3 is undefined: as 256
  std::uint32_t mask = (c.control & kSize32) ? 0xFFFFFFFFu : 0xFFFFu;
  bool periodic = c.control & kPeriodic;
  return {divs[(c.control >> 2) & 3], periodic ? (c.load & mask) : mask,
          (c.control & kOneShot) != 0 || (periodic && (c.load & mask) == 0)};
}

std::uint32_t CmsdkDualTimer::value(int i) const {
  Timing t = timing(ch_[i]);
  return ch_[i].counter.value(host().now(), t.div, t.after_zero, t.one_shot);
}

void CmsdkDualTimer::restart(int i, std::uint32_t v) {
  std::uint32_t mask = (ch_[i].control & kSize32) ? 0xFFFFFFFFu : 0xFFFFu;
  ch_[i].counter.restart(host().now(), v & mask);
  reschedule(i);
}

void CmsdkDualTimer::reschedule(int i) {
  host().cancel(zero_event_[i]);
  Timing t = timing(ch_[i]);
  std::uint64_t dt = ch_[i].counter.until_zero(host().now(), t.div, t.after_zero, t.one_shot);
  if (dt) host().schedule(zero_event_[i], dt);
}

void CmsdkDualTimer::zero(int i) {
  ch_[i].ris = 1;
  update_irq();
  reschedule(i);
}

void CmsdkDualTimer::update_irq() {
  bool level = false;
  for (const Channel& c : ch_) level |= (c.control & kIntEnable) && c.ris;
  if (irq_ >= 0) host().set_irq(irq_, level);
}

}  // namespace hilsim::periph
