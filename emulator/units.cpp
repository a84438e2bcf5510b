// Duration parsing: a decimal number (integer or with a fraction) followed by a unit.
#include "emulator/units.h"

#include <cmath>
#include <cstdio>

namespace hilsim::emu {

std::optional<std::uint64_t> parse_duration_ns(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000'000ull) return std::nullopt;
    whole = whole * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    digits = true;
  }
  std::uint64_t frac = 0, frac_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_scale < 1'000'000'000ull) {
        frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
        frac_scale *= 10;
      }
      ++i;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  while (i < text.size() && text[i] == ' ') ++i;
  std::string_view unit = text.substr(i);
  std::uint64_t scale;
  if (unit == "ns") scale = 1;
  else if (unit == "us" || unit == "µs") scale = 1'000;
  else if (unit == "ms") scale = 1'000'000;
  else if (unit == "s") scale = 1'000'000'000;
  else if (unit == "min" || unit == "m") scale = 60'000'000'000ull;
  else if (unit == "h") scale = 3'600'000'000'000ull;
  else return std::nullopt;
  return whole * scale + frac * scale / frac_scale;
}

std::string format_seconds(double seconds) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6f s", seconds);
  return buf;
}

}  // namespace hilsim::emu
