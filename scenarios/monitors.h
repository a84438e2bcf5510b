// Monitors shared by steps and invariants: a pattern that must never appear on a UART.
#pragma once

#include <string>

#include "scenarios/run_context.h"
#include "scenarios/serial.h"

namespace hilsim::scen {

// Fails the run when `pattern` appears on `uart` after `from`, until `until` (kNever: the
// end of the run) or until removed (clear-never, by id).
class NeverSerialMonitor final : public Monitor {
 public:
  NeverSerialMonitor(std::string what, Pattern pattern, std::string uart, RunContext& ctx, emu::Ticks until);
  std::string what() const override { return what_; }
  void on_uart(RunContext& ctx, const std::string& uart) override;
  emu::Ticks deadline() const override { return done_ ? emu::kNever : until_; }
  void on_deadline(RunContext& ctx) override;
  bool done() const override { return done_; }

 private:
  std::string what_, uart_;
  Matcher matcher_;
  emu::Ticks since_, until_;
  bool done_ = false;
};

}  // namespace hilsim::scen
