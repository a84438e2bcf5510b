// Ed25519 verification (crypto/ed25519_verify.h) and the field/group code under it: the
// RFC 8032 §7.1 vectors, rejection of tampered, non-canonical and undecodable inputs, and
// 1000 random signatures made by libsodium. All randomness is seeded.
#include <doctest/doctest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "crypto/ed25519_verify.h"
#include "crypto/fe25519.h"
#include "crypto/ge25519.h"
#include "crypto/sc25519.h"
#include "tests/crypto/test_util.h"

using namespace hilsim::crypto;
using hilsim::test::hex;
using hilsim::test::SplitMix;
using hilsim::test::unhex;

namespace {

struct Vector {
  const char* name;
  const char* secret;
  const char* pub;
  std::string msg;  // hex
  const char* sig;
};

// RFC 8032 §7.1, transcribed from the RFC. libsodium re-derives each public key and signature
// from the secret below, so a typo here fails loudly instead of weakening the test.
const std::string kMsg1024 =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
    "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
    "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
    "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
    "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
    "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
    "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
    "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
    "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
    "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
    "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
    "c60c905c15fc910840b94c00a0b9d0";

const Vector kVectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", kMsg1024,
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

bool verify(const std::vector<uint8_t>& sig, const std::vector<uint8_t>& msg, const std::vector<uint8_t>& pub) {
  return ed25519_verify(sig.data(), msg.data(), msg.size(), pub.data());
}

// L, little-endian.
const std::vector<uint8_t> kL = unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

// a + b for 32-byte little-endian numbers (no overflow in use).
std::vector<uint8_t> add32(const uint8_t* a, const uint8_t* b) {
  std::vector<uint8_t> r(32);
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    unsigned s = a[i] + b[i] + carry;
    r[i] = static_cast<uint8_t>(s);
    carry = s >> 8;
  }
  return r;
}

// An encoding of y (bit 255 clear) for which no x exists: the smallest such y >= 2.
std::vector<uint8_t> off_curve_encoding() {
  for (uint8_t y = 2;; ++y) {
    std::vector<uint8_t> e(32, 0);
    e[0] = y;
    GeP3 p;
    if (!ge_frombytes(p, e.data())) return e;
  }
}

std::string fe_hex(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return hex(s, 32);
}

}  // namespace

TEST_CASE("ed25519: RFC 8032 §7.1 vectors verify, and libsodium reproduces them") {
  REQUIRE(sodium_init() >= 0);
  for (const Vector& v : kVectors) {
    CAPTURE(v.name);
    std::vector<uint8_t> secret = unhex(v.secret), pub = unhex(v.pub), msg = unhex(v.msg), sig = unhex(v.sig);
    CHECK(verify(sig, msg, pub));
    uint8_t pk[32], sk[64], sig2[64];
    crypto_sign_seed_keypair(pk, sk, secret.data());
    CHECK(hex(pk, 32) == v.pub);
    crypto_sign_detached(sig2, nullptr, msg.data(), msg.size(), sk);
    CHECK(hex(sig2, 64) == v.sig);
  }
  CHECK(unhex(kMsg1024).size() == 1023);
}

TEST_CASE("ed25519: every single-bit flip of a signature is rejected") {
  const Vector& v = kVectors[0];
  std::vector<uint8_t> pub = unhex(v.pub), msg = unhex(v.msg), sig = unhex(v.sig);
  int accepted = 0;
  for (int bit = 0; bit < 512; ++bit) {
    std::vector<uint8_t> bad = sig;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    if (verify(bad, msg, pub)) {
      ++accepted;
      CAPTURE(bit);
      FAIL_CHECK("flipped signature accepted");
    }
  }
  CHECK(accepted == 0);
}

