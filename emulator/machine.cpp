// Machine construction, power/reset, the run loop, and the CPU hook handlers.
//
// Index: [build] construction from the board file · [power] power and reset ·
// [run] the run loop · [hooks] SVC/BKPT/exception return · [faults] fault handling ·
// [host] the DeviceHost services given to device models.
#include "emulator/machine.h"

#include "emulator/fault_locator.h"

#include <unicorn/arm.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "peripherals/cmsdk_uart.h"
#include "peripherals/gpio.h"
#include "peripherals/mps2_fpgaio.h"
#include "peripherals/registry.h"
#include "peripherals/uart.h"

#include "emulator/text.h"

namespace hilsim::emu {

namespace {
constexpr std::uint32_t kScsPage = 0xE000E000;
constexpr std::uint16_t kWfi = 0xBF30;
// CFSR bits.
constexpr std::uint32_t kIaccviol = 1u << 0, kPreciserr = 1u << 9, kBfarvalid = 1u << 15,
                        kUndefinstr = 1u << 16, kInvstate = 1u << 17, kInvpc = 1u << 18,
                        kNocp = 1u << 19;
constexpr std::uint32_t kExcpNocp = 17;  // QEMU's EXCP_NOCP, as UC_HOOK_INTR reports it
constexpr std::uint32_t kHfsrForced = 1u << 30;
}  // namespace

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::TimeLimit: return "time limit";
    case StopReason::Exited: return "exited";
    case StopReason::Breakpoint: return "breakpoint";
    case StopReason::Lockup: return "lockup";
    case StopReason::Budget: return "instruction budget exhausted";
    case StopReason::Stuck: return "asleep with nothing to wake it";
    case StopReason::PoweredOff: return "powered off";
    case StopReason::Halted: return "halted by the debugger";
  }
  return "?";
}

// ===== [build] =========================================================================

Machine::Machine(const BoardConfig& board, MachineOptions options)
    : board_(board), options_(std::move(options)), nvic_(64, 8) {}

Machine::~Machine() = default;

Loaded<std::unique_ptr<Machine>> Machine::create(const BoardConfig& board, MachineOptions options) {
  std::unique_ptr<Machine> m(new Machine(board, std::move(options)));
  std::string err = m->build();
  if (!err.empty()) return Loaded<std::unique_ptr<Machine>>::failure(board.file + ": " + err);
  return Loaded<std::unique_ptr<Machine>>(std::move(m));
}

