// Scalars modulo the Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493
// (RFC 8032 §5.1): the canonical-S check and the reduction of a 512-bit hash mod L (§5.1.7).
// Bit-serial reduction (about 30 k instructions on a Cortex-M4): small and obviously right,
// fast enough next to the point arithmetic. Leaves out scalar multiply-add (signing only).
#pragma once
#include <cstdint>

namespace hilsim::crypto {

bool sc_is_canonical(const uint8_t s[32]);                // s < L (little-endian)
void sc_reduce512(uint8_t out[32], const uint8_t in[64]);  // in mod L, both little-endian

}  // namespace hilsim::crypto
