// The update formats (update/version.h, update/bundle.h, update/manifest.h): round trips, and
// every error value reached from a malformed input. Signatures come from libsodium.
#include <doctest/doctest.h>
#include <sodium.h>

#include <cstring>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "tests/crypto/test_util.h"
#include "update/bundle.h"
#include "update/manifest.h"
#include "update/version.h"

using namespace hilsim::update;
using hilsim::test::hex;
using hilsim::test::SplitMix;

namespace {

bool parse(const std::string& s, uint32_t* v) { return parse_version(s.data(), s.size(), v); }

std::string text(uint32_t v) {
  char buf[kVersionTextMax];
  REQUIRE(format_version(v, buf, sizeof buf) > 0);
  return buf;
}

// A signed bundle: header + payload, with the key pair that signed it.
struct Signed {
  uint8_t pk[32], sk[64];
  BundleHeader h;
  std::vector<uint8_t> bytes;  // header + payload
};

Signed make_bundle(const std::string& payload, uint32_t version, uint32_t kind, uint8_t seed_byte = 7) {
  REQUIRE(sodium_init() >= 0);
  Signed s;
  uint8_t seed[32];
  std::memset(seed, seed_byte, sizeof seed);
  crypto_sign_seed_keypair(s.pk, s.sk, seed);
  s.h.version = version;
  s.h.payload_size = static_cast<uint32_t>(payload.size());
  s.h.payload_kind = kind;
  hilsim::crypto::sha256(reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), s.h.payload_sha256);
  uint8_t signed_bytes[kSignedSize];
  header_signed_bytes(s.h, signed_bytes);
  crypto_sign_detached(s.h.signature, nullptr, signed_bytes, kSignedSize, s.sk);
  s.bytes.resize(kHeaderSize);
  encode_header(s.h, s.bytes.data());
  s.bytes.insert(s.bytes.end(), payload.begin(), payload.end());
  return s;
}

ManifestError parse_text(const std::string& t, Manifest* m) { return parse_manifest(t.data(), t.size(), m); }

std::string format(const Manifest& m) {
  char buf[kManifestMax];
  size_t n = format_manifest(m, buf, sizeof buf);
  REQUIRE(n > 0);
  return std::string(buf, n);
}

// Replaces the line starting with `key=` by `line` (or removes it when line is empty).
std::string with_line(const std::string& manifest, const std::string& key, const std::string& line) {
  size_t at = manifest.find(key + "=");
  REQUIRE(at != std::string::npos);
  size_t end = manifest.find('\n', at);
  return manifest.substr(0, at) + (line.empty() ? "" : line + "\n") + manifest.substr(end + 1);
}

}  // namespace

TEST_CASE("version: parse, pack, format, round trip") {
  uint32_t v = 0;
  CHECK(parse("1.2.0", &v));
  CHECK(v == 0x00010200u);
  CHECK(text(v) == "1.2.0");
  CHECK(parse("0.0.0", &v));
  CHECK(v == 0);
  CHECK(parse("65535.255.255", &v));
  CHECK(v == 0xFFFFFFFFu);
  CHECK(text(v) == "65535.255.255");
  CHECK(text(v).size() + 1 == kVersionTextMax);
  CHECK(pack_version(1, 2, 3) < pack_version(1, 3, 0));
  CHECK(pack_version(1, 255, 255) < pack_version(2, 0, 0));
  SplitMix rng(3);
  for (int i = 0; i < 500; ++i) {
    uint32_t packed = static_cast<uint32_t>(rng.next());
    uint32_t back = 0;
    std::string t = text(packed);
    CHECK(parse(t, &back));
    CHECK(back == packed);
  }
  char small[5];
  CHECK(format_version(pack_version(10, 0, 0), small, sizeof small) == 0);
}

