// SHA-256 and SHA-512 (crypto/sha256.h, crypto/sha512.h): the FIPS 180 example vectors,
// incremental updates split at every offset, and random messages against libsodium.
#include <doctest/doctest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "tests/crypto/test_util.h"

using namespace hilsim::crypto;
using hilsim::test::hex;
using hilsim::test::SplitMix;

namespace {

std::string sha256_hex(const std::string& m) {
  uint8_t d[32];
  sha256(reinterpret_cast<const uint8_t*>(m.data()), m.size(), d);
  return hex(d, 32);
}
std::string sha512_hex(const std::string& m) {
  uint8_t d[64];
  sha512(reinterpret_cast<const uint8_t*>(m.data()), m.size(), d);
  return hex(d, 64);
}

const std::string k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string k896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

}  // namespace

TEST_CASE("sha256: FIPS 180 example vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(k448) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(k896) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  // One million 'a', fed in uneven pieces.
  Sha256 c;
  sha256_init(&c);
  std::string chunk(997, 'a');
  size_t left = 1000000;
  while (left > 0) {
    size_t n = left < chunk.size() ? left : chunk.size();
    sha256_update(&c, reinterpret_cast<const uint8_t*>(chunk.data()), n);
    left -= n;
  }
  uint8_t d[32];
  sha256_final(&c, d);
  CHECK(hex(d, 32) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha512: FIPS 180 example vectors") {
  CHECK(sha512_hex("") ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  CHECK(sha512_hex("abc") ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(sha512_hex(k448) ==
        "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
        "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
  CHECK(sha512_hex(k896) ==
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
        "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  Sha512 c;
  sha512_init(&c);
  std::string chunk(1009, 'a');
  size_t left = 1000000;
  while (left > 0) {
    size_t n = left < chunk.size() ? left : chunk.size();
    sha512_update(&c, reinterpret_cast<const uint8_t*>(chunk.data()), n);
    left -= n;
  }
  uint8_t d[64];
  sha512_final(&c, d);
  CHECK(hex(d, 64) ==
        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
        "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST_CASE("sha256/sha512: a 200-byte message split at every offset 0..130 hashes the same") {
  SplitMix rng(200);
  std::vector<uint8_t> msg = rng.bytes(200);
  uint8_t want256[32], want512[64];
  sha256(msg.data(), msg.size(), want256);
  sha512(msg.data(), msg.size(), want512);
  for (size_t cut = 0; cut <= 130; ++cut) {
    CAPTURE(cut);
    // Two pieces at `cut`, and a three-piece variant with an empty update in the middle.
    Sha256 a;
    sha256_init(&a);
    sha256_update(&a, msg.data(), cut);
    sha256_update(&a, msg.data() + cut, 0);
    sha256_update(&a, msg.data() + cut, msg.size() - cut);
    uint8_t got256[32];
    sha256_final(&a, got256);
    CHECK(hex(got256, 32) == hex(want256, 32));
    Sha512 b;
    sha512_init(&b);
    sha512_update(&b, msg.data(), cut);
    sha512_update(&b, msg.data() + cut, msg.size() - cut);
    uint8_t got512[64];
    sha512_final(&b, got512);
    CHECK(hex(got512, 64) == hex(want512, 64));
  }
  // Byte by byte.
  Sha256 a;
  sha256_init(&a);
  for (uint8_t byte : msg) sha256_update(&a, &byte, 1);
  uint8_t got[32];
  sha256_final(&a, got);
  CHECK(hex(got, 32) == hex(want256, 32));
}

TEST_CASE("sha256/sha512: 600 random messages of 0..5000 bytes agree with libsodium") {
  REQUIRE(sodium_init() >= 0);
  SplitMix rng(0x5a5a);
  int mismatches = 0;
  for (int i = 0; i < 600; ++i) {
    size_t len = i < 260 ? static_cast<size_t>(i) : rng.below(5001);  // every length up to 259
    std::vector<uint8_t> msg = rng.bytes(len);
    uint8_t ours256[32], theirs256[32], ours512[64], theirs512[64];
    sha256(msg.data(), len, ours256);
    crypto_hash_sha256(theirs256, msg.data(), len);
    sha512(msg.data(), len, ours512);
    crypto_hash_sha512(theirs512, msg.data(), len);
    if (hex(ours256, 32) != hex(theirs256, 32) || hex(ours512, 64) != hex(theirs512, 64)) {
      ++mismatches;
      CAPTURE(len);
      FAIL_CHECK("digest differs from libsodium");
    }
  }
  CHECK(mismatches == 0);
}