std::string Machine::build() {
  bool m4 = board_.cpu == BoardConfig::Cpu::CortexM4;
  std::string err = cpu_.open(m4 ? CpuModel::CortexM4 : CpuModel::CortexM3, this);
  if (!err.empty()) return err;

  for (const MemoryRegion& r : board_.memory) {
    MappedKind kind = r.kind == MemoryRegion::Kind::Ram     ? MappedKind::Ram
                      : r.kind == MemoryRegion::Kind::Flash ? MappedKind::Flash
                                                            : MappedKind::Rom;
    err = r.alias_of.empty() ? bus_.add_memory(r.name, kind, r.base, r.size)
                             : bus_.add_alias(r.name, r.alias_of, r.base);
    if (!err.empty()) return err;
  }

  systick_ = std::make_unique<SysTick>(
      events_, [this] { return now(); },
      [this] {
        nvic_.set_pending(exc::SysTick, true);
        cpu_.stop_at_next_block();
      },
      board_.clock_hz);
  SystemControl::Hooks hooks;
  hooks.system_reset_request = [this] { request_reset(periph::ResetReason::Software); };
  hooks.changed = [this] { cpu_.stop_at_next_block(); };
  hooks.vectactive = [this] { return exceptions_->current(); };
  scs_ = std::make_unique<SystemControl>(*this, nvic_, *systick_, m4, std::move(hooks));
  fp_ = std::make_unique<FpContext>(cpu_, scs_->scb(), m4);
  scs_->attach_fp(fp_.get());
  exceptions_ = std::make_unique<ExceptionUnit>(cpu_, nvic_, *scs_, *fp_);
  bus_.add_device(*scs_, kScsPage);

  for (const periph::DeviceConfig& dc : board_.peripherals) {
    const periph::DeviceType* type = periph::find_device_type(dc.type);
    if (!type) return "peripheral '" + dc.name + "': unknown type '" + dc.type + "'";
    periph::DeviceConfig config = dc;
    config.seed = options_.seed;
    std::unique_ptr<periph::Device> dev;
    try {
      dev = type->create(config, *this);
    } catch (const std::exception& e) {  // a model rejects options it cannot work with
      return "peripheral '" + dc.name + "': " + e.what();
    }
    if (!dev) return "peripheral '" + dc.name + "': the model could not be created";
    bus_.add_device(*dev, dc.base);
    device_by_name_[dc.name] = dev.get();
    if (auto* uart = dynamic_cast<periph::Uart*>(dev.get())) {
      std::string name = dc.name;
      uart->set_tx_sink([this, name](Ticks when, std::uint8_t byte) {
        if (on_uart_byte) on_uart_byte(when, name, byte);
      });
    }
    if (auto* uart = dynamic_cast<periph::CmsdkUart*>(dev.get())) {
      std::string name = dc.name;
      uart->set_tx_sink([this, name](Ticks when, std::uint8_t byte) {
        if (on_uart_byte) on_uart_byte(when, name, byte);
      });
    }
    std::string pin_device = dc.name;
    auto pin_sink = [this, pin_device](Ticks when, unsigned pin, bool level) {
      if (!on_pin_change) return;
      std::string label = pin_device + "." + std::to_string(pin);
      for (const PinConfig& p : board_.pins)
        if (p.device == pin_device && p.pin == pin) label = p.name;
      on_pin_change(when, label, level);
    };
    if (auto* gpio = dynamic_cast<periph::Gpio*>(dev.get())) gpio->set_output_sink(pin_sink);
    if (auto* fpgaio = dynamic_cast<periph::Mps2FpgaIo*>(dev.get())) fpgaio->set_output_sink(pin_sink);
    devices_.push_back(std::move(dev));
  }
  bus_.unmapped_mmio = [this](std::uint32_t addr, bool write) {
    std::uint32_t page = addr & ~0xfffu;
    guest_error("bus", addr, std::string(write ? "write to " : "read from ") +
                                 "an address with no device in MMIO page " + hex(page));
  };
  err = bus_.map_devices();
  if (!err.empty()) return err;

  Semihosting::Env env;
  env.seconds = [this] { return seconds(now()); };
  env.out = [this](std::string_view text) {
    if (on_semihost_output) on_semihost_output(text);
    else std::fwrite(text.data(), 1, text.size(), stdout);
  };
  env.read_char = [] { return std::getchar(); };
  env.root = options_.semihosting_root;
  semihosting_ = std::make_unique<Semihosting>(std::move(env));
  return {};
}

std::string Machine::load_firmware(const ElfImage& image) {
  Loaded<std::vector<LoadChunk>> chunks = place(image, board_);
  if (!chunks) return chunks.error();
  ram_image_.clear();
  for (const LoadChunk& c : *chunks) {
    std::uint8_t* dst = bus_.host(c.address, static_cast<std::uint32_t>(c.bytes.size()));
    if (!dst) return image.file + ": segment at " + hex(c.address) + " does not fit the memory map";
    std::memcpy(dst, c.bytes.data(), c.bytes.size());
    cpu_.flush_code(c.address, c.address + static_cast<std::uint32_t>(c.bytes.size()));
    // Segments loaded into RAM (boards that run from RAM, like mps2) are reloaded at every
    // power-on, as QEMU's -kernel loader does at every reset.
    if (MappedMemory* r = bus_.region_at(c.address); r && r->kind == MappedKind::Ram) ram_image_.push_back(c);
  }
  symbols_ = SymbolTable(image.symbols);
  return {};
}

periph::Device* Machine::device(const std::string& name) {
  auto it = device_by_name_.find(name);
  return it == device_by_name_.end() ? nullptr : it->second;
}

Ticks Machine::ticks_from_ns(std::uint64_t ns) const {
  return static_cast<Ticks>((static_cast<unsigned __int128>(ns) * board_.clock_hz) / 1000000000u);
}

// ===== [power] =========================================================================

void Machine::power_on() {
  if (powered_) return;
  powered_ = true;
  // Volatile memory comes up zeroed: real SRAM is random, but determinism matters more.
  for (MappedMemory& r : bus_.regions())
    if (r.kind == MappedKind::Ram) std::memset(r.bytes.data(), 0, r.bytes.size());
  for (const LoadChunk& c : ram_image_) {
    if (std::uint8_t* dst = bus_.host(c.address, static_cast<std::uint32_t>(c.bytes.size())))
      std::memcpy(dst, c.bytes.data(), c.bytes.size());
    cpu_.flush_code(c.address, c.address + static_cast<std::uint32_t>(c.bytes.size()));
  }
  system_reset(periph::ResetReason::PowerOn);
}

