// Release versions "MAJOR.MINOR.PATCH" and their packed u32 form major<<16 | minor<<8 | patch,
// which orders like the versions do (docs/bundle-format.md). Freestanding C++17, shared by the
// host tools and the firmware. Leaves out pre-release and build suffixes ("1.2.0-rc1").
#pragma once
#include <cstddef>
#include <cstdint>

namespace hilsim::update {

constexpr uint32_t kMaxMajor = 65535;
constexpr uint32_t kMaxMinor = 255;
constexpr uint32_t kMaxPatch = 255;
constexpr size_t kVersionTextMax = 14;  // "65535.255.255" and its NUL

constexpr uint32_t pack_version(uint32_t major, uint32_t minor, uint32_t patch) {
  return (major << 16) | (minor << 8) | patch;
}
constexpr uint32_t version_major(uint32_t v) { return v >> 16; }
constexpr uint32_t version_minor(uint32_t v) { return (v >> 8) & 0xFF; }
constexpr uint32_t version_patch(uint32_t v) { return v & 0xFF; }

// Parses exactly text[0, len): three decimal parts separated by '.', each non-empty, digits
// only (no sign, no spaces), no leading zero unless the part is "0", within the limits above.
// So every packed value has exactly one text form. False (and *out untouched) otherwise.
bool parse_version(const char* text, size_t len, uint32_t* out);

// Writes the text form and a NUL; returns its length, or 0 when cap is too small
// (kVersionTextMax always suffices).
size_t format_version(uint32_t packed, char* out, size_t cap);

}  // namespace hilsim::update
