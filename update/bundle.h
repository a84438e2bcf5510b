// Update bundles (docs/bundle-format.md): a 128-byte little-endian header, then the payload
// (Python source or VM bytecode). The header carries the payload's SHA-256, and an Ed25519
// signature over header bytes [0, 64) -- so one signature covers version, size, kind and hash.
// Freestanding C++17 for host tools and firmware; no heap, no libc beyond memcpy/memset.
// Leaves out compression, encryption and key rotation (one trusted key per firmware).
#pragma once
#include <cstddef>
#include <cstdint>

namespace hilsim::update {

constexpr size_t kHeaderSize = 128;
constexpr size_t kSignedSize = 64;  // header bytes [0, 64) are what the signature covers
constexpr uint16_t kFormat = 1;
constexpr uint8_t kMagic[4] = {'H', 'S', 'B', '1'};

// Header layout: offsets of each field (all integers little-endian).
constexpr size_t kOffMagic = 0;        // 4 bytes "HSB1"
constexpr size_t kOffFormat = 4;       // u16, kFormat
constexpr size_t kOffHeaderSize = 6;   // u16, kHeaderSize
constexpr size_t kOffVersion = 8;      // u32, packed (update/version.h)
constexpr size_t kOffPayloadSize = 12; // u32
constexpr size_t kOffPayloadKind = 16; // u32, PayloadKind
constexpr size_t kOffReserved = 20;    // 12 bytes, zero
constexpr size_t kOffSha256 = 32;      // 32 bytes, SHA-256 of the payload
constexpr size_t kOffSignature = 64;   // 64 bytes, Ed25519 over [0, 64)

enum PayloadKind : uint32_t {
  kPayloadSource = 0,    // Python source text
  kPayloadBytecode = 1,  // VM bytecode (vm/README.md, "HPYC")
};

struct BundleHeader {
  uint32_t version = 0;  // packed
  uint32_t payload_size = 0;
  uint32_t payload_kind = kPayloadSource;
  uint8_t payload_sha256[32] = {};
  uint8_t signature[64] = {};
};

enum class BundleError : uint8_t {
  Ok,
  Truncated,        // fewer than kHeaderSize bytes
  BadMagic,         // not "HSB1"
  BadFormat,        // format field is not kFormat
  BadHeaderSize,    // header_size field is not kHeaderSize
  BadKind,          // payload_kind is neither source nor bytecode
  ReservedNotZero,  // bytes [20, 32) are not all zero
  PayloadTooLarge,  // payload_size above the caller's limit
};
const char* to_string(BundleError e);

// All 128 bytes, signature included.
void encode_header(const BundleHeader& h, uint8_t out[kHeaderSize]);
// Checks the fields that do not need crypto; max_payload is the caller's limit (e.g. slot
// size minus the header). Signature and hash are checked by the two verify_ functions.
BundleError decode_header(const uint8_t* data, size_t len, uint32_t max_payload, BundleHeader* out);
// The 64 bytes the signature covers: encode_header's first 64 bytes.
void header_signed_bytes(const BundleHeader& h, uint8_t out[kSignedSize]);
// Ed25519 signature at [64, 128) over [0, 64) of an encoded header, under pub (32 bytes).
bool verify_header_signature(const uint8_t* header, const uint8_t* pub);
// SHA-256 of payload[0, h.payload_size) equals h.payload_sha256.
bool verify_payload_hash(const BundleHeader& h, const uint8_t* payload);

}  // namespace hilsim::update
