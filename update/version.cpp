// Version text <-> packed u32 (docs/bundle-format.md, "Version"; see version.h). No libc:
// digits are parsed and printed by hand, so the firmware needs nothing beyond this file.
// Strict on input (one text form per value); no pre-release or build suffixes.
#include "update/version.h"

namespace hilsim::update {

namespace {

// One part: digits only, non-empty, no leading zero, at most `max`.
bool parse_part(const char* p, size_t n, uint32_t max, uint32_t* out) {
  if (n == 0 || n > 5) return false;
  if (n > 1 && p[0] == '0') return false;
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + static_cast<uint32_t>(p[i] - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

size_t put_decimal(uint32_t v, char* out) {
  char tmp[10];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

}  // namespace

bool parse_version(const char* text, size_t len, uint32_t* out) {
  const uint32_t max[3] = {kMaxMajor, kMaxMinor, kMaxPatch};
  uint32_t part[3];
  size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    size_t end = start;
    while (end < len && text[end] != '.') ++end;
    if (i < 2 && end == len) return false;  // a '.' is missing
    if (i == 2 && end != len) return false;  // a fourth part
    if (!parse_part(text + start, end - start, max[i], &part[i])) return false;
    start = end + 1;
  }
  *out = pack_version(part[0], part[1], part[2]);
  return true;
}

size_t format_version(uint32_t packed, char* out, size_t cap) {
  char buf[kVersionTextMax];
  size_t n = put_decimal(version_major(packed), buf);
  buf[n++] = '.';
  n += put_decimal(version_minor(packed), buf + n);
  buf[n++] = '.';
  n += put_decimal(version_patch(packed), buf + n);
  if (cap < n + 1) return 0;
  for (size_t i = 0; i < n; ++i) out[i] = buf[i];
  out[n] = '\0';
  return n;
}

}  // namespace hilsim::update
