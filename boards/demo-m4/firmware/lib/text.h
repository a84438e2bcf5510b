// Freestanding text helpers for firmware: bounded string building and number parsing.
// No allocation; a Builder that runs out of room keeps what fit and reports overflowed().
#pragma once
#include <cstdint>

namespace text {

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool starts_with(const char* s, const char* prefix);
bool equal(const char* a, const char* b);
uint32_t length(const char* s);
// Decimal digits at s (at least one); *end points past them. False on no digit or overflow.
bool parse_u32(const char* s, const char** end, uint32_t* out);

class Builder {
 public:
  Builder(char* buf, uint32_t cap) : buf_(buf), cap_(cap) { buf_[0] = 0; }
  Builder& add(const char* s);
  Builder& add(const char* s, uint32_t n);
  Builder& add(char c);
  Builder& add_dec(uint32_t v);
  Builder& add_version(uint32_t packed);  // "major.minor.patch"
  const char* c_str() const { return buf_; }
  uint32_t size() const { return len_; }
  bool overflowed() const { return overflow_; }

 private:
  char* buf_;
  uint32_t cap_, len_ = 0;
  bool overflow_ = false;
};

}  // namespace text
