// Unicorn wrapper: engine set-up, hooks, exact instruction counting, run with a deadline.
#include "emulator/cpu.h"

#include <unicorn/arm.h>

#include <cstring>

#include "peripherals/state_io.h"

namespace hilsim::emu {

namespace {
std::string uc_error(const char* what, uc_err err) {
  return std::string(what) + ": " + uc_strerror(err);
}
}  // namespace

Cpu::~Cpu() {
  if (reset_ctx_) uc_context_free(reset_ctx_);
  if (uc_) uc_close(uc_);
}

std::string Cpu::open(CpuModel model, CpuListener* listener) {
  listener_ = listener;
  uc_err err = uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc_);  // NOT MCLASS: that forces an M33
  if (err) return uc_error("uc_open", err);
  // Must be the first call after open, or the model silently stays Cortex-A15.
  int uc_model = model == CpuModel::CortexM4 ? UC_CPU_ARM_CORTEX_M4 : UC_CPU_ARM_CORTEX_M3;
  err = uc_ctl_set_cpu_model(uc_, uc_model);
  if (err) return uc_error("uc_ctl_set_cpu_model", err);

  uc_hook h;
  // One block hook for the whole address space: counting + deadline stop.
  err = uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&Cpu::hook_block), this, 1, 0);
  if (err) return uc_error("block hook", err);
  err = uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&Cpu::hook_intr), this, 1, 0);
  if (err) return uc_error("interrupt hook", err);
  err = uc_hook_add(uc_, &h, UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(&Cpu::hook_insn_invalid),
                    this, 1, 0);
  if (err) return uc_error("invalid-instruction hook", err);
  // Costs nothing until it fires (notes §2): used for fault reports only.
  err = uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&Cpu::hook_mem_invalid),
                    this, 1, 0);
  if (err) return uc_error("invalid-memory hook", err);

  err = uc_context_alloc(uc_, &reset_ctx_);
  if (err) return uc_error("uc_context_alloc", err);
  err = uc_context_save(uc_, reset_ctx_);
  if (err) return uc_error("uc_context_save", err);
  has_fpu_ = model == CpuModel::CortexM4;
  if (has_fpu_) {
    // Finding the hidden FP state writes registers: the engine goes back to its reset state.
    std::string why = hidden_.locate(uc_);
    uc_context_restore(uc_, reset_ctx_);
    if (!why.empty()) return "Cortex-M4 FPU: " + why;
  }
  return {};
}

std::string Cpu::map_host(std::uint32_t base, std::uint32_t size, std::uint8_t* host,
                          std::uint32_t prot) {
  uc_err err = uc_mem_map_ptr(uc_, base, size, prot, host);
  return err ? uc_error("uc_mem_map_ptr", err) : std::string{};
}

std::string Cpu::map_mmio(std::uint32_t base, std::uint32_t size, uc_cb_mmio_read_t read,
                          uc_cb_mmio_write_t write, void* user) {
  uc_err err = uc_mmio_map(uc_, base, size, read, user, write, user);
  return err ? uc_error("uc_mmio_map", err) : std::string{};
}

void Cpu::add_host_region(std::uint32_t base, std::uint32_t size, std::uint8_t* host,
                          bool writable) {
  code_.push_back({base, size, host, writable});
}

bool Cpu::fast_read(std::uint32_t addr, void* out, std::size_t n) const {
  for (const CodeRegion& r : code_)
    if (addr >= r.base && addr - r.base + n <= r.size) {
      std::memcpy(out, r.host + (addr - r.base), n);
      return true;
    }
  return read_mem(addr, out, n);
}

bool Cpu::fast_write(std::uint32_t addr, const void* data, std::size_t n) {
  for (const CodeRegion& r : code_)
    if (r.writable && addr >= r.base && addr - r.base + n <= r.size) {
      std::memcpy(r.host + (addr - r.base), data, n);
      return true;
    }
  return write_mem(addr, data, n);
}