TEST_CASE("version: malformed text is rejected") {
  const char* bad[] = {"", "1", "1.2", "1.2.3.4", "1..2", ".1.2", "1.2.", "+1.2.3", "-1.2.3", " 1.2.3",
                       "1.2.3 ", "1. 2.3", "01.2.3", "1.02.3", "1.2.03", "65536.0.0", "1.256.0", "1.0.256",
                       "99999999999.0.0", "1.2.3\n", "a.b.c", "1.2.3x", "1,2,3", "0x1.2.3"};
  for (const char* s : bad) {
    CAPTURE(s);
    uint32_t v = 0xDEADBEEF;
    CHECK_FALSE(parse(s, &v));
    CHECK(v == 0xDEADBEEF);
  }
  uint32_t v = 0;
  CHECK(parse_version("1.2.3garbage", 5, &v));  // only the first len bytes count
  CHECK(v == pack_version(1, 2, 3));
}

TEST_CASE("bundle: encode, decode, verify hash and signature") {
  Signed s = make_bundle("print('hello')\n", pack_version(1, 2, 0), kPayloadSource);
  REQUIRE(s.bytes.size() == kHeaderSize + 15);
  CHECK(std::string(s.bytes.begin(), s.bytes.begin() + 4) == "HSB1");
  CHECK(s.bytes[4] == 1);
  CHECK(s.bytes[6] == 128);
  CHECK(s.bytes[8] == 0);  // version 1.2.0 = 0x00010200, little-endian
  CHECK(s.bytes[9] == 2);
  CHECK(s.bytes[10] == 1);
  CHECK(s.bytes[12] == 15);
  BundleHeader h;
  REQUIRE(decode_header(s.bytes.data(), s.bytes.size(), 1024, &h) == BundleError::Ok);
  CHECK(h.version == s.h.version);
  CHECK(h.payload_size == 15);
  CHECK(h.payload_kind == kPayloadSource);
  CHECK(hex(h.payload_sha256, 32) == hex(s.h.payload_sha256, 32));
  CHECK(hex(h.signature, 64) == hex(s.h.signature, 64));
  CHECK(verify_payload_hash(h, s.bytes.data() + kHeaderSize));
  CHECK(verify_header_signature(s.bytes.data(), s.pk));
  uint8_t re[kHeaderSize];
  encode_header(h, re);
  CHECK(hex(re, kHeaderSize) == hex(s.bytes.data(), kHeaderSize));

  // A changed payload byte fails the hash; a changed signed byte or another key fails the
  // signature; the unsigned half (the signature itself) is covered by the signature check.
  std::vector<uint8_t> bad = s.bytes;
  bad[kHeaderSize + 3] ^= 1;
  CHECK_FALSE(verify_payload_hash(h, bad.data() + kHeaderSize));
  for (size_t off : {size_t{8}, size_t{12}, size_t{16}, size_t{40}, size_t{70}}) {
    bad = s.bytes;
    bad[off] ^= 1;
    CAPTURE(off);
    CHECK_FALSE(verify_header_signature(bad.data(), s.pk));
  }
  Signed other = make_bundle("x", 1, kPayloadSource, 9);
  CHECK_FALSE(verify_header_signature(s.bytes.data(), other.pk));
  // Bytecode kind and an empty payload are fine.
  Signed bc = make_bundle("", pack_version(2, 0, 0), kPayloadBytecode);
  REQUIRE(decode_header(bc.bytes.data(), bc.bytes.size(), 0, &h) == BundleError::Ok);
  CHECK(h.payload_kind == kPayloadBytecode);
  CHECK(verify_payload_hash(h, bc.bytes.data() + kHeaderSize));
}

