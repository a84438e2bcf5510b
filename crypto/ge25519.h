// Points of the Ed25519 curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (RFC 8032 §5.1):
// decoding and encoding (§5.1.2, §5.1.3), addition and doubling in extended coordinates
// (Hisil-Wong-Carter-Dawson 2008, a = -1, as listed in the Explicit-Formulas Database), and
// the variable-time double-scalar multiplication that verification needs. Not constant time:
// for public data only. Leaves out fixed-base signing tables and constant-time code.
#pragma once
#include <cstdint>

#include "crypto/fe25519.h"

namespace hilsim::crypto {

// Extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z.
struct GeP3 {
  Fe X, Y, Z, T;
};

// A point ready to be added: (Y+X, Y-X, Z, 2d*T).
struct GeCached {
  Fe YplusX, YminusX, Z, T2d;
};

// An affine point (Z = 1) ready to be added: (y+x, y-x, 2d*x*y).
struct GeNiels {
  Fe YplusX, YminusX, XY2d;
};

void ge_identity(GeP3& p);
// RFC 8032 §5.1.3. False when y >= p, when no x exists, or for x = 0 with the sign bit set.
bool ge_frombytes(GeP3& p, const uint8_t s[32]);
void ge_tobytes(uint8_t s[32], const GeP3& p);  // §5.1.2
void ge_neg(GeP3& r, const GeP3& p);
void ge_to_cached(GeCached& r, const GeP3& p);
// with_t = false skips T3 (one multiplication) when the next operation is another doubling
// or an encoding, neither of which reads T.
void ge_double(GeP3& r, const GeP3& p, bool with_t = true);
void ge_add(GeP3& r, const GeP3& p, const GeCached& q);
void ge_sub(GeP3& r, const GeP3& p, const GeCached& q);
void ge_add(GeP3& r, const GeP3& p, const GeNiels& q);
void ge_sub(GeP3& r, const GeP3& p, const GeNiels& q);
bool ge_is_small_order(const GeP3& p);  // [8]P is the identity

// The base point B of RFC 8032 §5.1 (y = 4/5, x even).
void ge_base(GeP3& b);
// (2i + 1) * B for i in 0..7, from a table in flash (ge25519_base.cpp).
void ge_base_multiple(GeNiels& r, int i);
constexpr int kBaseTableSize = 8;

// r = [a]A + [b]B, with a, b 32-byte little-endian scalars below 2^253 (both < L in use).
// Sliding windows: width 4 for A (4 cached points on the stack), width 5 for B (the table).
// r may be A itself (A is only read before r is first written).
void ge_double_scalarmult_vartime(GeP3& r, const uint8_t a[32], const GeP3& A, const uint8_t b[32]);

// Curve constants, exported for tests: d = -121665/121666 and sqrt(-1) = 2^((p-1)/4).
void ge_constant_d(Fe& d);
void ge_constant_sqrtm1(Fe& s);

}  // namespace hilsim::crypto
