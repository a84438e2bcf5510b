// flash-controller registers and operation timeline. Unlock with KEY1 then KEY2 (any other
// write relocks); CMD starts an operation on ADDR (absolute) with DATA0/DATA1 or with the
// first LEN bytes of the write buffer; BUSY holds
// until the completion event; DONE/ERR are sticky (W1C) and raise the IRQ when enabled.
#include "peripherals/flash_controller.h"

#include <charconv>
#include <stdexcept>

namespace hilsim::periph {

const char* to_string(FlashOp::Kind kind) { return kind == FlashOp::Kind::Program ? "program" : "erase"; }

namespace {
ProgramPolicy parse_policy(const DeviceConfig& c) {
  std::string p = option_string(c, "program-policy");
  if (p == "and") return ProgramPolicy::And;
  if (p == "allow") return ProgramPolicy::Allow;
  if (p != "error")
    throw std::invalid_argument(c.name + ": option 'program-policy' must be error, and or allow, not '" + p + "'");
  return ProgramPolicy::Error;
}

std::vector<Register> concat(std::vector<Register> a, std::vector<Register> b) {
  a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
  return a;
}
}  // namespace

// BUF0..BUF63: plain read/write words, declared in a loop (names must outlive the bank).
std::vector<Register> FlashController::buffer_registers(State& s) {
  static const std::array<std::string, kBufBytes / 4> names = [] {
    std::array<std::string, kBufBytes / 4> n;
    for (std::size_t i = 0; i < n.size(); ++i) n[i] = "BUF" + std::to_string(i);
    return n;
  }();
  std::vector<Register> regs;
  for (std::uint32_t i = 0; i < kBufBytes / 4; ++i)
    regs.push_back({.name = names[i].c_str(), .offset = kBufOffset + 4 * i, .access = Access::RW,
                    .storage = &s.buf[i]});
  return regs;
}

FlashController::FlashController(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      memory_name_(option_string(config, "memory")),
      program_policy_(parse_policy(config)),
      irq_(config.irq),
      done_event_(host.add_event(config.name + ".op_done", [this] { complete(); })),
      bank_(config.name, host,
            concat({
                {.name = "KEY", .offset = 0x00, .access = Access::W,
                 .on_write = [this](std::uint32_t, std::uint32_t v) {
                   if (s_.key_stage == 0 && v == kKey1) {
                     s_.key_stage = 1;
                   } else if (s_.key_stage == 1 && v == kKey2) {
                     s_.key_stage = 0;
                     s_.ctrl &= ~kLock;
                   } else {
                     s_.key_stage = 0;
                     s_.ctrl |= kLock;
                     this->host().guest_error(name(), 0x00, "wrong unlock key sequence: the controller stays locked");
                   }
                 }},
                {.name = "CTRL", .offset = 0x04, .access = Access::RW, .reset = kLock, .writable = 0x7,
                 .storage = &s_.ctrl,
                 .on_write = [this](std::uint32_t old, std::uint32_t v) {
                   // LOCK can be set by software but only cleared by the key sequence.
                   if ((old & kLock) && !(v & kLock)) s_.ctrl |= kLock;
                   update_irq();
                 }},
                {.name = "ADDR", .offset = 0x08, .access = Access::RW, .storage = &s_.addr},
                {.name = "DATA0", .offset = 0x0C, .access = Access::RW, .reset = 0xFFFFFFFF, .storage = &s_.data0},
                {.name = "DATA1", .offset = 0x10, .access = Access::RW, .reset = 0xFFFFFFFF, .storage = &s_.data1},
                {.name = "CMD", .offset = 0x14, .access = Access::W,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { command(v); }},
                {.name = "STATUS", .offset = 0x18, .access = Access::W1C, .writable = kDone | kErr,
                 .storage = &s_.sticky,
                 .on_read = [this](std::uint32_t sticky) {
                   return sticky | (s_.busy ? kBusy : 0) | ((s_.ctrl & kLock) ? kLocked : 0) | (s_.errcode << 8);
                 },
                 .on_write = [this](std::uint32_t, std::uint32_t v) {
                   if (v & kErr) s_.errcode = ErrNone;
                   update_irq();
                 }},
                {.name = "SECTOR", .offset = 0x1C, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return flash_.sector_size(); }},
                {.name = "UNIT", .offset = 0x20, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return flash_.unit(); }},
                {.name = "OPCOUNT", .offset = 0x24, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(s_.seq); }},
                {.name = "BASE", .offset = 0x28, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return base_; }},
                {.name = "SIZE", .offset = 0x2C, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return flash_.size(); }},
                {.name = "LEN", .offset = 0x30, .access = Access::RW, .writable = 0x1FF, .storage = &s_.len},
                {.name = "PAGE", .offset = 0x34, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return page_; }},
            }, buffer_registers(s_))) {
  DeviceHost::MemoryView mem = host.memory(memory_name_);
  if (!mem.bytes)
    throw std::invalid_argument(config.name + ": option 'memory' names '" + memory_name_ +
                                "', which is not a memory region of this board");
  auto sector = static_cast<std::uint32_t>(option_int(config, "sector-size"));
  auto unit = static_cast<std::uint32_t>(option_int(config, "program-unit"));
  if ((sector & (sector - 1)) != 0 || mem.size % sector != 0)
    throw std::invalid_argument(config.name + ": sector-size " + std::to_string(sector) +
                                " must be a power of two that divides the region size");
  if (unit != 4 && unit != 8) throw std::invalid_argument(config.name + ": program-unit must be 4 or 8");
  page_ = static_cast<std::uint32_t>(option_int(config, "page-size"));
  if ((page_ & (page_ - 1)) != 0 || page_ < unit || page_ > kBufBytes || page_ > sector)
    throw std::invalid_argument(config.name + ": page-size " + std::to_string(page_) +
                                " must be a power of two from the program unit up to 256 and the sector size");
  base_ = mem.base;
  flash_ = NorFlash(mem.bytes, mem.size, sector, unit);
  flash_.set_endurance(static_cast<std::uint32_t>(option_int(config, "endurance")));
  std::string bad = option_string(config, "bad-sectors");
  if (bad == "none") bad.clear();
  for (std::size_t at = 0; at < bad.size();) {
    std::size_t comma = bad.find(',', at);
    std::string item = bad.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    std::uint32_t n = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (ec != std::errc{} || end != item.data() + item.size() || n >= flash_.sectors())
      throw std::invalid_argument(config.name + ": bad-sectors entry '" + item + "' is not a sector number below " +
                                  std::to_string(flash_.sectors()));
    flash_.set_bad(n, true);
    at = comma == std::string::npos ? bad.size() : comma + 1;
  }
  std::uint64_t hz = host.clock_hz();
  program_ticks_ = hz * static_cast<std::uint64_t>(option_int(config, "program-us")) / 1'000'000;
  erase_ticks_ = hz * static_cast<std::uint64_t>(option_int(config, "erase-ms")) / 1'000;
  s_.rng = config.seed ^ 0x466C617368ull;  // "Flash"
  reset(ResetReason::PowerOn);
}