void Machine::power_off() {
  if (!powered_) return;
  powered_ = false;
  for (auto& d : devices_) d->power_off();
  events_.cancel_all();
  sleeping_ = false;
  pending_reset_.reset();
}

void Machine::advance_unpowered(Ticks dt) {
  if (powered_) return;
  idle_cycles_ += dt;
  cpu_.set_icount(cpu_.icount() + dt);
}

void Machine::reset(periph::ResetReason reason) {
  if (powered_) system_reset(reason);
}

void Machine::system_reset(periph::ResetReason reason) {
  events_.cancel_all();
  nvic_.reset();
  systick_->reset();
  scs_->reset(reason);
  for (auto& d : devices_) d->reset(reason);
  cpu_.reset_context();
  fp_->push();  // FPU access and FP context registers at their reset values, into Unicorn
  nocp_at_.reset();
  // The core loads SP and PC from the vector table at address 0 (VTOR resets to 0),
  // whatever the ELF's entry point says.
  std::uint32_t sp = 0, pc = 0;
  cpu_.read_mem(0, &sp, 4);
  cpu_.read_mem(4, &pc, 4);
  cpu_.set_reg(UC_ARM_REG_MSP, sp);
  cpu_.set_reg(UC_ARM_REG_SP, sp);
  pc_ = pc | 1u;
  sleeping_ = false;
  event_register_ = false;
  svc_pending_ = false;
  sleep_on_exit_ = false;
  pending_reset_.reset();
  resets_.push_back({now(), reason});
  trace_.record(0x100, static_cast<std::uint32_t>(reason), now(), pc_);
  if (on_reset) on_reset(now(), reason);
}

// ===== [run] ===========================================================================

void Machine::take_exception(int e, std::uint32_t return_address) {
  std::string err = exceptions_->enter(e, return_address);
  if (!err.empty()) {
    lockup(err, return_address, true);
    return;
  }
  ++exceptions_taken_;
  trace_.record(0x200, static_cast<std::uint64_t>(e), now(), return_address);
  pc_ = cpu_.reg(UC_ARM_REG_PC);
}

RunResult Machine::run_until(Ticks limit) {
  if (!powered_) return {StopReason::PoweredOff, 0};
  stop_.reset();
  for (;;) {
    if (halt_requested_) {
      halt_requested_ = false;
      return {StopReason::Halted, 0};
    }
    events_.fire_due(now());
    if (pending_reset_) {
      system_reset(*pending_reset_);
      continue;
    }
    if (stop_) return *stop_;
    if (!powered_) return {StopReason::PoweredOff, 0};
    if (options_.instruction_budget && instructions() >= options_.instruction_budget) {
      record_fault(capture("instruction budget exhausted",
                           "the firmware ran " + std::to_string(instructions()) +
                               " instructions without finishing (a runaway loop?)",
                           pc_, true));
      return {StopReason::Budget, 0};
    }
    if (now() >= limit) return {StopReason::TimeLimit, 0};

    Masks masks = exceptions_->masks();
    if (svc_pending_) {
      // SVC is synchronous: taken now, or escalated to HardFault if priority forbids it.
      svc_pending_ = false;
      if (nvic_.group_priority(nvic_.priority(exc::SvCall)) >= nvic_.execution_priority(masks)) {
        nvic_.set_pending(exc::SvCall, false);
        FaultReport r = capture("SVC while masked", "SVC executed at a priority that forbids it", pc_, true);
        escalate_fault(r, exc::HardFault, 0, pc_);
        continue;
      }
    }
    if (int e = hold_interrupts_ ? 0 : nvic_.should_take(masks)) {
      sleeping_ = false;
      take_exception(e, pc_);
      continue;
    }
    if (sleeping_) {
      // WFI wakes on anything that could preempt if PRIMASK were clear (B1.5.19).
      Masks unmasked = masks;
      unmasked.primask = false;
      if (nvic_.should_take(unmasked)) {
        sleeping_ = false;
        continue;
      }
      Ticks wake = std::min(events_.next_due(), limit);
      if (wake == kNever) return {StopReason::Stuck, 0};
      idle_cycles_ += wake - now();
      cpu_.set_icount(wake);
      continue;
    }

    Ticks deadline = std::min({events_.next_due(), limit, now() + options_.max_chunk});
    if (options_.instruction_budget)
      deadline = std::min(deadline, now() + (options_.instruction_budget - instructions()));
    // Something pending is held back only by PRIMASK/BASEPRI/FAULTMASK: Unicorn does not
    // tell us when the firmware lowers them, so stop after every block until it does.
    Masks none;
    if (nvic_.should_take(none) != kNoException) deadline = now() + 1;
    cpu_.set_deadline(deadline);
    bad_access_.seen = false;
    CpuStop stop = cpu_.run(pc_);
    switch (stop) {
      case CpuStop::Deadline:
        pc_ = cpu_.stop_pc() | 1u;
        if (sleep_on_exit_) {  // SCR.SLEEPONEXIT: back to thread mode means back to sleep
          sleep_on_exit_ = false;
          sleeping_ = true;
          ++sleeps_;
        }
        break;
      case CpuStop::Wfi: {
        pc_ = cpu_.reg(UC_ARM_REG_PC) | 1u;
        std::uint16_t before = 0;
        cpu_.read_mem((pc_ & ~1u) - 2, &before, 2);
        if (before == kWfi) {
          sleeping_ = true;
          ++sleeps_;
        }
        break;
      }
      case CpuStop::Wfe:
        pc_ = cpu_.reg(UC_ARM_REG_PC) | 1u;
        if (event_register_) event_register_ = false;
        else {
          sleeping_ = true;
          ++sleeps_;
        }
        break;
      case CpuStop::Requested:
        if (nocp_at_) {
          std::uint32_t at = *nocp_at_;
          nocp_at_.reset();
          coprocessor_fault(at);
          break;
        }
        if (!stop_) pc_ = cpu_.reg(UC_ARM_REG_PC) | 1u;
        break;
      case CpuStop::Error:
        handle_cpu_error();
        break;
    }
  }
}

