// Little helpers of the recording format (docs/recording-format.md, "Encoding"): LEB128
// varints, zigzag for signed deltas, fixed little-endian words. Readers take a span and move it
// past what they read; they return false instead of reading past its end.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hilsim::scen::rec {

inline void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

inline bool get_varint(std::span<const std::uint8_t>& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    std::uint8_t b = in.front();
    in = in.subspan(1);
    v |= std::uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return shift < 63 || b <= 1;
  }
  return false;
}

inline std::uint64_t zigzag(std::uint64_t delta) {  // delta is a two's-complement difference
  const auto s = static_cast<std::int64_t>(delta);
  return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
inline std::uint64_t unzigzag(std::uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

inline void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline bool get_u64(std::span<const std::uint8_t>& in, std::uint64_t& v) {
  if (in.size() < 8) return false;
  v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t(in[i]) << (8 * i);
  in = in.subspan(8);
  return true;
}

inline void put_bytes(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  put_varint(out, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}
inline void put_text(std::vector<std::uint8_t>& out, const std::string& text) {
  put_bytes(out, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}
inline bool get_bytes(std::span<const std::uint8_t>& in, std::vector<std::uint8_t>& out) {
  std::uint64_t n = 0;
  if (!get_varint(in, n) || n > in.size()) return false;
  out.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
  in = in.subspan(n);
  return true;
}
inline bool get_text(std::span<const std::uint8_t>& in, std::string& out) {
  std::vector<std::uint8_t> b;
  if (!get_bytes(in, b)) return false;
  out.assign(b.begin(), b.end());
  return true;
}

}  // namespace hilsim::scen::rec
