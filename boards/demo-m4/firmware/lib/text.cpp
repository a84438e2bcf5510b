// Text helpers (see text.h).
#include "lib/text.h"

namespace text {

bool starts_with(const char* s, const char* prefix) {
  for (; *prefix != 0; ++s, ++prefix)
    if (*s != *prefix) return false;
  return true;
}

bool equal(const char* a, const char* b) {
  for (; *a != 0 && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

uint32_t length(const char* s) {
  uint32_t n = 0;
  while (s[n] != 0) ++n;
  return n;
}

bool parse_u32(const char* s, const char** end, uint32_t* out) {
  uint64_t v = 0;
  const char* p = s;
  for (; *p >= '0' && *p <= '9'; ++p) {
    v = v * 10 + static_cast<uint32_t>(*p - '0');
    if (v > 0xFFFFFFFFull) return false;
  }
  if (p == s) return false;
  *end = p;
  *out = static_cast<uint32_t>(v);
  return true;
}

Builder& Builder::add(char c) {
  if (len_ + 1 < cap_) {
    buf_[len_++] = c;
    buf_[len_] = 0;
  } else {
    overflow_ = true;
  }
  return *this;
}

Builder& Builder::add(const char* s, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) add(s[i]);
  return *this;
}

Builder& Builder::add(const char* s) {
  while (*s != 0) add(*s++);
  return *this;
}

Builder& Builder::add_dec(uint32_t v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n != 0) add(digits[--n]);
  return *this;
}

Builder& Builder::add_version(uint32_t packed) {
  return add_dec(packed >> 16).add('.').add_dec((packed >> 8) & 0xFF).add('.').add_dec(packed & 0xFF);
}

}  // namespace text