// ===== [hooks] =========================================================================

void Machine::on_interrupt(std::uint32_t intno) {
  std::uint32_t pc = cpu_.reg(UC_ARM_REG_PC);
  switch (intno) {
    case 2:  // SVC: PC is after the instruction. Taken at the next block boundary.
      nvic_.set_pending(exc::SvCall, true);
      svc_pending_ = true;
      cpu_.stop_at_next_block();
      return;
    case 7: {  // BKPT: PC is at the instruction.
      std::uint16_t insn = 0;
      cpu_.read_mem(pc & ~1u, &insn, 2);
      std::uint32_t imm = insn & 0xff;
      if (imm == 0xAB && options_.semihosting) {
        if (std::optional<int> code = semihosting_->call(cpu_)) {
          stop_ = RunResult{StopReason::Exited, *code};
          pc_ = (pc + 2) | 1u;
          cpu_.request_stop();
        } else {
          cpu_.set_reg(UC_ARM_REG_PC, (pc + 2) | 1u);
        }
        return;
      }
      FaultReport r = capture("breakpoint", "BKPT #" + std::to_string(imm) + " executed", pc, true);
      record_fault(r);
      stop_ = RunResult{StopReason::Breakpoint, static_cast<int>(imm)};
      pc_ = pc | 1u;
      cpu_.request_stop();
      return;
    }
    case 8:
    case 3:
      if (pc >= 0xFFFFFF00u) {  // a branch to EXC_RETURN
        std::string err = exceptions_->exception_return(pc | 1u);
        if (err.empty()) {
          trace_.record(0x300, static_cast<std::uint64_t>(exceptions_->current()), now(), pc | 1u);
          // Stop at the next block only if the loop has something to do: tail-chain a pending
          // exception, or sleep on exit. Otherwise the CPU runs on (one uc_emu_start saved).
          bool to_thread = exceptions_->current() == 0;
          if (to_thread && scs_->sleep_on_exit()) sleep_on_exit_ = true;
          if (!nvic_.nothing_pending() || sleep_on_exit_) cpu_.stop_at_next_block();
          return;
        }
        exc_return_error_ = err;
        cpu_.request_stop();
        return;
      }
      break;
    case kExcpNocp:
      // A coprocessor instruction the core cannot execute: FP with CPACR denying it (the trap
      // set by Cpu::set_fp_control), FP on a core without an FPU, or a coprocessor other
      // than CP10/CP11. PC is at the instruction, which has not executed. Stop; the run loop
      // takes the UsageFault (a hook must not enter exceptions).
      nocp_at_ = pc & ~1u;
      cpu_.request_stop();
      return;
    default:
      break;
  }
  exc_return_error_ = "unexpected CPU exception " + std::to_string(intno) + " at " + hex(pc);
  cpu_.request_stop();
}

