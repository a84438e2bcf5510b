// Test helper: a machine on the demo-m4 board running a firmware ELF from the build,
// with its UART output, pin changes and resets recorded with virtual timestamps.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/elf_image.h"
#include "emulator/machine.h"

namespace hilsim::test {

inline std::string firmware_path(const std::string& name) {
  if (!name.empty() && name[0] == '/') return name;  // an absolute path to an ELF
  if (name == "demo-m4") return std::string(HILSIM_BUILD_DIR) + "/firmware/demo-m4/demo-m4.elf";
  return std::string(HILSIM_BUILD_DIR) + "/firmware/test-programs/" + name + ".elf";
}

struct UartLine {
  emu::Ticks at;
  std::string text;
};
struct PinChange {
  emu::Ticks at;
  std::string pin;
  bool level;
};

struct MachineFixture {
  std::unique_ptr<emu::Machine> machine;
  std::vector<UartLine> lines;
  std::vector<PinChange> pins;
  std::string partial;
  std::string semihost_out;

  explicit MachineFixture(const std::string& firmware, emu::MachineOptions options = {}) {
    auto board = emu::load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml");
    REQUIRE_MESSAGE(board.ok(), board.error());
    auto elf = emu::load_elf(firmware_path(firmware));
    REQUIRE_MESSAGE(elf.ok(), elf.error());
    auto created = emu::Machine::create(*board, options);
    REQUIRE_MESSAGE(created.ok(), created.error());
    machine = std::move(*created);
    std::string err = machine->load_firmware(*elf);
    REQUIRE_MESSAGE(err.empty(), err);
    machine->on_uart_byte = [this](emu::Ticks at, const std::string&, std::uint8_t b) {
      if (b == '\n') {
        lines.push_back({at, partial});
        partial.clear();
      } else if (b != '\r') {
        partial.push_back(static_cast<char>(b));
      }
    };
    machine->on_pin_change = [this](emu::Ticks at, const std::string& pin, bool level) {
      pins.push_back({at, pin, level});
    };
    machine->on_semihost_output = [this](std::string_view t) { semihost_out += t; };
    machine->on_guest_error = [](const std::string&) {};
  }

  emu::Machine& m() { return *machine; }
  emu::Ticks ms(double v) const { return static_cast<emu::Ticks>(v * 64000.0); }  // 64 MHz board

  // Value of "key=value" in the UART output (last occurrence), or "" if absent.
  std::string value(const std::string& key) const {
    std::string found;
    for (const UartLine& l : lines) {
      std::size_t at = 0;
      while ((at = l.text.find(key + "=", at)) != std::string::npos) {
        if (at == 0 || l.text[at - 1] == ' ') {
          std::size_t start = at + key.size() + 1, end = l.text.find(' ', start);
          found = l.text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        }
        at += key.size() + 1;
      }
    }
    return found;
  }
  bool printed(const std::string& needle) const {
    for (const UartLine& l : lines)
      if (l.text.find(needle) != std::string::npos) return true;
    return false;
  }
  std::string transcript() const {
    std::string s;
    for (const UartLine& l : lines) s += l.text + "\n";
    return s + partial;
  }
  void send(const std::string& text) {
    std::vector<std::uint8_t> bytes(text.begin(), text.end());
    machine->uart_input("uart0", bytes);
  }
};

}  // namespace hilsim::test
