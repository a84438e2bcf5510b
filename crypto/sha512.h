// SHA-512 (FIPS 180-4 §6.4): incremental hashing (init / update / final) and a one-shot call.
// Ed25519 (RFC 8032) hashes with it. Freestanding C++17: no heap, no libc beyond memcpy/memset.
// Leaves out SHA-384 and SHA-512/t. The context is plain data (200 bytes); a context must be
// re-initialised after sha512_final. Message length is counted in bytes (up to 2^64 - 1).
#pragma once
#include <cstddef>
#include <cstdint>

namespace hilsim::crypto {

constexpr size_t kSha512DigestSize = 64;
constexpr size_t kSha512BlockSize = 128;

struct Sha512 {
  uint64_t state[8];
  uint64_t length;                  // bytes fed so far; length % 128 of them wait in `block`
  uint8_t block[kSha512BlockSize];
};

void sha512_init(Sha512* ctx);
void sha512_update(Sha512* ctx, const uint8_t* data, size_t len);
void sha512_final(Sha512* ctx, uint8_t out[kSha512DigestSize]);
void sha512(const uint8_t* data, size_t len, uint8_t out[kSha512DigestSize]);

}  // namespace hilsim::crypto