void Machine::on_bad_access(uc_mem_type type, std::uint32_t address, int size, std::uint32_t) {
  bad_access_ = BadAccess{true, type, address, size};
}

// ===== [faults] ========================================================================

FaultReport Machine::capture(const std::string& kind, const std::string& detail,
                             std::uint32_t pc, bool pc_exact) {
  FaultReport f;
  f.kind = kind;
  f.detail = detail;
  f.at = now();
  f.seconds = seconds(now());
  f.pc = pc & ~1u;
  f.pc_exact = pc_exact;
  static const int regs[16] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,
                               UC_ARM_REG_R4, UC_ARM_REG_R5, UC_ARM_REG_R6,  UC_ARM_REG_R7,
                               UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                               UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};
  for (int i = 0; i < 16; ++i) f.r[i] = cpu_.reg(regs[i]);
  f.r[15] = f.pc;
  f.xpsr = cpu_.reg(UC_ARM_REG_XPSR);
  f.msp = cpu_.reg(UC_ARM_REG_MSP);
  f.psp = cpu_.reg(UC_ARM_REG_PSP);
  f.control = cpu_.reg(UC_ARM_REG_CONTROL);
  f.primask = cpu_.reg(UC_ARM_REG_PRIMASK);
  f.basepri = cpu_.reg(UC_ARM_REG_BASEPRI);
  f.faultmask = cpu_.reg(UC_ARM_REG_FAULTMASK);
  f.exception = exceptions_->current();
  f.backtrace = backtrace(f.r[13], f.r[14]);
  return f;
}

bool Machine::is_code(std::uint32_t addr) const {
  for (const MemoryRegion& r : board_.memory)
    if (r.kind != MemoryRegion::Kind::Ram && r.contains(addr)) return true;
  return false;
}

// Best effort without unwind tables: LR first (if it points into code), then every stack
// word that is an odd code address right after a BL/BLX instruction.
std::vector<std::uint32_t> Machine::backtrace(std::uint32_t sp, std::uint32_t lr) const {
  std::vector<std::uint32_t> out;
  auto after_call = [&](std::uint32_t ret) {
    ret &= ~1u;
    std::uint16_t hw[2] = {};
    if (!cpu_.read_mem(ret - 4, hw, 4)) return false;
    bool bl = (hw[0] & 0xF800) == 0xF000 && (hw[1] & 0xD000) == 0xD000;
    std::uint16_t h16 = 0;
    cpu_.read_mem(ret - 2, &h16, 2);
    bool blx_reg = (h16 & 0xFF87) == 0x4780;
    return bl || blx_reg;
  };
  if ((lr & 1) && is_code(lr & ~1u)) out.push_back(lr & ~1u);
  for (std::uint32_t a = sp, n = 0; n < 512 && out.size() < 16; a += 4, ++n) {
    std::uint32_t w = 0;
    if (!cpu_.read_mem(a, &w, 4)) break;
    if ((w & 1) && is_code(w & ~1u) && after_call(w) && (out.empty() || out.back() != (w & ~1u)))
      out.push_back(w & ~1u);
  }
  return out;
}

void Machine::record_fault(const FaultReport& report) {
  faults_.push_back(report);
  trace_.record(0x400, report.pc, report.at, 0);
  if (on_fault) on_fault(report);
}

void Machine::lockup(const std::string& why, std::uint32_t pc, bool pc_exact) {
  FaultReport r = capture("lockup", why, pc, pc_exact);
  record_fault(r);
  stop_ = RunResult{StopReason::Lockup, 0};
}

