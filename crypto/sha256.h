// SHA-256 (FIPS 180-4 §6.2): incremental hashing (init / update / final) and a one-shot call.
// Freestanding C++17: no heap, no libc beyond memcpy/memset; host and Cortex-M4 alike.
// Leaves out SHA-224 and HMAC. The context is plain data (104 bytes), safe to copy or to keep
// in static storage; a context must be re-initialised after sha256_final.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hilsim::crypto {

constexpr size_t kSha256DigestSize = 32;
constexpr size_t kSha256BlockSize = 64;

struct Sha256 {
  uint32_t state[8];
  uint64_t length;                  // bytes fed so far; length % 64 of them wait in `block`
  uint8_t block[kSha256BlockSize];
};

void sha256_init(Sha256* ctx);
void sha256_update(Sha256* ctx, const uint8_t* data, size_t len);
void sha256_final(Sha256* ctx, uint8_t out[kSha256DigestSize]);
void sha256(const uint8_t* data, size_t len, uint8_t out[kSha256DigestSize]);

}  // namespace hilsim::crypto