TEST_CASE("ed25519: changed message, wrong key, all-zero and small-order keys are rejected") {
  const Vector& v2 = kVectors[1];
  std::vector<uint8_t> pub = unhex(v2.pub), msg = unhex(v2.msg), sig = unhex(v2.sig);
  REQUIRE(verify(sig, msg, pub));
  CHECK_FALSE(verify(sig, unhex("73"), pub));
  CHECK_FALSE(verify(sig, unhex(""), pub));
  CHECK_FALSE(verify(sig, unhex("7200"), pub));
  CHECK_FALSE(verify(sig, msg, unhex(kVectors[0].pub)));  // wrong key
  CHECK_FALSE(verify(unhex(kVectors[2].sig), msg, pub));   // another message's signature
  std::vector<uint8_t> zero(32, 0);
  GeP3 p;
  CHECK(ge_frombytes(p, zero.data()));  // y = 0 is on the curve (a point of order 4) ...
  CHECK_FALSE(verify(sig, msg, zero));   // ... but no key of small order is accepted
  std::vector<uint8_t> identity(32, 0);
  identity[0] = 1;
  CHECK_FALSE(verify(sig, msg, identity));
  CHECK_FALSE(verify(std::vector<uint8_t>(64, 0), msg, pub));
}

TEST_CASE("ed25519: a small-order key would accept a forgery for any message — it is rejected") {
  // A = identity: [k]A is the identity whatever k is, so R = [S]B "verifies" every message
  // under the plain equation. Here S = 1, R = B.
  std::vector<uint8_t> pub(32, 0);
  pub[0] = 1;
  std::vector<uint8_t> sig = unhex("5866666666666666666666666666666666666666666666666666666666666666");
  std::vector<uint8_t> one(32, 0);
  one[0] = 1;
  sig.insert(sig.end(), one.begin(), one.end());
  for (const char* m : {"", "72", "deadbeef"}) {
    std::vector<uint8_t> msg = unhex(m);
    CHECK_FALSE(verify(sig, msg, pub));
    CHECK(crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), pub.data()) != 0);
  }
  // The small-order test itself: among y < 256 only y = 1 (the identity) and y = 0 (order 4).
  GeP3 p;
  int small = 0;
  for (int y = 0; y < 256; ++y) {
    std::vector<uint8_t> enc(32, 0);
    enc[0] = static_cast<uint8_t>(y);
    if (ge_frombytes(p, enc.data()) && ge_is_small_order(p)) ++small;
  }
  CHECK(small == 2);
}

TEST_CASE("ed25519: S + L (the same point, a non-canonical scalar) is rejected") {
  for (const Vector& v : kVectors) {
    CAPTURE(v.name);
    std::vector<uint8_t> pub = unhex(v.pub), msg = unhex(v.msg), sig = unhex(v.sig);
    std::vector<uint8_t> bad = sig;
    std::vector<uint8_t> s_plus_l = add32(sig.data() + 32, kL.data());
    std::copy(s_plus_l.begin(), s_plus_l.end(), bad.begin() + 32);
    CHECK_FALSE(sc_is_canonical(bad.data() + 32));
    CHECK_FALSE(verify(bad, msg, pub));
    CHECK(crypto_sign_verify_detached(bad.data(), msg.data(), msg.size(), pub.data()) != 0);
  }
  CHECK_FALSE(sc_is_canonical(kL.data()));
  std::vector<uint8_t> l_minus_1 = kL;
  l_minus_1[0]--;
  CHECK(sc_is_canonical(l_minus_1.data()));
}

TEST_CASE("ed25519: an R or a public key that does not decode is rejected") {
  const Vector& v = kVectors[2];
  std::vector<uint8_t> pub = unhex(v.pub), msg = unhex(v.msg), sig = unhex(v.sig);
  std::vector<uint8_t> off = off_curve_encoding();
  // Off-curve R and A.
  std::vector<uint8_t> bad = sig;
  std::copy(off.begin(), off.end(), bad.begin());
  CHECK_FALSE(verify(bad, msg, pub));
  CHECK_FALSE(verify(sig, msg, off));
  // Non-canonical y: p + 1 would mean y = 1 (the identity); y = p means y = 0.
  std::vector<uint8_t> p_plus_1 = unhex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  std::vector<uint8_t> p_exact = unhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  GeP3 pt;
  CHECK_FALSE(ge_frombytes(pt, p_plus_1.data()));
  CHECK_FALSE(ge_frombytes(pt, p_exact.data()));
  CHECK_FALSE(verify(sig, msg, p_plus_1));
  bad = sig;
  std::copy(p_plus_1.begin(), p_plus_1.end(), bad.begin());
  CHECK_FALSE(verify(bad, msg, pub));
  // "-0": y = 1 with the sign bit set (x = 0 has no negative).
  std::vector<uint8_t> minus_zero(32, 0);
  minus_zero[0] = 1;
  minus_zero[31] = 0x80;
  CHECK_FALSE(ge_frombytes(pt, minus_zero.data()));
  CHECK_FALSE(verify(sig, msg, minus_zero));
  // R as the same point with its sign bit flipped is the negated point: rejected.
  bad = sig;
  bad[31] ^= 0x80;
  CHECK_FALSE(verify(bad, msg, pub));
}