std::uint32_t Cpu::reg(int id) const {
  std::uint32_t v = 0;
  uc_reg_read(uc_, id, &v);
  return v;
}

void Cpu::set_reg(int id, std::uint32_t value) { uc_reg_write(uc_, id, &value); }

void Cpu::rebuild_hflags() {
  std::uint32_t nzcv = reg(UC_ARM_REG_APSR_NZCV);
  set_reg(UC_ARM_REG_APSR_NZCV, nzcv);
  note_flags_rebuilt();
}

// --- FPU (Cortex-M4) --------------------------------------------------------------------

void Cpu::set_fp_control(const FpControl& control) {
  if (!has_fpu_) return;
  hidden_.load();
  hidden_.set_fpccr(control.fpccr);
  hidden_.set_fpcar(control.fpcar);
  hidden_.set_fpdscr(control.fpdscr);
  hidden_.set_cpacr(control.cpacr);
  hidden_.store();
  unsigned access = (control.cpacr >> 20) & 3;
  if (access != fp_access_) {
    fp_access_ = access;
    set_fp_trap_stale();
  }
  // Unless access is full, MSR/CPS matter: they drop the trap, and MSR CONTROL may change the
  // privilege that CPACR.CP10 = 01 depends on.
  if (fp_access_ == kFpFullAccess) block_attention_ &= ~kBlockRebuildsFlags;
  else block_attention_ |= kBlockRebuildsFlags;
}

std::uint32_t Cpu::engine_fpccr() {
  if (!has_fpu_) return 0;
  hidden_.load();
  return hidden_.fpccr();
}

bool Cpu::take_engine_lspact() {
  if (!has_fpu_) return false;
  hidden_.load();
  std::uint32_t fpccr = hidden_.fpccr();
  if (!(fpccr & 1)) return false;
  hidden_.set_fpccr(fpccr & ~1u);
  hidden_.store();
  return true;
}

void Cpu::note_flags_rebuilt() {
  if (has_fpu_ && fp_access_ != kFpFullAccess) set_fp_trap_stale();
}

void Cpu::set_fp_trap_stale() {
  fp_trap_stale_ = true;
  block_attention_ |= kBlockUsesFp;
}

// Written every time (never skipped as "already armed"): a rebuild we did not see would make
// any belief about the engine's flags wrong.
void Cpu::apply_fp_trap() {
  bool privileged = (reg(UC_ARM_REG_IPSR) & 0x1ff) != 0 || !(reg(UC_ARM_REG_CONTROL) & 1);
  bool deny = fp_access_ == 1 ? !privileged : fp_access_ != kFpFullAccess;
  hidden_.load();
  hidden_.set_fp_trap(deny);
  hidden_.store();
  fp_trap_stale_ = false;
  fp_trap_apply_ = false;
  block_attention_ &= ~kBlockUsesFp;
}

bool Cpu::read_mem(std::uint32_t addr, void* out, std::size_t n) const {
  return uc_mem_read(uc_, addr, out, n) == UC_ERR_OK;
}

bool Cpu::write_mem(std::uint32_t addr, const void* data, std::size_t n) {
  return uc_mem_write(uc_, addr, data, n) == UC_ERR_OK;
}

void Cpu::flush_code(std::uint32_t begin, std::uint32_t end) {
  // One call per guest page: a single uc_ctl_remove_cache over many pages translates only the
  // first page's address and left stale TBs further on (measured: after a whole flash image
  // was replaced, the old firmware's code kept running from it). A full TB flush instead
  // (UC_CTL_TB_FLUSH) works but left the rest of the run 4x slower, so it is not used.
  if (page_size_ == 0) {
    std::uint32_t size = 0;
    page_size_ = uc_ctl_get_page_size(uc_, &size) == UC_ERR_OK && size != 0 ? size : 1024;
  }
  const std::uint64_t page = page_size_;
  for (std::uint64_t a = begin; a < end;) {
    std::uint64_t next = std::min<std::uint64_t>((a / page + 1) * page, end);
    uc_ctl_remove_cache(uc_, a, next);
    a = next;
  }
  counts_.fill(CountEntry{});
}