void FlashController::reset(ResetReason) {
  // A system reset aborts nothing the array already did; an operation in flight at reset
  // completes (the flash part keeps its own power), so only the interface is reset.
  std::uint64_t seq = s_.seq, rng = s_.rng;
  bool busy = s_.busy;
  State keep = s_;
  s_ = State{};
  s_.seq = seq;
  s_.rng = rng;
  if (busy) {
    s_.busy = true;
    s_.op_kind = keep.op_kind;
    s_.op_addr = keep.op_addr;
    s_.op_size = keep.op_size;
    s_.op_start = keep.op_start;
    s_.op_data = keep.op_data;
  }
  bank_.reset();
  s_.ctrl = kLock;
  update_irq();
}

void FlashController::power_off() {
  if (s_.busy) {
    host().cancel(done_event_);
    std::uint32_t off = s_.op_addr - base_;
    switch (power_loss_policy_) {
      case PowerLossPolicy::Before:
        break;
      case PowerLossPolicy::After:
        if (s_.op_kind != kCmdErase) flash_.program(off, s_.op_data, program_policy_);
        else flash_.erase(off / flash_.sector_size());
        break;
      case PowerLossPolicy::Torn:
        if (s_.op_kind != kCmdErase) flash_.tear_program(off, s_.op_data, s_.rng);
        else flash_.tear_erase(off / flash_.sector_size(), s_.rng);
        break;
    }
    host().memory_changed(s_.op_addr, s_.op_size);
    s_.busy = false;
    finish(std::string("power cut (") + to_string(power_loss_policy_) + ")");
  }
  // Weak bits left by torn erases read differently from now on.
  flash_.power_on_noise(s_.rng);
}

