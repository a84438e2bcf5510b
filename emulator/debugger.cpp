// Debug API over a Machine: bounded code hooks for breakpoints, a tracer hook for steps and
// watchpoints, register/memory access through the bus and the models, target XML.
//
// Index: [run] resume/step · [hooks] breakpoint/tracer/watch hooks · [points] breakpoints and
// watchpoints · [state] registers and memory · [xml] target description and memory map.
#include "emulator/debugger.h"

#include <unicorn/arm.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

namespace hilsim::emu {

namespace {
struct RegDef {
  const char* name;
  int uc;
  const char* type;
  const char* group;
};
// GDB remote numbering = this order (target_xml() states it with regnum attributes).
constexpr RegDef kRegs[Debugger::kRegisterCount] = {
    {"r0", UC_ARM_REG_R0, "uint32", "general"},      {"r1", UC_ARM_REG_R1, "uint32", "general"},
    {"r2", UC_ARM_REG_R2, "uint32", "general"},      {"r3", UC_ARM_REG_R3, "uint32", "general"},
    {"r4", UC_ARM_REG_R4, "uint32", "general"},      {"r5", UC_ARM_REG_R5, "uint32", "general"},
    {"r6", UC_ARM_REG_R6, "uint32", "general"},      {"r7", UC_ARM_REG_R7, "uint32", "general"},
    {"r8", UC_ARM_REG_R8, "uint32", "general"},      {"r9", UC_ARM_REG_R9, "uint32", "general"},
    {"r10", UC_ARM_REG_R10, "uint32", "general"},    {"r11", UC_ARM_REG_R11, "uint32", "general"},
    {"r12", UC_ARM_REG_R12, "uint32", "general"},    {"sp", UC_ARM_REG_SP, "data_ptr", "general"},
    {"lr", UC_ARM_REG_LR, "int", "general"},         {"pc", UC_ARM_REG_PC, "code_ptr", "general"},
    {"xpsr", UC_ARM_REG_XPSR, "int", "general"},     {"msp", UC_ARM_REG_MSP, "data_ptr", "system"},
    {"psp", UC_ARM_REG_PSP, "data_ptr", "system"},   {"primask", UC_ARM_REG_PRIMASK, "int", "system"},
    {"basepri", UC_ARM_REG_BASEPRI, "int", "system"}, {"faultmask", UC_ARM_REG_FAULTMASK, "int", "system"},
    {"control", UC_ARM_REG_CONTROL, "int", "system"},
};
constexpr int kPc = 15, kXpsr = 16, kControl = 22;

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}
}  // namespace

const char* Debugger::register_name(int n) {
  return n >= 0 && n < kRegisterCount ? kRegs[n].name : "?";
}

Debugger::Debugger(Machine& machine) : m_(machine) {}

Debugger::~Debugger() {
  uc_engine* uc = m_.cpu().uc();
  for (auto& [addr, bp] : breakpoints_) uc_hook_del(uc, bp.hook);
  for (Watchpoint& w : watchpoints_)
    for (uc_hook h : w.hooks) uc_hook_del(uc, h);
  if (tracer_on_) uc_hook_del(uc, tracer_);
  m_.set_hold_interrupts(false);
  flush_all();
}

// ===== [run] ===========================================================================

DebugStop Debugger::resume(Ticks limit, bool from_halt) {
  if (from_halt) {
    skip_valid_ = true;
    skip_pc_ = m_.pc() & ~1u;
    skip_at_ = m_.now();
  }
  if (tracer_on_ && watchpoints_.empty()) set_tracer(false);
  return finish(m_.run_until(limit));
}

DebugStop Debugger::step(bool hold_interrupts) {
  skip_valid_ = true;
  skip_pc_ = m_.pc() & ~1u;
  skip_at_ = m_.now();
  set_tracer(true);  // kept after the step: GDB steps many times in a row ("next")
  stepping_ = true;
  m_.set_hold_interrupts(hold_interrupts);
  // Bounded so that a step that never reaches a second instruction still returns.
  RunResult r = m_.run_until(m_.now() + std::max<Ticks>(m_.clock_hz(), 1));
  m_.set_hold_interrupts(false);
  stepping_ = false;
  DebugStop s = finish(r);
  if (s.kind == DebugStop::Kind::TimeLimit) s.kind = DebugStop::Kind::Step;
  return s;
}