TEST_CASE("bundle: each decode error from a malformed header") {
  Signed s = make_bundle("abc", pack_version(1, 0, 0), kPayloadSource);
  BundleHeader h;
  auto mutated = [&](size_t off, uint8_t value) {
    std::vector<uint8_t> b = s.bytes;
    b[off] = value;
    return decode_header(b.data(), b.size(), 1000, &h);
  };
  CHECK(decode_header(s.bytes.data(), 127, 1000, &h) == BundleError::Truncated);
  CHECK(decode_header(s.bytes.data(), 0, 1000, &h) == BundleError::Truncated);
  CHECK(mutated(0, 'X') == BundleError::BadMagic);
  CHECK(mutated(3, '2') == BundleError::BadMagic);
  CHECK(mutated(4, 2) == BundleError::BadFormat);
  CHECK(mutated(5, 1) == BundleError::BadFormat);
  CHECK(mutated(6, 64) == BundleError::BadHeaderSize);
  CHECK(mutated(16, 2) == BundleError::BadKind);
  CHECK(mutated(19, 0x80) == BundleError::BadKind);
  CHECK(mutated(20, 1) == BundleError::ReservedNotZero);
  CHECK(mutated(31, 1) == BundleError::ReservedNotZero);
  CHECK(decode_header(s.bytes.data(), s.bytes.size(), 2, &h) == BundleError::PayloadTooLarge);
  CHECK(decode_header(s.bytes.data(), s.bytes.size(), 3, &h) == BundleError::Ok);
  // Every error has its own message.
  const BundleError all[] = {BundleError::Ok,           BundleError::Truncated, BundleError::BadMagic,
                             BundleError::BadFormat,    BundleError::BadHeaderSize, BundleError::BadKind,
                             BundleError::ReservedNotZero, BundleError::PayloadTooLarge};
  for (size_t i = 0; i < std::size(all); ++i)
    for (size_t j = i + 1; j < std::size(all); ++j) CHECK(std::string(to_string(all[i])) != to_string(all[j]));
}

TEST_CASE("manifest: format and parse round trip — the header rebuilt from it verifies") {
  Signed s = make_bundle("print(1)\n", pack_version(1, 2, 0), kPayloadSource);
  Manifest m;
  manifest_from_header(s.h, "/bundles/app-1.2.0.bundle", &m);
  std::string t = format(m);
  CHECK(t ==
        "version=1.2.0\nsize=9\nkind=source\nsha256=" + hex(s.h.payload_sha256, 32) + "\nsig=" +
            hex(s.h.signature, 64) + "\nurl=/bundles/app-1.2.0.bundle\n");
  Manifest back;
  REQUIRE(parse_text(t, &back) == ManifestError::Ok);
  CHECK(back.version == m.version);
  CHECK(back.payload_size == 9);
  CHECK(back.payload_kind == kPayloadSource);
  CHECK(std::string(back.url) == "/bundles/app-1.2.0.bundle");
  CHECK(format(back) == t);
  uint8_t header[kHeaderSize];
  manifest_to_header(back, header);
  CHECK(hex(header, kHeaderSize) == hex(s.bytes.data(), kHeaderSize));
  CHECK(verify_header_signature(header, s.pk));
  // A manifest that lies about the size no longer matches the signature.
  Manifest lie = back;
  lie.payload_size = 10;
  manifest_to_header(lie, header);
  CHECK_FALSE(verify_header_signature(header, s.pk));

  // Tolerated: CRLF line ends, no final newline, another key order; bytecode kind.
  std::string crlf;
  for (char c : t) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(parse_text(crlf, &back) == ManifestError::Ok);
  CHECK(parse_text(t.substr(0, t.size() - 1), &back) == ManifestError::Ok);
  size_t url_at = t.find("url=");
  CHECK(parse_text(t.substr(url_at) + t.substr(0, url_at), &back) == ManifestError::Ok);
  m.payload_kind = kPayloadBytecode;
  REQUIRE(parse_text(format(m), &back) == ManifestError::Ok);
  CHECK(back.payload_kind == kPayloadBytecode);
  // The formatter refuses a buffer that is too small.
  char tiny[40];
  CHECK(format_manifest(m, tiny, sizeof tiny) == 0);
}

