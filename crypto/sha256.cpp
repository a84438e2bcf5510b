// SHA-256 (FIPS 180-4 §6.2). Big-endian words, 64-byte blocks, message schedule of 64 words
// kept on the stack (256 bytes). Padding (§5.1.1): 0x80, zeros, then the bit length as a
// 64-bit big-endian number, so messages up to 2^61 bytes are hashed exactly.
#include "crypto/sha256.h"

#include <cstring>

namespace hilsim::crypto {

namespace {

// FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first
// 64 primes.
constexpr uint32_t kK[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

// §5.3.3: first 32 bits of the fractional parts of the square roots of the first 8 primes.
constexpr uint32_t kInitial[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

inline uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// §6.2.2: one block into the state.
void compress(uint32_t state[8], const uint8_t* block) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[t] + w[t];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

}  // namespace

void sha256_init(Sha256* ctx) {
  for (int i = 0; i < 8; ++i) ctx->state[i] = kInitial[i];
  ctx->length = 0;
}

void sha256_update(Sha256* ctx, const uint8_t* data, size_t len) {
  if (len == 0) return;
  size_t used = static_cast<size_t>(ctx->length % kSha256BlockSize);
  ctx->length += len;
  if (used != 0) {
    size_t take = kSha256BlockSize - used;
    if (take > len) take = len;
    memcpy(ctx->block + used, data, take);
    data += take;
    len -= take;
    if (used + take < kSha256BlockSize) return;
    compress(ctx->state, ctx->block);
  }
  for (; len >= kSha256BlockSize; data += kSha256BlockSize, len -= kSha256BlockSize) compress(ctx->state, data);
  if (len != 0) memcpy(ctx->block, data, len);
}

void sha256_final(Sha256* ctx, uint8_t out[kSha256DigestSize]) {
  uint64_t bits = ctx->length * 8;
  size_t used = static_cast<size_t>(ctx->length % kSha256BlockSize);
  ctx->block[used++] = 0x80;
  if (used > kSha256BlockSize - 8) {
    memset(ctx->block + used, 0, kSha256BlockSize - used);
    compress(ctx->state, ctx->block);
    used = 0;
  }
  memset(ctx->block + used, 0, kSha256BlockSize - 8 - used);
  store_be32(ctx->block + 56, static_cast<uint32_t>(bits >> 32));
  store_be32(ctx->block + 60, static_cast<uint32_t>(bits));
  compress(ctx->state, ctx->block);
  for (int i = 0; i < 8; ++i) store_be32(out + 4 * i, ctx->state[i]);
}

void sha256(const uint8_t* data, size_t len, uint8_t out[kSha256DigestSize]) {
  Sha256 ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data, len);
  sha256_final(&ctx, out);
}

}  // namespace hilsim::crypto