DebugStop Debugger::finish(const RunResult& r) {
  DebugStop s;
  s.run = r;
  if (r.reason == StopReason::Halted && have_stop_) s = stop_, s.run = r;
  else if (r.reason == StopReason::Halted) s.kind = DebugStop::Kind::Halted;
  else if (r.reason == StopReason::TimeLimit) s.kind = DebugStop::Kind::TimeLimit;
  else s.kind = DebugStop::Kind::Machine;
  have_stop_ = false;
  watch_hit_ = false;
  return s;
}

// ===== [hooks] =========================================================================

// The instruction the target resumes from runs once even if it is a breakpoint.
bool Debugger::skip(std::uint32_t addr, Ticks at) const {
  return skip_valid_ && addr == skip_pc_ && at == skip_at_;
}

void Debugger::halt_before(std::uint32_t addr, DebugStop::Kind kind) {
  if (have_stop_) return;  // several hooks on one instruction: the first one wins
  m_.cpu().stop_before(addr);
  m_.request_halt();
  have_stop_ = true;
  stop_ = DebugStop{};
  stop_.kind = kind;
  if (kind == DebugStop::Kind::Watchpoint) {
    stop_.address = watch_addr_;
    stop_.watch = watch_kind_;
  } else {
    stop_.address = addr;
    auto it = breakpoints_.find(addr);
    stop_.hardware = it != breakpoints_.end() && it->second.hardware;
  }
}

void Debugger::hook_breakpoint(uc_engine*, std::uint64_t addr64, std::uint32_t, void* user) {
  Debugger* self = static_cast<Debugger*>(user);
  std::uint32_t addr = static_cast<std::uint32_t>(addr64);
  if (self->skip(addr, self->m_.cpu().count_before(addr))) return;
  self->halt_before(addr, DebugStop::Kind::Breakpoint);
}

void Debugger::hook_tracer(uc_engine*, std::uint64_t addr64, std::uint32_t, void* user) {
  Debugger* self = static_cast<Debugger*>(user);
  if (!self->stepping_ && !self->watch_hit_) return;  // the common case: one branch
  std::uint32_t addr = static_cast<std::uint32_t>(addr64);
  if (self->watch_hit_) {
    self->halt_before(addr, DebugStop::Kind::Watchpoint);
    return;
  }
  if (self->skip(addr, self->m_.cpu().count_before(addr))) return;
  self->halt_before(addr, DebugStop::Kind::Step);
}

void Debugger::hook_watch(uc_engine*, uc_mem_type type, std::uint64_t addr, int size,
                          std::int64_t, void* user) {
  Debugger* self = static_cast<Debugger*>(user);
  bool write = type == UC_MEM_WRITE;
  for (const Watchpoint& w : self->watchpoints_) {
    bool kind_ok = w.kind == WatchKind::Access || (w.kind == WatchKind::Write) == write;
    if (!kind_ok || addr + static_cast<std::uint64_t>(size) <= w.addr || addr >= std::uint64_t(w.addr) + w.len)
      continue;
    if (!self->watch_hit_) {
      self->watch_hit_ = true;
      self->watch_addr_ = std::max(w.addr, static_cast<std::uint32_t>(addr));
      self->watch_kind_ = w.kind;
    }
  }
}

// ===== [points] ========================================================================

void Debugger::flush_all() {
  for (MappedMemory& r : m_.bus().regions()) m_.cpu().flush_code(r.base, r.base + r.size);
}

