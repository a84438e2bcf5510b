// Bundle header encode/decode/verify (docs/bundle-format.md, "Bundle header"; see bundle.h).
// Field access is byte by byte, so neither alignment nor host endianness matters. The signature
// and hash checks are thin wrappers over crypto/; decode itself never touches crypto.
#include "update/bundle.h"

#include "crypto/ed25519_verify.h"
#include "crypto/sha256.h"

namespace hilsim::update {

namespace {

void put_le16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t get_le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t get_le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

}  // namespace

const char* to_string(BundleError e) {
  switch (e) {
    case BundleError::Ok: return "ok";
    case BundleError::Truncated: return "bundle shorter than its 128-byte header";
    case BundleError::BadMagic: return "not a bundle (magic is not HSB1)";
    case BundleError::BadFormat: return "unsupported bundle format (expected 1)";
    case BundleError::BadHeaderSize: return "bad header size (expected 128)";
    case BundleError::BadKind: return "unknown payload kind (expected 0 source or 1 bytecode)";
    case BundleError::ReservedNotZero: return "reserved header bytes are not zero";
    case BundleError::PayloadTooLarge: return "payload larger than allowed";
  }
  return "unknown bundle error";
}

void encode_header(const BundleHeader& h, uint8_t out[kHeaderSize]) {
  for (size_t i = 0; i < kHeaderSize; ++i) out[i] = 0;
  for (size_t i = 0; i < 4; ++i) out[kOffMagic + i] = kMagic[i];
  put_le16(out + kOffFormat, kFormat);
  put_le16(out + kOffHeaderSize, static_cast<uint16_t>(kHeaderSize));
  put_le32(out + kOffVersion, h.version);
  put_le32(out + kOffPayloadSize, h.payload_size);
  put_le32(out + kOffPayloadKind, h.payload_kind);
  for (size_t i = 0; i < 32; ++i) out[kOffSha256 + i] = h.payload_sha256[i];
  for (size_t i = 0; i < 64; ++i) out[kOffSignature + i] = h.signature[i];
}

BundleError decode_header(const uint8_t* data, size_t len, uint32_t max_payload, BundleHeader* out) {
  if (len < kHeaderSize) return BundleError::Truncated;
  for (size_t i = 0; i < 4; ++i)
    if (data[kOffMagic + i] != kMagic[i]) return BundleError::BadMagic;
  if (get_le16(data + kOffFormat) != kFormat) return BundleError::BadFormat;
  if (get_le16(data + kOffHeaderSize) != kHeaderSize) return BundleError::BadHeaderSize;
  const uint32_t kind = get_le32(data + kOffPayloadKind);
  if (kind != kPayloadSource && kind != kPayloadBytecode) return BundleError::BadKind;
  for (size_t i = kOffReserved; i < kOffSha256; ++i)
    if (data[i] != 0) return BundleError::ReservedNotZero;
  const uint32_t size = get_le32(data + kOffPayloadSize);
  if (size > max_payload) return BundleError::PayloadTooLarge;
  out->version = get_le32(data + kOffVersion);
  out->payload_size = size;
  out->payload_kind = kind;
  for (size_t i = 0; i < 32; ++i) out->payload_sha256[i] = data[kOffSha256 + i];
  for (size_t i = 0; i < 64; ++i) out->signature[i] = data[kOffSignature + i];
  return BundleError::Ok;
}

void header_signed_bytes(const BundleHeader& h, uint8_t out[kSignedSize]) {
  uint8_t full[kHeaderSize];
  encode_header(h, full);
  for (size_t i = 0; i < kSignedSize; ++i) out[i] = full[i];
}

bool verify_header_signature(const uint8_t* header, const uint8_t* pub) {
  return crypto::ed25519_verify(header + kOffSignature, header, kSignedSize, pub);
}

bool verify_payload_hash(const BundleHeader& h, const uint8_t* payload) {
  uint8_t digest[crypto::kSha256DigestSize];
  crypto::sha256(payload, h.payload_size, digest);
  uint8_t diff = 0;
  for (size_t i = 0; i < sizeof digest; ++i) diff |= digest[i] ^ h.payload_sha256[i];
  return diff == 0;
}

}  // namespace hilsim::update