void CpuRegisters::describe(periph::StateVisitor& v) {
  static const char* const names[13] = {"r0", "r1", "r2", "r3", "r4",  "r5", "r6",
                                        "r7", "r8", "r9", "r10", "r11", "r12"};
  for (int i = 0; i < 13; ++i) v.field(names[i], r[i]);
  v.field("lr", lr);
  v.field("pc", pc);
  v.field("xpsr", xpsr);
  v.field("msp", msp);
  v.field("psp", psp);
  v.field("primask", primask);
  v.field("basepri", basepri);
  v.field("faultmask", faultmask);
  v.field("control", control);
  std::vector<std::uint8_t> fp(sizeof s);
  std::memcpy(fp.data(), s.data(), sizeof s);  // little-endian host, as the format says
  v.field("s0_s31", fp);
  if (fp.size() == sizeof s) std::memcpy(s.data(), fp.data(), sizeof s);
  v.field("fpscr", fpscr);
}

namespace {
constexpr std::uint32_t kControlNpriv = 1;
}  // namespace

CpuRegisters Cpu::save_context() {
  CpuRegisters out;
  // Unprivileged thread code reads MSP/PSP/masks as zero through Unicorn (QEMU's MRS rules).
  // Enter handler mode for a moment (an xPSR write has no privilege check), clear nPRIV there
  // (CONTROL.SPSEL writes are ignored in handler mode, so the banked stacks stay put), and come
  // back: now privileged, same stack. nPRIV is put back at the end.
  std::uint32_t control = reg(UC_ARM_REG_CONTROL);
  std::uint32_t xpsr = reg(UC_ARM_REG_XPSR);
  bool unprivileged = (control & kControlNpriv) && (xpsr & 0x1ff) == 0;
  auto toggle_npriv = [&](std::uint32_t value) {
    set_reg(UC_ARM_REG_IPSR, 1);
    set_reg(UC_ARM_REG_CONTROL, value);
    set_reg(UC_ARM_REG_IPSR, 0);
  };
  if (unprivileged) toggle_npriv(control & ~kControlNpriv);
  for (int i = 0; i < 13; ++i) out.r[i] = reg(UC_ARM_REG_R0 + i);
  out.lr = reg(UC_ARM_REG_LR);
  out.pc = reg(UC_ARM_REG_PC);
  out.xpsr = xpsr;
  out.msp = reg(UC_ARM_REG_MSP);
  out.psp = reg(UC_ARM_REG_PSP);
  out.primask = reg(UC_ARM_REG_PRIMASK);
  out.basepri = reg(UC_ARM_REG_BASEPRI);
  out.faultmask = reg(UC_ARM_REG_FAULTMASK);
  out.control = control;
  for (int i = 0; i < 32; ++i) out.s[i] = reg(UC_ARM_REG_S0 + i);
  out.fpscr = reg(UC_ARM_REG_FPSCR);
  if (unprivileged) toggle_npriv(control);
  rebuild_hflags();
  return out;
}

void Cpu::restore_context(const CpuRegisters& in) {
  // From reset: thread mode, privileged, on MSP. The stacks and masks go in while privileged;
  // CONTROL next, still in thread mode, so SPSEL banks the stacks the way the firmware left them;
  // then xPSR (IPSR may enter handler mode; no privilege check), and the plain registers.
  uc_context_restore(uc_, reset_ctx_);
  set_reg(UC_ARM_REG_MSP, in.msp);
  set_reg(UC_ARM_REG_PSP, in.psp);
  set_reg(UC_ARM_REG_PRIMASK, in.primask);
  set_reg(UC_ARM_REG_BASEPRI, in.basepri);
  set_reg(UC_ARM_REG_FAULTMASK, in.faultmask);
  set_reg(UC_ARM_REG_CONTROL, in.control);
  set_reg(UC_ARM_REG_XPSR_NZCVQG, in.xpsr);
  for (int i = 0; i < 13; ++i) set_reg(UC_ARM_REG_R0 + i, in.r[i]);
  set_reg(UC_ARM_REG_LR, in.lr);
  for (int i = 0; i < 32; ++i) set_reg(UC_ARM_REG_S0 + i, in.s[i]);
  set_reg(UC_ARM_REG_FPSCR, in.fpscr);
  set_reg(UC_ARM_REG_PC, in.pc | 1u);
  rebuild_hflags();
}