void Debugger::set_tracer(bool on) {
  if (on == tracer_on_) return;
  uc_engine* uc = m_.cpu().uc();
  if (on) {
    if (uc_hook_add(uc, &tracer_, UC_HOOK_CODE, reinterpret_cast<void*>(&Debugger::hook_tracer), this,
                    1, 0) != UC_ERR_OK)
      return;
  } else {
    uc_hook_del(uc, tracer_);
  }
  tracer_on_ = on;
  flush_all();  // hooks apply to code translated after this (notes §7.6)
}

bool Debugger::add_breakpoint(std::uint32_t addr, bool hardware) {
  addr &= ~1u;
  if (breakpoints_.count(addr)) return true;
  uc_hook h = 0;
  if (uc_hook_add(m_.cpu().uc(), &h, UC_HOOK_CODE, reinterpret_cast<void*>(&Debugger::hook_breakpoint),
                  this, addr, addr) != UC_ERR_OK)
    return false;
  breakpoints_[addr] = {h, hardware};
  m_.cpu().flush_code(addr, addr + 4);
  return true;
}

bool Debugger::remove_breakpoint(std::uint32_t addr) {
  addr &= ~1u;
  auto it = breakpoints_.find(addr);
  if (it == breakpoints_.end()) return false;
  uc_hook_del(m_.cpu().uc(), it->second.hook);
  breakpoints_.erase(it);
  m_.cpu().flush_code(addr, addr + 4);  // translated code may call the hook directly
  return true;
}

bool Debugger::add_watchpoint(WatchKind kind, std::uint32_t addr, std::uint32_t len) {
  if (len == 0 || len > 0x10000 || !m_.bus().host(addr, len)) return false;
  Watchpoint w{kind, addr, len, {}};
  // Unicorn checks a bounded memory hook against the access's first byte: start the range
  // 3 bytes early so that a word access overlapping the watched bytes is seen.
  std::uint64_t lo = addr >= 3 ? addr - 3 : 0, hi = std::uint64_t(addr) + len - 1;
  auto add = [&](int type) {
    uc_hook h = 0;
    if (uc_hook_add(m_.cpu().uc(), &h, type, reinterpret_cast<void*>(&Debugger::hook_watch), this, lo,
                    hi) != UC_ERR_OK)
      return false;
    w.hooks.push_back(h);
    return true;
  };
  bool ok = true;
  if (kind != WatchKind::Read) ok = add(UC_HOOK_MEM_WRITE) && ok;
  if (kind != WatchKind::Write) ok = add(UC_HOOK_MEM_READ) && ok;
  if (!ok) {
    for (uc_hook h : w.hooks) uc_hook_del(m_.cpu().uc(), h);
    return false;
  }
  watchpoints_.push_back(std::move(w));
  set_tracer(true);
  flush_all();  // memory hooks change how every load/store is translated
  return true;
}

bool Debugger::remove_watchpoint(WatchKind kind, std::uint32_t addr, std::uint32_t len) {
  for (auto it = watchpoints_.begin(); it != watchpoints_.end(); ++it) {
    if (it->kind != kind || it->addr != addr || it->len != len) continue;
    for (uc_hook h : it->hooks) uc_hook_del(m_.cpu().uc(), h);
    watchpoints_.erase(it);
    flush_all();
    return true;
  }
  return false;
}

void Debugger::clear_points() {
  while (!breakpoints_.empty()) remove_breakpoint(breakpoints_.begin()->first);
  while (!watchpoints_.empty()) {
    const Watchpoint& w = watchpoints_.front();
    remove_watchpoint(w.kind, w.addr, w.len);
  }
  if (stepping_ == false) set_tracer(false);
}

// ===== [state] =========================================================================

std::uint32_t Debugger::read_register(int n) {
  if (n < 0 || n >= kRegisterCount) return 0;
  if (n == kPc) return m_.pc() & ~1u;
  return m_.cpu().reg(kRegs[n].uc);
}

bool Debugger::write_register(int n, std::uint32_t value) {
  if (n < 0 || n >= kRegisterCount) return false;
  if (n == kPc) {
    m_.set_pc(value);
    return true;
  }
  m_.cpu().set_reg(kRegs[n].uc, value);
  if (n == kXpsr || n == kControl) m_.cpu().rebuild_hflags();
  return true;
}

