// Test helper: a machine on an mps2 board (boards/mps2-an385, mps2-an386) running one of the
// mps2 test firmware images (tests/firmware-mps2), with semihosting on and UART0 plus the
// semihosting console collected in order, as `hilsim boot --stdio` prints them.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "emulator/board_config.h"
#include "emulator/elf_image.h"
#include "emulator/machine.h"

namespace hilsim::test {

inline std::string mps2_firmware(const std::string& name) {
  return std::string(HILSIM_BUILD_DIR) + "/firmware/mps2-tests/" + name + ".elf";
}

struct Mps2Machine {
  std::unique_ptr<emu::Machine> machine;
  std::string out;  // UART0 text + semihosting console text

  // `board` is "an385" or "an386"; `program` the firmware name without the board suffix.
  Mps2Machine(const std::string& program, const std::string& board, emu::MachineOptions options = {}) {
    auto config = emu::load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/mps2-" + board + "/board.yaml");
    REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
    auto elf = emu::load_elf(mps2_firmware(program + "-" + board));
    REQUIRE_MESSAGE(elf.ok(), (elf.ok() ? "" : elf.error()));
    options.semihosting = true;
    auto created = emu::Machine::create(*config, options);
    REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error()));
    machine = std::move(*created);
    REQUIRE(machine->load_firmware(*elf).empty());
    machine->on_uart_byte = [this](emu::Ticks, const std::string& uart, std::uint8_t b) {
      if (uart == "uart0") out.push_back(static_cast<char>(b));
    };
    machine->on_semihost_output = [this](std::string_view text) { out += text; };
  }

  emu::Machine& m() { return *machine; }

  // Runs until the firmware exits (bounded by 20 s of virtual time at 25 MHz).
  emu::RunResult run_to_exit() { return machine->run_for(25'000'000ull * 20); }
};

}  // namespace hilsim::test
