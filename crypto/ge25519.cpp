// Ed25519 group operations (see ge25519.h). Formulas for a = -1 in extended coordinates from
// Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited" (2008), as named in the
// Explicit-Formulas Database: add-2008-hwcd-3 (8M + the 2d*T factor cached), madd for Z2 = 1
// (7M), dbl-2008-hwcd (4M + 4S; 3M + 4S when no addition follows and T is not needed).
// Not constant time.
//
// Index: constants · encoding/decoding · addition/doubling · double-scalar multiplication
#include "crypto/ge25519.h"

namespace hilsim::crypto {

// ============================================================================ constants

namespace {

// d = -121665/121666 mod p and sqrt(-1) = 2^((p-1)/4) mod p, little-endian (RFC 8032 §5.1).
constexpr uint8_t kD[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
constexpr uint8_t kSqrtM1[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
// The encoding of B: y = 4/5, sign bit 0 (RFC 8032 §5.1).
constexpr uint8_t kBaseEncoding[32] = {
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};

}  // namespace

void ge_constant_d(Fe& d) { fe_frombytes(d, kD); }
void ge_constant_sqrtm1(Fe& s) { fe_frombytes(s, kSqrtM1); }

// ============================================================================ encoding/decoding

void ge_identity(GeP3& p) {
  fe_zero(p.X);
  fe_one(p.Y);
  fe_one(p.Z);
  fe_zero(p.T);
}

bool ge_frombytes(GeP3& p, const uint8_t s[32]) {
  // 1. y, rejecting y >= p; x_0 is bit 255.
  if (!fe_frombytes(p.Y, s)) return false;
  bool x0 = (s[31] & 0x80) != 0;
  // 2. x^2 = u/v with u = y^2 - 1, v = d y^2 + 1; candidate x = u v^3 (u v^7)^((p-5)/8).
  Fe u, v, d, one, v3, t;
  fe_one(one);
  ge_constant_d(d);
  fe_sq(u, p.Y);
  fe_mul(v, u, d);
  fe_sub(u, u, one);
  fe_add(v, v, one);
  fe_sq(v3, v);
  fe_mul(v3, v3, v);      // v^3
  fe_sq(t, v3);
  fe_mul(t, t, v);        // v^7
  fe_mul(t, t, u);        // u v^7
  fe_pow22523(t, t);
  fe_mul(t, t, v3);
  fe_mul(p.X, t, u);      // u v^3 (u v^7)^((p-5)/8)
  // 3. v x^2 = u: x is a root; v x^2 = -u: x * sqrt(-1) is; otherwise no square root exists.
  Fe vx2;
  fe_sq(vx2, p.X);
  fe_mul(vx2, vx2, v);
  if (!fe_equal(vx2, u)) {
    fe_neg(u, u);
    if (!fe_equal(vx2, u)) return false;
    Fe sqrtm1;
    ge_constant_sqrtm1(sqrtm1);
    fe_mul(p.X, p.X, sqrtm1);
  }
  // 4. Pick the root whose low bit is x_0; x = 0 has no negative twin.
  bool x_is_zero = fe_is_zero(p.X);
  if (x_is_zero && x0) return false;
  if (fe_is_negative(p.X) != x0) fe_neg(p.X, p.X);
  fe_one(p.Z);
  fe_mul(p.T, p.X, p.Y);
  return true;
}

void ge_tobytes(uint8_t s[32], const GeP3& p) {
  Fe zi, x, y;
  fe_invert(zi, p.Z);
  fe_mul(x, p.X, zi);
  fe_mul(y, p.Y, zi);
  fe_tobytes(s, y);
  if (fe_is_negative(x)) s[31] |= 0x80;
}

void ge_base(GeP3& b) { ge_frombytes(b, kBaseEncoding); }

// ============================================================================ addition/doubling

void ge_neg(GeP3& r, const GeP3& p) {
  fe_neg(r.X, p.X);
  r.Y = p.Y;
  r.Z = p.Z;
  fe_neg(r.T, p.T);
}

void ge_to_cached(GeCached& r, const GeP3& p) {
  Fe d2;
  ge_constant_d(d2);
  fe_add(d2, d2, d2);
  fe_add(r.YplusX, p.Y, p.X);
  fe_sub(r.YminusX, p.Y, p.X);
  r.Z = p.Z;
  fe_mul(r.T2d, p.T, d2);
}

namespace {

// The shared tail of the additions: from A = (Y1-X1)(Y2-X2), B = (Y1+X1)(Y2+X2),
// C = T1 2d T2 and D = 2 Z1 Z2: E = B - A, F = D - C, G = D + C, H = B + A,
// X3 = E F, Y3 = G H, T3 = E H, Z3 = F G.
void finish_add(GeP3& r, const Fe& a, const Fe& b, const Fe& c, const Fe& d) {
  Fe e, f, g, h;
  fe_sub(e, b, a);
  fe_sub(f, d, c);
  fe_add(g, d, c);
  fe_add(h, b, a);
  fe_mul(r.X, e, f);
  fe_mul(r.Y, g, h);
  fe_mul(r.T, e, h);
  fe_mul(r.Z, f, g);
}

// Subtracting Q adds -Q = (-x, y): Y+X and Y-X swap places and the 2dT factor changes sign.
void add_cached(GeP3& r, const GeP3& p, const GeCached& q, bool negate) {
  Fe a, b, c, d, t;
  fe_sub(t, p.Y, p.X);
  fe_mul(a, t, negate ? q.YplusX : q.YminusX);
  fe_add(t, p.Y, p.X);
  fe_mul(b, t, negate ? q.YminusX : q.YplusX);
  fe_mul(c, p.T, q.T2d);
  if (negate) fe_neg(c, c);
  fe_mul(d, p.Z, q.Z);
  fe_add(d, d, d);
  finish_add(r, a, b, c, d);
}

void add_niels(GeP3& r, const GeP3& p, const GeNiels& q, bool negate) {
  Fe a, b, c, d, t;
  fe_sub(t, p.Y, p.X);
  fe_mul(a, t, negate ? q.YplusX : q.YminusX);
  fe_add(t, p.Y, p.X);
  fe_mul(b, t, negate ? q.YminusX : q.YplusX);
  fe_mul(c, p.T, q.XY2d);
  if (negate) fe_neg(c, c);
  fe_add(d, p.Z, p.Z);
  finish_add(r, a, b, c, d);
}

}  // namespace

void ge_add(GeP3& r, const GeP3& p, const GeCached& q) { add_cached(r, p, q, false); }
void ge_sub(GeP3& r, const GeP3& p, const GeCached& q) { add_cached(r, p, q, true); }
void ge_add(GeP3& r, const GeP3& p, const GeNiels& q) { add_niels(r, p, q, false); }
void ge_sub(GeP3& r, const GeP3& p, const GeNiels& q) { add_niels(r, p, q, true); }

// dbl-2008-hwcd with a = -1: A = X^2, B = Y^2, C = 2 Z^2, D = -A, E = (X+Y)^2 - A - B,
// G = D + B, F = G - C, H = D - B; X3 = E F, Y3 = G H, T3 = E H, Z3 = F G.
void ge_double(GeP3& r, const GeP3& p, bool with_t) {
  Fe a, b, c, e, f, g, h;
  fe_sq(a, p.X);
  fe_sq(b, p.Y);
  fe_sq(c, p.Z);
  fe_add(c, c, c);
  fe_add(e, p.X, p.Y);
  fe_sq(e, e);
  fe_sub(e, e, a);
  fe_sub(e, e, b);
  fe_sub(g, b, a);   // D + B
  fe_sub(f, g, c);
  fe_add(h, a, b);
  fe_neg(h, h);      // D - B
  fe_mul(r.X, e, f);
  fe_mul(r.Y, g, h);
  if (with_t) fe_mul(r.T, e, h);
  fe_mul(r.Z, f, g);
}

bool ge_is_small_order(const GeP3& p) {
  GeP3 q;
  ge_double(q, p);
  ge_double(q, q);
  ge_double(q, q);
  return fe_is_zero(q.X);  // x = 0 at both (0, 1) and (0, -1); [8]P = (0, -1) cannot happen
}

// ============================================================================ double-scalar multiplication

namespace {

// Width-w non-adjacent form of a 256-bit little-endian scalar below 2^255: digits d[i] with
// s = sum d[i] 2^i, each non-zero digit odd with |d[i]| < 2^(w-1), and no two non-zero
// digits closer than w positions. Each step takes k mod 2^w when k is odd, maps it into
// (-2^(w-1), 2^(w-1)), subtracts it (k becomes divisible by 2^w) and halves k.
void wnaf(int8_t d[256], const uint8_t s[32], int w) {
  uint32_t k[9];
  for (int i = 0; i < 8; ++i)
    k[i] = uint32_t{s[4 * i]} | (uint32_t{s[4 * i + 1]} << 8) | (uint32_t{s[4 * i + 2]} << 16) |
           (uint32_t{s[4 * i + 3]} << 24);
  k[8] = 0;
  const int32_t window = 1 << w;
  for (int i = 0; i < 256; ++i) {
    int32_t digit = 0;
    if (k[0] & 1) {
      digit = static_cast<int32_t>(k[0] & static_cast<uint32_t>(window - 1));
      if (digit >= window / 2) digit -= window;
      if (digit > 0) {
        k[0] -= static_cast<uint32_t>(digit);  // clears the low w bits: no borrow
      } else {
        uint32_t carry = static_cast<uint32_t>(-digit);
        for (int j = 0; j < 9 && carry != 0; ++j) {
          k[j] += carry;
          carry = k[j] < carry ? 1 : 0;
        }
      }
    }
    d[i] = static_cast<int8_t>(digit);
    for (int j = 0; j < 8; ++j) k[j] = (k[j] >> 1) | (k[j + 1] << 31);
    k[8] >>= 1;
  }
}

constexpr int kWidthA = 4;  // digits +-1, 3, 5, 7: table of 4 points
constexpr int kWidthB = 5;  // digits +-1 .. 15: the 8-entry base table
static_assert(kBaseTableSize == 1 << (kWidthB - 2), "base table matches the window");

// table[i] = (2i + 1) A. Out of line: its temporaries leave the stack before the main loop.
__attribute__((noinline)) void odd_multiples(GeCached table[], int count, const GeP3& A) {
  GeP3 twice, t;
  ge_to_cached(table[0], A);
  ge_double(twice, A);
  for (int i = 1; i < count; ++i) {
    ge_add(t, twice, table[i - 1]);
    ge_to_cached(table[i], t);
  }
}

}  // namespace

void ge_double_scalarmult_vartime(GeP3& r, const uint8_t a[32], const GeP3& A, const uint8_t b[32]) {
  int8_t da[256], db[256];
  wnaf(da, a, kWidthA);
  wnaf(db, b, kWidthB);
  GeCached table[1 << (kWidthA - 2)];  // A, 3A, 5A, 7A
  odd_multiples(table, 1 << (kWidthA - 2), A);

  int top = 255;
  while (top >= 0 && da[top] == 0 && db[top] == 0) --top;
  ge_identity(r);
  GeNiels n;
  for (int i = top; i >= 0; --i) {
    ge_double(r, r, da[i] != 0 || db[i] != 0);
    if (da[i] > 0) ge_add(r, r, table[da[i] / 2]);
    if (da[i] < 0) ge_sub(r, r, table[-da[i] / 2]);
    if (db[i] != 0) {
      ge_base_multiple(n, (db[i] > 0 ? db[i] : -db[i]) / 2);
      if (db[i] > 0) {
        ge_add(r, r, n);
      } else {
        ge_sub(r, r, n);
      }
    }
  }
}

}  // namespace hilsim::crypto