bool Debugger::is_device(std::uint32_t addr) { return m_.bus().device_at(addr) != nullptr; }

std::size_t Debugger::read_memory(std::uint32_t addr, std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    std::uint32_t a = addr + static_cast<std::uint32_t>(done);
    if (MappedMemory* r = m_.bus().region_at(a)) {
      std::size_t k = std::min<std::size_t>(n - done, r->base + r->size - a);
      std::memcpy(out + done, r->bytes.data() + (a - r->base), k);
      done += k;
      continue;
    }
    std::uint32_t offset = 0;
    periph::Device* d = m_.bus().device_at(a, &offset);
    if (!d) break;
    // Through the model, in naturally aligned words where possible (registers are words).
    unsigned size = (a % 4 == 0 && n - done >= 4) ? 4 : 1;
    std::uint32_t v = d->read(offset, size);
    ++device_reads_;
    for (unsigned i = 0; i < size; ++i) out[done + i] = static_cast<std::uint8_t>(v >> (8 * i));
    done += size;
  }
  return done;
}

std::size_t Debugger::write_memory(std::uint32_t addr, const std::uint8_t* in, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    std::uint32_t a = addr + static_cast<std::uint32_t>(done);
    if (MappedMemory* r = m_.bus().region_at(a)) {
      std::size_t k = std::min<std::size_t>(n - done, r->base + r->size - a);
      std::memcpy(r->bytes.data() + (a - r->base), in + done, k);
      m_.cpu().flush_code(a, a + static_cast<std::uint32_t>(k));  // code may have changed
      done += k;
      continue;
    }
    std::uint32_t offset = 0;
    periph::Device* d = m_.bus().device_at(a, &offset);
    if (!d) break;
    unsigned size = (a % 4 == 0 && n - done >= 4) ? 4 : 1;
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= std::uint32_t(in[done + i]) << (8 * i);
    d->write(offset, size, v);
    done += size;
  }
  return done;
}

// ===== [xml] ===========================================================================

std::string Debugger::target_xml() const {
  std::string x =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
      "  <architecture>arm</architecture>\n  <feature name=\"org.gnu.gdb.arm.m-profile\">\n";
  for (int n = 0; n < kRegisterCount; ++n) {
    if (n == 17) x += "  </feature>\n  <feature name=\"org.gnu.gdb.arm.m-system\">\n";
    x += "    <reg name=\"" + std::string(kRegs[n].name) + "\" bitsize=\"32\" regnum=\"" + std::to_string(n) +
         "\" type=\"" + kRegs[n].type + "\" group=\"" + kRegs[n].group + "\"/>\n";
  }
  return x + "  </feature>\n</target>\n";
}

std::string Debugger::memory_map_xml() {
  std::string x =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
      "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">\n<memory-map>\n";
  for (const MappedMemory& r : m_.bus().regions()) {
    const char* type = r.kind == MappedKind::Ram ? "ram" : r.kind == MappedKind::Flash ? "flash" : "rom";
    x += "  <memory type=\"" + std::string(type) + "\" start=\"" + hex32(r.base) + "\" length=\"" +
         hex32(r.size) + "\"";
    if (r.kind == MappedKind::Flash) x += "><property name=\"blocksize\">0x1000</property></memory>\n";
    else x += "/>\n";
  }
  // Device windows: GDB has no "io" type; they are declared as RAM so that reads are allowed.
  // Those reads go through the models (docs/debugging.md).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> windows;
  for (const periph::DeviceConfig& dc : m_.board().peripherals)
    if (periph::Device* d = m_.device(dc.name)) windows.push_back({dc.base, d->window_size()});
  windows.push_back({0xE000E000u, 0x1000});  // System Control Space
  std::sort(windows.begin(), windows.end());
  for (const auto& [base, size] : windows)
    x += "  <memory type=\"ram\" start=\"" + hex32(base) + "\" length=\"" + hex32(size) + "\"/>\n";
  return x + "</memory-map>\n";
}

}  // namespace hilsim::emu
