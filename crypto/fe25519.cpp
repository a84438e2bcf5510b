// GF(2^255 - 19) in ten limbs of radix 2^25.5 (see fe25519.h for the representation and its
// bound). Limb i sits at bit ceil(25.5 i) and is 26 bits wide for even i, 25 for odd i.
// Reduction uses 2^255 = 19 (mod p). Carries are floor divisions (arithmetic right shifts of
// signed values, as GCC and every C++20 compiler define them). Not constant time.
#include "crypto/fe25519.h"

namespace hilsim::crypto {

namespace {

constexpr int kWidth[10] = {26, 25, 26, 25, 26, 25, 26, 25, 26, 25};
constexpr int kPos[10] = {0, 26, 51, 77, 102, 128, 153, 179, 204, 230};

// Unrolled (as are the loops of fe_mul/fe_sq) so that every shift is by a constant: with
// variable 64-bit shifts the carries would cost more than the products on a Cortex-M4.
// Carries limbs 0..9 upwards so that each ends in [0, 2^width); returns the carry out of limb
// 9 (its weight is 2^255). The value is unchanged: sum h[i] 2^pos[i] + carry * 2^255.
template <typename T>
inline T carry_up(T h[10]) {
#pragma GCC unroll 9
  for (int i = 0; i < 9; ++i) {
    T c = h[i] >> kWidth[i];
    h[i] -= c * (T{1} << kWidth[i]);
    h[i + 1] += c;
  }
  T c = h[9] >> 25;
  h[9] -= c * (T{1} << 25);
  return c;
}

// Reduces limbs produced one at a time (column(k) is limb k's whole sum, |sum| up to 2^62
// for products or 2^28 for sums) into the bound of fe25519.h: carries limbs 0..9 upwards as
// each sum is known, folds the carry out of limb 9 (weight 2^255) back in times 19, and
// carries limb 0 once more. No sum is written to memory and read back, which takes fe_mul
// from about 220 stores to about 50 on a Cortex-M4: every store is costly on the emulator
// (docs/architecture.md, "Guest stores are slow") and not free on silicon.
template <typename T, typename Column>
void reduce_columns(Fe& out, Column column) {
  int32_t r[10];
  T c = 0;
#pragma GCC unroll 10
  for (int k = 0; k < 10; ++k) {
    const T t = column(k) + c;
    c = t >> kWidth[k];
    r[k] = static_cast<int32_t>(t - c * (T{1} << kWidth[k]));
  }
  const T t0 = r[0] + 19 * c;
  c = t0 >> 26;
  r[0] = static_cast<int32_t>(t0 - c * (T{1} << 26));
  r[1] += static_cast<int32_t>(c);
#pragma GCC unroll 10
  for (int k = 0; k < 10; ++k) out.v[k] = r[k];  // last: out may alias the inputs
}

// z^(2^250 - 1) and z^11: the common prefix of the two exponentiation chains.
void pow_2_250_1(Fe& z_250_0, Fe& z11, const Fe& z) {
  Fe z2, z9, t, z_5_0, z_10_0, z_20_0, z_50_0, z_100_0;
  fe_sq(z2, z);        // z^2
  fe_sq(t, z2);        // z^4
  fe_sq(t, t);         // z^8
  fe_mul(z9, t, z);    // z^9
  fe_mul(z11, z9, z2); // z^11
  fe_sq(t, z11);       // z^22
  fe_mul(z_5_0, t, z9);  // z^31 = z^(2^5 - 1)
  // z^(2^(a+b) - 1) = (z^(2^a - 1))^(2^b) * z^(2^b - 1)
  auto step = [](Fe& out, const Fe& base, int squarings, const Fe& low) {
    Fe s = base;
    for (int i = 0; i < squarings; ++i) fe_sq(s, s);
    fe_mul(out, s, low);
  };
  step(z_10_0, z_5_0, 5, z_5_0);
  step(z_20_0, z_10_0, 10, z_10_0);
  step(t, z_20_0, 20, z_20_0);  // 2^40 - 1
  step(z_50_0, t, 10, z_10_0);
  step(z_100_0, z_50_0, 50, z_50_0);
  step(t, z_100_0, 100, z_100_0);  // 2^200 - 1
  step(z_250_0, t, 50, z_50_0);
}

uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

}  // namespace

void fe_zero(Fe& h) {
  for (int32_t& x : h.v) x = 0;
}

void fe_one(Fe& h) {
  fe_zero(h);
  h.v[0] = 1;
}

void fe_add(Fe& h, const Fe& f, const Fe& g) {
  reduce_columns<int32_t>(h, [&](int k) { return f.v[k] + g.v[k]; });
}

void fe_sub(Fe& h, const Fe& f, const Fe& g) {
  reduce_columns<int32_t>(h, [&](int k) { return f.v[k] - g.v[k]; });
}

void fe_neg(Fe& h, const Fe& f) {
  reduce_columns<int32_t>(h, [&](int k) { return -f.v[k]; });
}

// Schoolbook product. f[i] g[j] lands on limb i + j (minus 10, times 19, past limb 9); it is
// doubled when i and j are both odd, because ceil(25.5 i) + ceil(25.5 j) then exceeds
// ceil(25.5 (i + j)) by one. Bounds: |2 f[i]| < 2^26.1, |19 g[j]| < 2^30.3, each of the
// ten terms of a limb < 2^56.3, so the sums stay far inside int64.
void fe_mul(Fe& h, const Fe& f, const Fe& g) {
  int32_t g19[10];
  for (int j = 0; j < 10; ++j) g19[j] = 19 * g.v[j];
  // Product scanning: limb k sums the products with i + j = k or k + 10.
  reduce_columns<int64_t>(h, [&](int k) {
    int64_t t = 0;
#pragma GCC unroll 10
    for (int i = 0; i < 10; ++i) {
      const int j = (k - i + 10) % 10;
      const int32_t a = (i & j & 1) ? 2 * f.v[i] : f.v[i];
      t += int64_t{a} * (i + j < 10 ? g.v[j] : g19[j]);
    }
    return t;
  });
}

// As fe_mul with f = g, each cross product computed once and doubled.
void fe_sq(Fe& h, const Fe& f) {
  int32_t f19[10];
  for (int j = 0; j < 10; ++j) f19[j] = 19 * f.v[j];
  reduce_columns<int64_t>(h, [&](int k) {
    int64_t t = 0;
#pragma GCC unroll 10
    for (int i = 0; i < 10; ++i) {
      const int j = (k - i + 10) % 10;
      if (j < i) continue;
      int32_t a = f.v[i];
      if (i != j) a *= 2;
      if (i & j & 1) a *= 2;
      t += int64_t{a} * (i + j < 10 ? f.v[j] : f19[j]);
    }
    return t;
  });
}

void fe_invert(Fe& h, const Fe& z) {
  // p - 2 = (2^250 - 1) * 2^5 + 11
  Fe t, z11;
  pow_2_250_1(t, z11, z);
  for (int i = 0; i < 5; ++i) fe_sq(t, t);
  fe_mul(h, t, z11);
}

void fe_pow22523(Fe& h, const Fe& z) {
  // (p - 5) / 8 = 2^252 - 3 = (2^250 - 1) * 4 + 1
  Fe t, z11;
  pow_2_250_1(t, z11, z);
  fe_sq(t, t);
  fe_sq(t, t);
  fe_mul(h, t, z);
}

bool fe_frombytes(Fe& h, const uint8_t s[32]) {
  // Each limb is at most 26 bits starting at most 7 bits into a byte: one 32-bit load covers
  // it, and the last load (bytes 28..31) stays inside the array.
  for (int i = 0; i < 10; ++i) {
    uint32_t word = load_le32(s + (kPos[i] >> 3)) >> (kPos[i] & 7);
    h.v[i] = static_cast<int32_t>(word & ((1u << kWidth[i]) - 1));
  }
  // Canonical iff the 255-bit value is below p = 2^255 - 19 (bytes ed ff .. ff 7f).
  if ((s[31] & 0x7f) != 0x7f) return true;
  for (int i = 30; i >= 1; --i)
    if (s[i] != 0xff) return true;
  return s[0] < 0xed;
}

// Brings h to its canonical value in [0, p) with all limbs in [0, 2^width), then packs bits.
void fe_tobytes(uint8_t s[32], const Fe& h) {
  int32_t t[10];
  for (int i = 0; i < 10; ++i) t[i] = h.v[i];
  // 1: limbs in range, value v' in [0, 2^255), plus c * 2^255 (c small, maybe negative).
  // 2: fold 19c in; the value is now within a few hundred of [0, 2^255), so the carry out is
  //    -1, 0 or 1. 3: folding that (+-19) cannot carry again. Now u in [0, 2^255).
  for (int pass = 0; pass < 3; ++pass) t[0] += 19 * carry_up(t);
  // 4: u >= p iff u + 19 carries out of bit 255; then the result is u + 19 - 2^255.
  int32_t u[10];
  for (int i = 0; i < 10; ++i) u[i] = t[i];
  u[0] += 19;
  if (carry_up(u) != 0)
    for (int i = 0; i < 10; ++i) t[i] = u[i];
  for (int i = 0; i < 32; ++i) s[i] = 0;
  for (int i = 0; i < 10; ++i) {
    uint64_t bits = static_cast<uint64_t>(static_cast<uint32_t>(t[i])) << (kPos[i] & 7);
    for (int b = kPos[i] >> 3; bits != 0 && b < 32; ++b, bits >>= 8) s[b] |= static_cast<uint8_t>(bits);
  }
}

bool fe_is_zero(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  uint8_t any = 0;
  for (uint8_t b : s) any |= b;
  return any == 0;
}

bool fe_is_negative(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return (s[0] & 1) != 0;
}

bool fe_equal(const Fe& f, const Fe& g) {
  Fe d;
  fe_sub(d, f, g);
  return fe_is_zero(d);
}

}  // namespace hilsim::crypto
