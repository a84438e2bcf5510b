// Arithmetic in GF(2^255 - 19), the field of Curve25519 / Ed25519 (RFC 7748 §4.1, RFC 8032
// §5.1). Ten signed 32-bit limbs in radix 2^25.5 (26, 25, 26, ... bits), products in 64 bits:
// suited to a Cortex-M4 (UMULL/SMLAL). Only what Ed25519 verification needs; NOT constant
// time (branches and table lookups depend on the values): use it for public data only.
// Leaves out: constant-time selection, the Montgomery ladder, batch inversion.
#pragma once
#include <cstdint>

namespace hilsim::crypto {

// Value = sum v[i] * 2^ceil(25.5 * i). Invariant between calls (every function below returns
// this): |v[i]| <= 2^26 for even i, <= 2^25 + 2^15 for odd i. Inputs may alias outputs.
struct Fe {
  int32_t v[10];
};

void fe_zero(Fe& h);
void fe_one(Fe& h);
void fe_add(Fe& h, const Fe& f, const Fe& g);
void fe_sub(Fe& h, const Fe& f, const Fe& g);
void fe_neg(Fe& h, const Fe& f);
void fe_mul(Fe& h, const Fe& f, const Fe& g);
void fe_sq(Fe& h, const Fe& f);
void fe_invert(Fe& h, const Fe& z);     // z^(p-2); 0 for z = 0
void fe_pow22523(Fe& h, const Fe& z);   // z^((p-5)/8), for square roots (RFC 8032 §5.1.3)

// Little-endian 32 bytes; bit 255 is ignored. Returns false when the 255-bit value is >= p
// (a non-canonical encoding); h is set (reduced) either way.
bool fe_frombytes(Fe& h, const uint8_t s[32]);
void fe_tobytes(uint8_t s[32], const Fe& h);  // canonical: the value in [0, p)
bool fe_is_zero(const Fe& f);
bool fe_is_negative(const Fe& f);  // low bit of the canonical value (RFC 8032 "x_0")
bool fe_equal(const Fe& f, const Fe& g);

}  // namespace hilsim::crypto
