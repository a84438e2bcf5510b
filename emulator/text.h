// Small formatting helpers shared by the emulator's messages: addresses as 0x%08x and
// half-open address ranges as [0x..., 0x...).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace hilsim::emu {

inline std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%08llx", static_cast<unsigned long long>(value));
  return text;
}

inline std::string range(std::uint64_t begin, std::uint64_t end) {
  std::string text = "[";  // appended step by step: GCC 12 -Wrestrict misfires on "[" + str
  text += hex(begin);
  text += ", ";
  text += hex(end);
  text += ")";
  return text;
}

}  // namespace hilsim::emu
