// Terminal output for running machines.
#include "tools/console.h"

#include <cstdio>

namespace hilsim::cli {

void Console::line(emu::Ticks when, const std::string& who, const std::string& text) {
  if (quiet_) return;
  std::printf("[%12.6f] %-6s %s\n", m_.seconds(when), who.c_str(), text.c_str());
  std::fflush(stdout);
}

void Console::attach() {
  m_.on_uart_byte = [this](emu::Ticks when, const std::string& uart, std::uint8_t byte) {
    std::string& buf = partial_[uart];
    if (byte == '\n') {
      line(when, uart, buf);
      buf.clear();
    } else if (byte != '\r') {
      buf.push_back(byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '?');
    }
  };
  m_.on_pin_change = [this](emu::Ticks when, const std::string& pin, bool level) {
    line(when, "pin", pin + (level ? " = 1" : " = 0"));
  };
  m_.on_reset = [this](emu::Ticks when, periph::ResetReason why) {
    line(when, "reset", std::string(periph::to_string(why)));
  };
  m_.on_fault = [this](const emu::FaultReport& f) { line(f.at, "fault", f.kind + ": " + f.detail); };
  m_.on_guest_error = [this](const std::string& msg) { line(m_.now(), "guest", msg); };
}

void Console::note(const std::string& text) { line(m_.now(), "input", text); }

void Console::flush() {
  for (auto& [uart, buf] : partial_)
    if (!buf.empty()) {
      line(m_.now(), uart, buf + " (no newline)");
      buf.clear();
    }
}

}  // namespace hilsim::cli
