// Small text helpers shared by the scenario engine: quoting for messages, virtual timestamps.
#pragma once

#include <sys/stat.h>

#include <cerrno>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
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

// Text for XML attributes and content (JUnit reports): markup escaped, and control characters
// XML 1.0 forbids (all but tab, LF, CR) replaced by '?'.
inline std::string xml_escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ? '?' : c;
    }
  }
  return out;
}

// The whole file as bytes; on failure "" and `error` = "<path>: cannot read file".
inline std::string read_file(const std::string& path, std::string& error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = path + ": cannot read file";
    return {};
  }
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// mkdir -p: creates `path` and its missing parents; false if one cannot be made.
inline bool file_exists(const std::string& path) {
  struct stat st{};
  return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

inline bool make_dirs(const std::string& path) {
  for (std::size_t at = 1; at <= path.size(); ++at) {
    if (at != path.size() && path[at] != '/') continue;
    std::string part = path.substr(0, at);
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

}  // namespace hilsim::scen