TEST_CASE("ed25519: 1000 random libsodium signatures verify — mutated copies fail in both") {
  REQUIRE(sodium_init() >= 0);
  SplitMix rng(8032);
  int ours_rejected_good = 0, disagreements = 0;
  for (int i = 0; i < 1000; ++i) {
    uint8_t seed[32], pk[32], sk[64], sig[64];
    rng.fill(seed, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    std::vector<uint8_t> msg = rng.bytes(rng.below(301));
    crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sk);
    if (!ed25519_verify(sig, msg.data(), msg.size(), pk)) {
      ++ours_rejected_good;
      CAPTURE(i);
      FAIL_CHECK("valid libsodium signature rejected");
    }
    // Mutate one of: a signature bit, a message byte (or its length), a key bit.
    std::vector<uint8_t> m2 = msg;
    uint8_t sig2[64], pk2[32];
    std::copy(sig, sig + 64, sig2);
    std::copy(pk, pk + 32, pk2);
    switch (i % 3) {
      case 0: sig2[rng.below(64)] ^= static_cast<uint8_t>(1u << rng.below(8)); break;
      case 1:
        if (m2.empty()) {
          m2.push_back(0);
        } else {
          m2[rng.below(static_cast<uint32_t>(m2.size()))] ^= static_cast<uint8_t>(1u << rng.below(8));
        }
        break;
      default: pk2[rng.below(32)] ^= static_cast<uint8_t>(1u << rng.below(8)); break;
    }
    bool ours = ed25519_verify(sig2, m2.data(), m2.size(), pk2);
    bool theirs = crypto_sign_verify_detached(sig2, m2.data(), m2.size(), pk2) == 0;
    if (ours || theirs) {
      ++disagreements;
      CAPTURE(i);
      CAPTURE(ours);
      CAPTURE(theirs);
      FAIL_CHECK("mutated signature accepted");
    }
  }
  CHECK(ours_rejected_good == 0);
  CHECK(disagreements == 0);
}