std::vector<std::uint8_t> FlashController::unit_data() const {
  std::vector<std::uint8_t> d(flash_.unit());
  for (std::uint32_t i = 0; i < flash_.unit(); ++i)
    d[i] = static_cast<std::uint8_t>((i < 4 ? s_.data0 : s_.data1) >> (8 * (i % 4)));
  return d;
}

std::vector<std::uint8_t> FlashController::buffer_data() const {
  std::vector<std::uint8_t> d(s_.len);
  for (std::uint32_t i = 0; i < s_.len; ++i) d[i] = static_cast<std::uint8_t>(s_.buf[i / 4] >> (8 * (i % 4)));
  return d;
}

void FlashController::fail(ErrCode code, const std::string& why) {
  s_.sticky |= kErr;
  s_.errcode = code;
  host().guest_error(name(), 0x14, why);
  update_irq();
}

void FlashController::command(std::uint32_t cmd) {
  if (cmd != kCmdProgram && cmd != kCmdErase && cmd != kCmdProgramBuffer)
    return fail(ErrRange, "unknown CMD " + std::to_string(cmd));
  if (s_.busy) return fail(ErrBusy, "command while an operation is in progress");
  if (s_.ctrl & kLock) return fail(ErrLocked, "command while the controller is locked");
  std::uint32_t addr = s_.addr;
  if (addr < base_ || addr - base_ >= flash_.size()) return fail(ErrRange, "ADDR outside the flash array");
  std::uint32_t off = addr - base_;
  if (cmd == kCmdProgramBuffer) {
    // Like a NOR page program, a buffered write stays inside one page (real parts wrap
    // around within the page instead; refusing is kinder to a driver with an off-by-one).
    if (s_.len == 0 || s_.len % flash_.unit() != 0 || s_.len > page_)
      return fail(ErrAlign, "LEN " + std::to_string(s_.len) + " is not a multiple of the program unit from " +
                                std::to_string(flash_.unit()) + " to PAGE (" + std::to_string(page_) + ")");
    if (off % page_ + s_.len > page_)
      return fail(ErrAlign, "buffered program of " + std::to_string(s_.len) + " bytes at ADDR crosses a " +
                                std::to_string(page_) + "-byte page boundary");
  }
  NorFlash::Status st;
  std::vector<std::uint8_t> data;
  std::uint32_t size;
  if (cmd == kCmdProgram || cmd == kCmdProgramBuffer) {
    data = cmd == kCmdProgram ? unit_data() : buffer_data();
    st = flash_.check_program(off, data, program_policy_);
    size = static_cast<std::uint32_t>(data.size());
  } else {
    off -= off % flash_.sector_size();
    addr = base_ + off;
    st = flash_.check_erase(off / flash_.sector_size());
    size = flash_.sector_size();
  }
  ++s_.seq;
  current_ = FlashOp{s_.seq, cmd == kCmdErase ? FlashOp::Kind::Erase : FlashOp::Kind::Program, addr, size,
                     host().now(), 0, ""};
  for (const OpSink& sink : sinks_) sink(current_);
  if (st != NorFlash::Status::Ok) {
    static const ErrCode codes[] = {ErrNone, ErrNotErased, ErrRange, ErrAlign, ErrBadSector, ErrWornOut};
    fail(codes[static_cast<int>(st)], std::string(to_string(current_.kind)) + " at ADDR: " + NorFlash::describe(st));
    finish(std::string("error: ") + NorFlash::describe(st));
    return;
  }
  s_.busy = true;
  s_.op_kind = cmd;
  s_.op_addr = addr;
  s_.op_size = size;
  s_.op_start = host().now();
  s_.op_data = data;
  // A page takes as long as programming its units one by one (parts differ; this keeps the
  // board's timing independent of how the driver batches).
  host().schedule(done_event_, cmd == kCmdErase ? erase_ticks_ : program_ticks_ * (size / flash_.unit()));
}

