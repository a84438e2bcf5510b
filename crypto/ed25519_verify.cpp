// Ed25519 verification (RFC 8032 §5.1.7) over sha512, sc25519 and ge25519. Beyond the RFC
// it rejects public keys of small order (as libsodium does): no honest key has one, and such
// a key would make [k]A one of eight points that a forger can guess. Not constant time.
#include "crypto/ed25519_verify.h"

#include "crypto/ge25519.h"
#include "crypto/sc25519.h"
#include "crypto/sha512.h"

namespace hilsim::crypto {

namespace {

// k = SHA-512(R || A || M) mod L. Kept out of line so the hash context (200 bytes) and the
// point tables never share a stack frame.
__attribute__((noinline)) void challenge(uint8_t k[32], const uint8_t r[32], const uint8_t pub[32],
                                         const uint8_t* msg, size_t len) {
  Sha512 h;
  uint8_t digest[kSha512DigestSize];
  sha512_init(&h);
  sha512_update(&h, r, 32);
  sha512_update(&h, pub, 32);
  sha512_update(&h, msg, len);
  sha512_final(&h, digest);
  sc_reduce512(k, digest);
}

}  // namespace

bool ed25519_verify(const uint8_t sig[64], const uint8_t* msg, size_t len, const uint8_t pub[32]) {
  const uint8_t* r = sig;
  const uint8_t* s = sig + 32;
  if (!sc_is_canonical(s)) return false;
  GeP3 a;
  if (!ge_frombytes(a, pub)) return false;
  if (ge_is_small_order(a)) return false;

  uint8_t k[32];
  challenge(k, r, pub, msg, len);

  ge_neg(a, a);
  ge_double_scalarmult_vartime(a, k, a, s);  // [k](-A) + [S]B, in place
  uint8_t encoded[32];
  ge_tobytes(encoded, a);
  uint8_t diff = 0;
  for (int i = 0; i < 32; ++i) diff |= encoded[i] ^ r[i];
  return diff == 0;
}

}  // namespace hilsim::crypto