TEST_CASE("manifest: each error from a malformed manifest") {
  Signed s = make_bundle("print(1)\n", pack_version(1, 2, 0), kPayloadSource);
  Manifest m;
  manifest_from_header(s.h, "/bundles/app-1.2.0.bundle", &m);
  const std::string good = format(m);
  Manifest out;
  REQUIRE(parse_text(good, &out) == ManifestError::Ok);
  auto err = [&](const std::string& t) { return parse_text(t, &out); };

  CHECK(err(good + std::string(kManifestMax, 'x')) == ManifestError::TooLong);
  CHECK(err(good + "\n") == ManifestError::BadLine);           // empty line
  CHECK(err("version\n" + good) == ManifestError::BadLine);     // no '='
  CHECK(err(with_line(good, "kind", "kind=so urce")) == ManifestError::BadLine);  // space
  CHECK(err(good + "color=blue\n") == ManifestError::UnknownKey);
  CHECK(err(good + "Version=1.2.0\n") == ManifestError::UnknownKey);
  CHECK(err(good + "size=9\n") == ManifestError::DuplicateKey);
  CHECK(err(with_line(good, "sig", "")) == ManifestError::MissingKey);
  CHECK(err("") == ManifestError::MissingKey);
  CHECK(err(with_line(good, "version", "version=1.2")) == ManifestError::BadVersion);
  CHECK(err(with_line(good, "version", "version=1.2.256")) == ManifestError::BadVersion);
  CHECK(err(with_line(good, "size", "size=")) == ManifestError::BadSize);
  CHECK(err(with_line(good, "size", "size=-9")) == ManifestError::BadSize);
  CHECK(err(with_line(good, "size", "size=09")) == ManifestError::BadSize);
  CHECK(err(with_line(good, "size", "size=4294967296")) == ManifestError::BadSize);
  CHECK(err(with_line(good, "size", "size=4294967295")) == ManifestError::Ok);
  CHECK(err(with_line(good, "kind", "kind=binary")) == ManifestError::BadKind);
  CHECK(err(with_line(good, "kind", "kind=Source")) == ManifestError::BadKind);
  std::string sha = hex(s.h.payload_sha256, 32);
  CHECK(err(with_line(good, "sha256", "sha256=" + sha.substr(2))) == ManifestError::BadHex);
  CHECK(err(with_line(good, "sha256", "sha256=" + sha + "00")) == ManifestError::BadHex);
  std::string upper = sha;
  upper[0] = 'A';
  upper[1] = 'B';
  CHECK(err(with_line(good, "sha256", "sha256=" + upper)) == ManifestError::BadHex);
  std::string sig = hex(s.h.signature, 64);
  sig[5] = 'g';
  CHECK(err(with_line(good, "sig", "sig=" + sig)) == ManifestError::BadHex);
  std::string long_url = "/" + std::string(kUrlMax, 'u');
  CHECK(err(with_line(good, "url", "url=" + long_url)) == ManifestError::UrlTooLong);
  CHECK(err(with_line(good, "url", "url=" + long_url.substr(0, kUrlMax))) == ManifestError::Ok);
  CHECK(std::string(out.url).size() == kUrlMax);
  CHECK(err(with_line(good, "url", "url=")) == ManifestError::BadUrl);
  CHECK(err(with_line(good, "url", "url=http://host/x")) == ManifestError::BadUrl);
  // A NUL inside the text is a bad byte, not an early end.
  std::string nul = good;
  nul[3] = '\0';
  CHECK(err(nul) == ManifestError::BadLine);
  // Messages are distinct.
  const ManifestError all[] = {ManifestError::Ok,        ManifestError::TooLong,    ManifestError::BadLine,
                               ManifestError::UnknownKey, ManifestError::DuplicateKey, ManifestError::MissingKey,
                               ManifestError::BadVersion, ManifestError::BadSize,   ManifestError::BadKind,
                               ManifestError::BadHex,    ManifestError::UrlTooLong, ManifestError::BadUrl};
  for (size_t i = 0; i < std::size(all); ++i)
    for (size_t j = i + 1; j < std::size(all); ++j) CHECK(std::string(to_string(all[i])) != to_string(all[j]));
}

TEST_CASE("manifest: random bytes never crash the parser and are rejected") {
  SplitMix rng(1024);
  Manifest out;
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> junk = rng.bytes(rng.below(1100));
    ManifestError e = parse_manifest(reinterpret_cast<const char*>(junk.data()), junk.size(), &out);
    CHECK(e != ManifestError::Ok);
  }
}
