// Small text helpers shared by the scenario engine: quoting for messages, virtual timestamps.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hilsim::scen {

// "text" with control characters escaped (\n, \r, \t, \xNN), for messages and the timeline.
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// "1.234567 s" from virtual seconds.
inline std::string seconds_text(double s) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f s", s);
  return buf;
}

// A duration as a person would write it ("500ms", "2s", "10us", "1.5ms").
inline std::string duration_text(std::uint64_t ns) {
  struct Unit {
    std::uint64_t scale;
    const char* name;
  };
  for (Unit u : {Unit{1'000'000'000, "s"}, Unit{1'000'000, "ms"}, Unit{1'000, "us"}}) {
    if (ns >= u.scale && ns % u.scale == 0) return std::to_string(ns / u.scale) + u.name;
  }
  for (Unit u : {Unit{1'000'000'000, "s"}, Unit{1'000'000, "ms"}, Unit{1'000, "us"}}) {
    if (ns >= u.scale) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%g%s", static_cast<double>(ns) / static_cast<double>(u.scale), u.name);
      return buf;
    }
  }
  return std::to_string(ns) + "ns";
}

}  // namespace hilsim::scen