void Cpu::reset_context() {
  uc_context_restore(uc_, reset_ctx_);
  rebuild_hflags();
}

void Cpu::request_stop() {
  stop_requested_ = true;
  uc_emu_stop(uc_);
}

CpuStop Cpu::run(std::uint32_t pc) {
  if (fp_trap_apply_) apply_fp_trap();  // before the lookup of the first block
  hit_deadline_ = false;
  stop_requested_ = false;
  wfe_ = false;
  running_ = true;
  block_start_ = icount_;
  mmio_in_block_ = 0;
  last_error_ = uc_emu_start(uc_, pc | 1u, 0xFFFFFFFFull, 0, 0);
  running_ = false;
  if (hit_deadline_) return CpuStop::Deadline;
  if (wfe_) return CpuStop::Wfe;
  if (stop_requested_) return CpuStop::Requested;
  if (last_error_ != UC_ERR_OK) return CpuStop::Error;
  // Unicorn stops on WFI with no hook and no error (notes §3d): PC is after the WFI.
  return CpuStop::Wfi;
}

Ticks Cpu::count_before(std::uint32_t addr) const {
  if (addr <= block_addr_) return block_start_;
  Ticks n = 0;
  for (const CodeRegion& r : code_) {
    if (block_addr_ < r.base || block_addr_ - r.base >= r.size || addr - r.base > r.size) continue;
    const std::uint8_t* p = r.host + (block_addr_ - r.base);
    for (std::uint32_t i = 0; i + 1 < addr - block_addr_;) {
      std::uint32_t hw = p[i] | (p[i + 1] << 8);
      i += (hw >> 11) >= 0x1D ? 4 : 2;
      ++n;
    }
    break;
  }
  return block_start_ + n;
}

void Cpu::stop_before(std::uint32_t addr) {
  icount_ = count_before(addr);
  hit_deadline_ = true;
  stop_pc_ = addr;
  uc_emu_stop(uc_);
}

// --- hooks -----------------------------------------------------------------------------

// The hot path: one block-count cache hit, no deadline, nothing the FPU model must see. Kept a
// leaf function (everything else is in block_slow) so it stays a handful of instructions.
void Cpu::hook_block(uc_engine* uc, std::uint64_t addr, std::uint32_t size, void* user) {
  Cpu* self = static_cast<Cpu*>(user);
  CountEntry& e = self->counts_[(addr >> 1) & (self->counts_.size() - 1)];
  if (self->icount_ >= self->deadline_ || e.addr != addr || e.size != size ||
      (e.flags & self->block_attention_)) [[unlikely]] {
    self->block_slow(uc, static_cast<std::uint32_t>(addr), size, e);
    return;
  }
  self->block_addr_ = static_cast<std::uint32_t>(addr);
  self->block_start_ = self->icount_;
  self->mmio_in_block_ = 0;
  self->icount_ += e.count;
}

void Cpu::block_slow(uc_engine* uc, std::uint32_t addr, std::uint32_t size, CountEntry& e) {
  if (icount_ >= deadline_) {
    // Stop before this block runs; it is counted when it runs after the resume.
    hit_deadline_ = true;
    stop_pc_ = addr;
    uc_emu_stop(uc);
    return;
  }
  if (e.addr != addr || e.size != size) {
    e.addr = addr;
    e.size = size;
    count_block(addr, size, &e.count, &e.flags);
  }
  if ((e.flags & kBlockUsesFp) && fp_trap_stale_) {
    // This block was looked up with translation flags that may not carry the FP trap as CPACR
    // wants it: stop before it (like a deadline); run() applies the trap, and the block is
    // looked up again with the right flags.
    fp_trap_apply_ = true;
    hit_deadline_ = true;
    stop_pc_ = addr;
    uc_emu_stop(uc);
    return;
  }
  if ((e.flags & kBlockRebuildsFlags) && (block_attention_ & kBlockRebuildsFlags)) note_flags_rebuilt();
  block_addr_ = addr;
  block_start_ = icount_;
  mmio_in_block_ = 0;
  icount_ += e.count;
}