TEST_CASE("fe25519: constants, inversion, canonical encoding") {
  Fe d, s, t, one, m;
  ge_constant_d(d);
  fe_one(one);
  // d * 121666 = -121665
  Fe c1, c2;
  fe_zero(c1);
  c1.v[0] = 121666;
  fe_zero(c2);
  c2.v[0] = 121665;
  fe_mul(t, d, c1);
  fe_add(t, t, c2);
  CHECK(fe_is_zero(t));
  ge_constant_sqrtm1(s);
  fe_sq(t, s);
  fe_add(t, t, one);
  CHECK(fe_is_zero(t));
  // x * x^-1 = 1 for random x; x^((p-5)/8) consistent with x^(p-2).
  SplitMix rng(25519);
  for (int i = 0; i < 200; ++i) {
    uint8_t b[32];
    rng.fill(b, 32);
    b[31] &= 0x7f;
    Fe x, inv;
    fe_frombytes(x, b);
    if (fe_is_zero(x)) continue;
    fe_invert(inv, x);
    fe_mul(m, x, inv);
    CHECK(fe_hex(m) == fe_hex(one));
    CHECK(fe_equal(m, one));
  }
  // Non-canonical inputs are flagged and reduced: p + 5 -> 5; 2^255 - 1 -> 18.
  std::vector<uint8_t> p5 = unhex("f2ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  Fe x;
  CHECK_FALSE(fe_frombytes(x, p5.data()));
  CHECK(fe_hex(x) == "0500000000000000000000000000000000000000000000000000000000000000");
  std::vector<uint8_t> top = unhex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  CHECK_FALSE(fe_frombytes(x, top.data()));
  CHECK(fe_hex(x) == "1200000000000000000000000000000000000000000000000000000000000000");
  // p - 1 is canonical and stays; -1 encodes as p - 1.
  std::vector<uint8_t> pm1 = unhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  CHECK(fe_frombytes(x, pm1.data()));
  CHECK(fe_hex(x) == hex(pm1));
  fe_neg(x, one);
  CHECK(fe_hex(x) == hex(pm1));
  // Round trip of random canonical values.
  for (int i = 0; i < 200; ++i) {
    uint8_t b[32];
    rng.fill(b, 32);
    b[31] &= 0x3f;
    REQUIRE(fe_frombytes(x, b));
    CHECK(fe_hex(x) == hex(b, 32));
  }
}

TEST_CASE("ge25519: the base table holds B, 3B, ..., 15B — scalar multiplication is consistent") {
  GeP3 b, twice, acc;
  ge_base(b);
  uint8_t enc[32];
  ge_tobytes(enc, b);
  CHECK(hex(enc, 32) == "5866666666666666666666666666666666666666666666666666666666666666");
  Fe d2;
  ge_constant_d(d2);
  fe_add(d2, d2, d2);
  ge_double(twice, b);
  GeCached twice_c;
  ge_to_cached(twice_c, twice);
  acc = b;
  for (int i = 0; i < kBaseTableSize; ++i) {
    CAPTURE(i);
    // Affine niels form of acc = (2i + 1) B.
    Fe zi, x, y, want_p, want_m, want_t;
    fe_invert(zi, acc.Z);
    fe_mul(x, acc.X, zi);
    fe_mul(y, acc.Y, zi);
    fe_add(want_p, y, x);
    fe_sub(want_m, y, x);
    fe_mul(want_t, x, y);
    fe_mul(want_t, want_t, d2);
    GeNiels n;
    ge_base_multiple(n, i);
    CHECK(fe_hex(n.YplusX) == fe_hex(want_p));
    CHECK(fe_hex(n.YminusX) == fe_hex(want_m));
    CHECK(fe_hex(n.XY2d) == fe_hex(want_t));
    ge_add(acc, acc, twice_c);
  }
  // [a]A + [b]B against double-and-add, for random a, b and A = [r]B.
  SplitMix rng(77);
  for (int round = 0; round < 20; ++round) {
    uint8_t a[32], s[32];
    rng.fill(a, 32);
    rng.fill(s, 32);
    a[31] &= 0x0f;
    s[31] &= 0x0f;
    GeP3 A;
    ge_double(A, b);
    ge_double(A, A);  // 4B, then a few random additions of B
    GeCached bc;
    ge_to_cached(bc, b);
    for (int k = 0; k < round; ++k) ge_add(A, A, bc);
    GeP3 fast;
    ge_double_scalarmult_vartime(fast, a, A, s);
    // Reference: bitwise double-and-add of both terms.
    GeCached ac;
    ge_to_cached(ac, A);
    GeP3 ref;
    ge_identity(ref);
    for (int bit = 255; bit >= 0; --bit) {
      ge_double(ref, ref);
      if ((a[bit / 8] >> (bit % 8)) & 1) ge_add(ref, ref, ac);
      if ((s[bit / 8] >> (bit % 8)) & 1) ge_add(ref, ref, bc);
    }
    uint8_t e1[32], e2[32];
    ge_tobytes(e1, fast);
    ge_tobytes(e2, ref);
    CHECK(hex(e1, 32) == hex(e2, 32));
  }
}

TEST_CASE("sc25519: reduction mod L agrees with libsodium") {
  REQUIRE(sodium_init() >= 0);
  SplitMix rng(252);
  for (int i = 0; i < 300; ++i) {
    uint8_t in[64], ours[32], theirs[32];
    rng.fill(in, 64);
    if (i == 0) std::fill(in, in + 64, 0xff);
    if (i == 1) std::fill(in, in + 64, 0);
    sc_reduce512(ours, in);
    crypto_core_ed25519_scalar_reduce(theirs, in);
    CHECK(hex(ours, 32) == hex(theirs, 32));
  }
}
