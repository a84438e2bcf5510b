// flash-controller: the register interface firmware uses to program and erase the board's
// NOR flash (docs/peripherals.md, "flash-controller"), over the NorFlash array semantics.
// Programs are one unit (DATA0/DATA1) or, like a NOR part's page program, up to a page from
// the 256-byte write buffer (BUF, LEN, CMD 3) in one operation, so a power cut interrupts a
// whole page write as it would on silicon and a campaign has one point per page, not per word.
// Operations take virtual time (program: per unit, erase: per sector) with BUSY, DONE/ERR
// and an interrupt; every operation is reported to observers (sequence number, kind,
// address, size, start/end time, result) so scenarios can count, wait for and cut at them.
// A power cut while BUSY resolves the operation by the power-loss policy set from outside.
// Leaves out: read-while-write stalls (reads see the old data until the operation completes).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "peripherals/nor_flash.h"
#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

struct FlashOp {
  enum class Kind : std::uint8_t { Program, Erase };
  std::uint64_t seq = 0;  // 1, 2, ... since the machine was created
  Kind kind = Kind::Program;
  std::uint32_t address = 0;  // absolute
  std::uint32_t size = 0;
  Ticks start = 0, end = 0;  // end = 0 while in flight
  std::string result;        // "", "ok", "error: ...", "power cut (before|after|torn)"
};
const char* to_string(FlashOp::Kind kind);

class FlashController final : public Device {
 public:
  static constexpr std::uint32_t kKey1 = 0x45670123, kKey2 = 0xCDEF89AB;
  // CTRL
  static constexpr std::uint32_t kLock = 1u << 0, kDoneIe = 1u << 1, kErrIe = 1u << 2;
  // CMD
  static constexpr std::uint32_t kCmdProgram = 1, kCmdErase = 2, kCmdProgramBuffer = 3;
  // The write buffer: BUF0..BUF63 at 0x100..0x1FC; a page is at most this size.
  static constexpr std::uint32_t kBufOffset = 0x100, kBufBytes = 256;
  // STATUS
  static constexpr std::uint32_t kBusy = 1u << 0, kDone = 1u << 1, kErr = 1u << 2, kLocked = 1u << 3;
  enum ErrCode : std::uint32_t { ErrNone = 0, ErrLocked = 1, ErrNotErased = 2, ErrRange = 3,
                                 ErrAlign = 4, ErrBadSector = 5, ErrWornOut = 6, ErrBusy = 7 };

  using OpSink = std::function<void(const FlashOp& op)>;

  FlashController(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "flash-controller"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override { bank_.write(offset, size, value); }
  void reset(ResetReason reason) override;
  void power_off() override;
  void describe(StateVisitor& v) override;
  void post_load() override;

  // Host side.
  void set_power_loss_policy(PowerLossPolicy p) { power_loss_policy_ = p; }
  PowerLossPolicy power_loss_policy() const { return power_loss_policy_; }
  void add_op_sink(OpSink sink) { sinks_.push_back(std::move(sink)); }
  bool busy() const { return s_.busy; }
  const FlashOp* in_flight() const { return s_.busy ? &current_ : nullptr; }
  std::uint64_t ops_started() const { return s_.seq; }
  NorFlash& array() { return flash_; }
  std::uint32_t base() const { return base_; }
  const std::string& memory_name() const { return memory_name_; }

 private:
  struct State {
    std::uint32_t ctrl = kLock, sticky = 0, errcode = 0, key_stage = 0;
    std::uint32_t addr = 0, data0 = 0xFFFFFFFF, data1 = 0xFFFFFFFF;
    std::uint32_t len = 0;                          // bytes CMD 3 programs from buf
    std::array<std::uint32_t, kBufBytes / 4> buf{};  // the write buffer, little-endian words
    bool busy = false;
    std::uint64_t seq = 0;
    std::uint64_t rng = 0;
    // The operation in flight (valid while busy).
    std::uint32_t op_kind = 0, op_addr = 0, op_size = 0;
    std::uint64_t op_start = 0;
    std::vector<std::uint8_t> op_data;
  };
  void command(std::uint32_t cmd);
  void fail(ErrCode code, const std::string& why);
  void complete();
  void finish(const std::string& result);
  void update_irq();
  std::vector<std::uint8_t> unit_data() const;
  std::vector<std::uint8_t> buffer_data() const;  // the first LEN bytes of the write buffer
  static std::vector<Register> buffer_registers(State& s);

  std::string memory_name_;
  std::uint32_t base_ = 0;
  std::uint32_t page_ = kBufBytes;  // page size: a buffered program stays inside one page
  ProgramPolicy program_policy_ = ProgramPolicy::Error;
  Ticks program_ticks_ = 0, erase_ticks_ = 0;
  int irq_;
  EventId done_event_;
  NorFlash flash_;
  PowerLossPolicy power_loss_policy_ = PowerLossPolicy::Before;
  std::vector<OpSink> sinks_;
  FlashOp current_;
  State s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
