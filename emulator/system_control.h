// The System Control Space page at 0xE000E000 (ARMv7-M ARM B3.2–B3.4): ICTR, SysTick,
// NVIC ISER/ICER/ISPR/ICPR/IABR/IPR, SCB (CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR1-3,
// SHCSR, CFSR, HFSR, MMFAR, BFAR, CPACR), STIR and the FP context registers.
// Unicorn has none of these; this device is mapped like any peripheral. Leaves out: MPU
// (reads as "no regions"), DWT/ITM/FPB (separate pages, unmapped), debug registers.
#pragma once

#include <cstdint>
#include <functional>

#include "emulator/nvic.h"
#include "emulator/systick.h"
#include "peripherals/device.h"

namespace hilsim::emu {

class FpContext;

// SCB state that the run loop and exception logic also read.
struct ScbState {
  std::uint32_t vtor = 0;
  std::uint32_t scr = 0;
  std::uint32_t ccr = 0x200;  // STKALIGN
  std::uint32_t shcsr = 0;    // only the enable bits [18:16] are stored; the rest is derived
  std::uint32_t cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
  std::uint32_t cpacr = 0;                                    // FP denied at reset
  std::uint32_t fpccr = 0xC0000000, fpcar = 0, fpdscr = 0;  // ASPEN, LSPEN; LSPACT via FpContext
  std::uint32_t actlr = 0;
};

class SystemControl final : public periph::Device {
 public:
  struct Hooks {
    std::function<void()> system_reset_request;  // AIRCR.SYSRESETREQ
    std::function<void()> changed;               // pending/enable/priority changed: re-evaluate soon
    std::function<int()> vectactive;             // current IPSR
  };
  SystemControl(periph::DeviceHost& host, Nvic& nvic, SysTick& systick, bool cortex_m4, Hooks hooks);

  std::string_view type() const override { return "system-control"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override;
  void reset(periph::ResetReason reason) override;
  void describe(periph::StateVisitor& v) override;

  // CPACR and the FP context registers are read and written through the FPU model.
  void attach_fp(FpContext* fp) { fp_ = fp; }

  ScbState& scb() { return scb_; }
  const ScbState& scb() const { return scb_; }
  bool sleep_on_exit() const { return scb_.scr & 2; }

 private:
  std::uint32_t read32(std::uint32_t offset);
  void write32(std::uint32_t offset, std::uint32_t value, std::uint32_t byte_mask);
  std::uint32_t icsr() const;
  std::uint32_t shcsr() const;

  Nvic& nvic_;
  SysTick& systick_;
  bool m4_;
  Hooks hooks_;
  ScbState scb_;
  FpContext* fp_ = nullptr;
};

}  // namespace hilsim::emu
