// Scalars modulo the Ed25519 group order L (RFC 8032 §5.1; see sc25519.h). Numbers are eight
// little-endian 32-bit words. Only what verification needs: the S < L check and the reduction of
// the 64-byte challenge hash; no arithmetic between scalars.
#include "crypto/sc25519.h"

namespace hilsim::crypto {

namespace {

// L = 2^252 + 0x14def9dea2f79cd65812631a5cf5d3ed, as words, least significant first.
constexpr uint32_t kL[8] = {0x5cf5d3edu, 0x5812631au, 0xa2f79cd6u, 0x14def9deu, 0, 0, 0, 0x10000000u};

// a >= L
bool at_least_l(const uint32_t a[8]) {
  for (int i = 7; i >= 0; --i)
    if (a[i] != kL[i]) return a[i] > kL[i];
  return true;
}

void subtract_l(uint32_t a[8]) {
  uint32_t borrow = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t d = uint64_t{a[i]} - kL[i] - borrow;
    a[i] = static_cast<uint32_t>(d);
    borrow = static_cast<uint32_t>(d >> 63);
  }
}

void load_words(uint32_t w[8], const uint8_t s[32]) {
  for (int i = 0; i < 8; ++i)
    w[i] = uint32_t{s[4 * i]} | (uint32_t{s[4 * i + 1]} << 8) | (uint32_t{s[4 * i + 2]} << 16) |
           (uint32_t{s[4 * i + 3]} << 24);
}

}  // namespace

bool sc_is_canonical(const uint8_t s[32]) {
  uint32_t w[8];
  load_words(w, s);
  return !at_least_l(w);
}

// Horner's rule one bit at a time, most significant first: r = 2r + bit, minus L when that
// reaches L. Invariant r < L < 2^253, so 2r + 1 < 2^254 fits in eight words.
void sc_reduce512(uint8_t out[32], const uint8_t in[64]) {
  uint32_t r[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int bit = 511; bit >= 0; --bit) {
    for (int i = 7; i > 0; --i) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
    r[0] = (r[0] << 1) | ((in[bit >> 3] >> (bit & 7)) & 1u);
    if (at_least_l(r)) subtract_l(r);
  }
  for (int i = 0; i < 8; ++i)
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<uint8_t>(r[i] >> (8 * b));
}

}  // namespace hilsim::crypto