// Takes the configurable fault `preferred` if enabled and allowed, else HardFault
// (FORCED), else locks up (a fault at priority -1 or higher cannot be handled).
void Machine::escalate_fault(const FaultReport& report, int preferred, std::uint32_t cfsr_bits,
                             std::uint32_t return_address) {
  Masks masks = exceptions_->masks();
  int exec_prio = nvic_.execution_priority(masks);
  scs_->scb().cfsr |= cfsr_bits;
  int target = preferred;
  if (preferred != exc::HardFault &&
      (!nvic_.enabled(preferred) || nvic_.group_priority(nvic_.priority(preferred)) >= exec_prio)) {
    target = exc::HardFault;
  }
  if (target == exc::HardFault) {
    if (preferred != exc::HardFault) scs_->scb().hfsr |= kHfsrForced;
    if (exec_prio <= -1) {
      lockup("fault while the core was at priority " + std::to_string(exec_prio) +
                 " (in HardFault or NMI): " + report.kind + " at " + symbols_.format(report.pc),
             report.pc, report.pc_exact);
      return;
    }
  }
  take_exception(target, return_address);
}

void Machine::handle_cpu_error() {
  uc_err err = cpu_.last_error();
  if (!exc_return_error_.empty()) {
    std::string why = exc_return_error_;
    exc_return_error_.clear();
    std::uint32_t pc = cpu_.reg(UC_ARM_REG_PC);
    FaultReport r = capture("invalid exception return", why, pc, true);
    record_fault(r);
    escalate_fault(r, exc::UsageFault, kInvpc, cpu_.block_addr());
    return;
  }
  std::uint32_t pc = cpu_.reg(UC_ARM_REG_PC) & ~1u;
  std::string kind, detail;
  int preferred = exc::HardFault;
  std::uint32_t cfsr = 0;
  bool exact = true;
  std::uint32_t ret = pc;
  auto access = [&](const char* what) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s of %d byte%s at 0x%08x (%s)", what, bad_access_.size,
                  bad_access_.size == 1 ? "" : "s", bad_access_.address,
                  err == UC_ERR_WRITE_PROT || err == UC_ERR_READ_PROT || err == UC_ERR_FETCH_PROT
                      ? "not permitted there"
                      : "nothing is mapped there");
    return std::string(buf);
  };
  switch (err) {
    case UC_ERR_READ_UNMAPPED:
    case UC_ERR_READ_PROT:
    case UC_ERR_WRITE_UNMAPPED:
    case UC_ERR_WRITE_PROT: {
      bool write = err == UC_ERR_WRITE_UNMAPPED || err == UC_ERR_WRITE_PROT;
      kind = write ? "bad write" : "bad read";
      detail = access(write ? "write" : "read");
      // Unicorn reports the start of the block, not the faulting instruction (notes §3d):
      // find the instruction in the block from the registers, which are still exact.
      pc = cpu_.block_addr();
      exact = false;
      if (std::optional<std::uint32_t> at = locate_faulting_access(cpu_, pc, bad_access_.address)) {
        pc = *at;
        exact = true;
        cpu_.set_icount(cpu_.count_before(pc));  // the rest of the block never ran
      }
      ret = pc;
      preferred = exc::BusFault;
      cfsr = kPreciserr | kBfarvalid;
      scs_->scb().bfar = bad_access_.address;
      break;
    }
    case UC_ERR_FETCH_UNMAPPED:
    case UC_ERR_FETCH_PROT:
      kind = "bad fetch";
      detail = "instruction fetch from " + hex(pc) + " (nothing executable there)";
      preferred = exc::MemManage;
      cfsr = kIaccviol;
      break;
    case UC_ERR_INSN_INVALID: {
      std::uint16_t insn = 0;
      cpu_.read_mem(pc, &insn, 2);
      kind = "undefined instruction";
      char buf[120];
      std::snprintf(buf, sizeof buf, "undefined or invalid instruction 0x%04x at 0x%08x", insn, pc);
      detail = buf;
      preferred = exc::UsageFault;
      bool thumb = cpu_.reg(UC_ARM_REG_EPSR) & (1u << 24);
      cfsr = thumb ? kUndefinstr : kInvstate;
      break;
    }
    default:
      kind = "CPU error";
      detail = std::string("Unicorn reported: ") + uc_strerror(err);
      break;
  }
  FaultReport r = capture(kind, detail, pc, exact);
  record_fault(r);
  escalate_fault(r, preferred, cfsr, ret);
}