// Thumb-2: a halfword whose top five bits are 0b11101, 0b11110 or 0b11111 starts a
// 32-bit instruction; everything else is 16-bit. While decoding, note what the FPU model
// needs to know about the block: coprocessor-space instructions (FP on the M4:
// 0b111x11xx in the first halfword) and MSR / CPS, after which Unicorn recomputes its flags.
void Cpu::count_block(std::uint32_t addr, std::uint32_t size, std::uint16_t* count,
                      std::uint16_t* flags) {
  *flags = 0;
  for (const CodeRegion& r : code_) {
    if (addr < r.base || addr - r.base + size > r.size) continue;
    const std::uint8_t* p = r.host + (addr - r.base);
    std::uint32_t n = 0;
    for (std::uint32_t i = 0; i + 1 < size;) {
      std::uint32_t hw = p[i] | (p[i + 1] << 8);
      if ((hw >> 11) >= 0x1D) {
        std::uint32_t hw2 = i + 3 < size ? p[i + 2] | (p[i + 3] << 8) : 0;
        if ((hw & 0xEC00) == 0xEC00) *flags |= kBlockUsesFp;
        if ((hw & 0xFFE0) == 0xF380 && (hw2 & 0xD000) == 0x8000) *flags |= kBlockRebuildsFlags;
        i += 4;
      } else {
        if ((hw & 0xFFEC) == 0xB660) *flags |= kBlockRebuildsFlags;  // CPSIE/CPSID
        i += 2;
      }
      ++n;
    }
    *count = static_cast<std::uint16_t>(n ? n : 1);
    return;
  }
  // Code outside known regions (should not happen): Unicorn's own count, and assume the worst.
  *flags = kBlockUsesFp | kBlockRebuildsFlags;
  uc_tb tb{};
  if (uc_ctl_request_cache(uc_, addr, &tb) == UC_ERR_OK && tb.icount) *count = tb.icount;
  else *count = static_cast<std::uint16_t>(size / 2 ? size / 2 : 1);
}

void Cpu::hook_intr(uc_engine*, std::uint32_t intno, void* user) {
  static_cast<Cpu*>(user)->listener_->on_interrupt(intno);
}

bool Cpu::hook_insn_invalid(uc_engine* uc, void* user) {
  Cpu* self = static_cast<Cpu*>(user);
  // WFE and YIELD arrive here with PC after the instruction (notes §3d); UDF arrives
  // with PC at the instruction. Treat the hint instructions as a stop, the rest as errors.
  std::uint32_t pc = self->reg(UC_ARM_REG_PC) & ~1u;
  std::uint16_t at = 0, before = 0;
  self->read_mem(pc, &at, 2);
  self->read_mem(pc - 2, &before, 2);
  bool at_is_udf = (at & 0xff00) == 0xde00 || (at & 0xfff0) == 0xf7f0;
  if (!at_is_udf && (before == 0xbf20 || before == 0xbf10)) {
    self->wfe_ = true;
    return true;
  }
  return false;
}

bool Cpu::hook_mem_invalid(uc_engine*, uc_mem_type type, std::uint64_t addr, int size,
                           std::int64_t value, void* user) {
  static_cast<Cpu*>(user)->listener_->on_bad_access(type, static_cast<std::uint32_t>(addr), size,
                                                    static_cast<std::uint32_t>(value));
  return false;
}

}  // namespace hilsim::emu