void FlashController::complete() {
  if (!s_.busy) return;
  std::uint32_t off = s_.op_addr - base_;
  if (s_.op_kind != kCmdErase) flash_.program(off, s_.op_data, program_policy_);
  else flash_.erase(off / flash_.sector_size());
  host().memory_changed(s_.op_addr, s_.op_size);
  s_.busy = false;
  s_.sticky |= kDone;
  finish("ok");
  update_irq();
}

void FlashController::finish(const std::string& result) {
  current_.end = host().now();
  current_.result = result;
  for (const OpSink& sink : sinks_) sink(current_);
}

void FlashController::update_irq() {
  if (irq_ < 0) return;
  bool level = ((s_.ctrl & kDoneIe) && (s_.sticky & kDone)) || ((s_.ctrl & kErrIe) && (s_.sticky & kErr));
  host().set_irq(irq_, level);
}

void FlashController::describe(StateVisitor& v) {
  v.field("ctrl", s_.ctrl);
  v.field("sticky", s_.sticky);
  v.field("errcode", s_.errcode);
  v.field("key_stage", s_.key_stage);
  v.field("addr", s_.addr);
  v.field("data0", s_.data0);
  v.field("data1", s_.data1);
  v.field("len", s_.len);
  std::vector<std::uint8_t> buf(kBufBytes);
  for (std::uint32_t i = 0; i < kBufBytes; ++i) buf[i] = static_cast<std::uint8_t>(s_.buf[i / 4] >> (8 * (i % 4)));
  v.field("buf", buf);
  if (buf.size() != kBufBytes) buf.resize(kBufBytes, 0xFF);
  for (std::uint32_t i = 0; i < kBufBytes / 4; ++i)
    s_.buf[i] = buf[4 * i] | buf[4 * i + 1] << 8 | buf[4 * i + 2] << 16 | std::uint32_t(buf[4 * i + 3]) << 24;
  v.field("busy", s_.busy);
  v.field("seq", s_.seq);
  v.field("rng", s_.rng);
  v.field("op_kind", s_.op_kind);
  v.field("op_addr", s_.op_addr);
  v.field("op_size", s_.op_size);
  v.field("op_start", s_.op_start);
  v.field("op_data", s_.op_data);
  flash_.sync_to_bytes();
  v.field("erase_counts", flash_.erase_count_bytes());
  v.field("bad_sectors", flash_.bad_bytes());
  v.field("weak_bits", flash_.weak_bytes());
}

void FlashController::post_load() {
  flash_.sync_from_bytes();
  if (s_.busy)
    current_ = FlashOp{s_.seq, s_.op_kind == kCmdErase ? FlashOp::Kind::Erase : FlashOp::Kind::Program,
                       s_.op_addr, s_.op_size, s_.op_start, 0, ""};
  update_irq();
}

}  // namespace hilsim::periph