// UsageFault NOCP with a precise PC: the block hook counted the whole block, which ends at
// the faulting instruction (Unicorn ends translation there), so take the count back to it.
void Machine::coprocessor_fault(std::uint32_t pc) {
  cpu_.set_icount(cpu_.count_before(pc));
  pc_ = pc | 1u;
  std::uint16_t hw[2] = {};
  cpu_.read_mem(pc, hw, 4);
  unsigned cp = (hw[1] >> 8) & 0xF;
  unsigned cp10 = (scs_->scb().cpacr >> 20) & 3;
  std::string why;
  if (!fp_->present()) why = "this core has no FPU";
  else if (cp != 10 && cp != 11) why = "coprocessor " + std::to_string(cp) + " is not implemented";
  else if (cp10 == 1) why = "CPACR.CP10 = 01 allows the FPU to privileged code only";
  else why = "the FPU is disabled (CPACR.CP10 = " + std::to_string(cp10 >> 1) + std::to_string(cp10 & 1) +
             "; enable it with CPACR |= 0xF << 20 before using FP)";
  char insn[80];
  std::snprintf(insn, sizeof insn, "coprocessor instruction %04x %04x (CP%u) at 0x%08x: ", hw[0],
                hw[1], cp, pc);
  FaultReport r = capture("no coprocessor", insn + why, pc, true);
  record_fault(r);
  escalate_fault(r, exc::UsageFault, kNocp, pc);
}

// ===== [host] ==========================================================================

EventId Machine::add_event(std::string name, std::function<void()> fire) {
  return events_.add(std::move(name), std::move(fire));
}

void Machine::schedule(EventId event, Ticks delay) {
  Ticks due = now() + delay;
  events_.schedule_at(event, due);
  // Called from an MMIO callback mid-block: bring the stop forward (never uc_emu_stop there).
  if (due < cpu_.deadline()) cpu_.set_deadline(due);
}

void Machine::cancel(EventId event) { events_.cancel(event); }

periph::DeviceHost::MemoryView Machine::memory(const std::string& region) {
  MappedMemory* r = bus_.region(region);
  if (!r) return {};
  return {r->base, r->bytes.data(), r->size};
}

void Machine::memory_changed(std::uint32_t address, std::uint32_t size) {
  cpu_.flush_code(address, address + size);
}

void Machine::set_irq(int line, bool level) {
  if (line == periph::kIrqNmi) {  // NMI is edge-like: a rising input pends it
    if (level && !nmi_level_) {
      nvic_.set_pending(exc::Nmi, true);
      cpu_.stop_at_next_block();
    }
    nmi_level_ = level;
    return;
  }
  bool was = nvic_.irq_level(line);
  nvic_.set_irq_level(line, level);
  if (level && !was) cpu_.stop_at_next_block();
}

void Machine::request_reset(periph::ResetReason reason) {
  pending_reset_ = reason;
  cpu_.stop_at_next_block();
}

void Machine::guest_error(std::string_view device, std::uint32_t offset, std::string_view what) {
  if (!guest_error_seen_.insert({std::string(device), offset}).second) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, "+0x%03x", offset);
  std::string msg = "guest error: " + std::string(device) + buf + ": " + std::string(what) +
                    " (pc near " + symbols_.format(cpu_.block_addr()) + ")";
  guest_errors_.push_back(msg);
  if (on_guest_error) on_guest_error(msg);
}

bool Machine::set_pin(const std::string& pin, bool level) {
  const PinConfig* p = board_.find_pin(pin);
  if (!p) return false;
  if (auto* fpgaio = dynamic_cast<periph::Mps2FpgaIo*>(device(p->device))) {
    fpgaio->set_input(p->pin, level);
    return true;
  }
  auto* gpio = dynamic_cast<periph::Gpio*>(device(p->device));
  if (!gpio) return false;
  gpio->set_input(p->pin, level);
  return true;
}

std::optional<bool> Machine::pin(const std::string& pin) const {
  const PinConfig* p = board_.find_pin(pin);
  if (!p) return std::nullopt;
  auto it = device_by_name_.find(p->device);
  if (it == device_by_name_.end()) return std::nullopt;
  if (auto* fpgaio = dynamic_cast<const periph::Mps2FpgaIo*>(it->second)) return fpgaio->level(p->pin);
  auto* gpio = dynamic_cast<const periph::Gpio*>(it->second);
  if (!gpio) return std::nullopt;
  return gpio->level(p->pin);
}

bool Machine::uart_input(const std::string& uart, std::span<const std::uint8_t> bytes) {
  if (auto* cu = dynamic_cast<periph::CmsdkUart*>(device(uart))) {
    cu->inject_rx(bytes);
    return true;
  }
  auto* u = dynamic_cast<periph::Uart*>(device(uart));
  if (!u) return false;
  u->inject_rx(bytes);
  return true;
}

}  // namespace hilsim::emu
