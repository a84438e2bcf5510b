// Ed25519 signature verification (RFC 8032 §5.1.7), for checking signed update bundles on the
// device. Verification handles public data only (key, message, signature), so nothing here is
// constant time. Leaves out signing, key generation, Ed25519ph/ctx and batch verification.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hilsim::crypto {

constexpr size_t kEd25519PublicKeySize = 32;
constexpr size_t kEd25519SignatureSize = 64;

// True iff sig = R || S is a valid signature of msg[0, len) under pub:
//   - S < L (a non-canonical S is rejected: no malleability),
//   - pub decodes to a point A (canonical y, a root exists, no "-0") of more than small order,
//   - the encoding of [S]B - [k]A equals R, k = SHA-512(R || pub || msg) mod L
//     (the cofactorless equation [S]B = R + [k]A).
// Comparing encodings also rejects any R that does not decode: an encoded point always
// decodes, so a non-canonical or off-curve R can never match. Stack: about 2.6 KiB on a
// Cortex-M4 at -Os (measured by tests/firmware/crypto_probe.cpp); about 1.7 M instructions.
bool ed25519_verify(const uint8_t sig[64], const uint8_t* msg, size_t len, const uint8_t pub[32]);

}  // namespace hilsim::crypto
