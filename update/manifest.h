// The update manifest (docs/bundle-format.md): the text the update server serves at
// /manifest, one `key=value\n` line per signed header field plus the bundle's URL. A device
// rebuilds the 64 signed header bytes from it and checks the signature before downloading.
// Freestanding C++17, bounded: at most kManifestMax bytes of input, no heap, no libc.
// Leaves out comments, several releases per manifest and absolute URLs (paths only).
#pragma once
#include <cstddef>
#include <cstdint>

#include "update/bundle.h"

namespace hilsim::update {

constexpr size_t kManifestMax = 1024;  // longest input the parser accepts, in bytes
constexpr size_t kUrlMax = 95;         // longest url value, in characters

struct Manifest {
  uint32_t version = 0;  // packed
  uint32_t payload_size = 0;
  uint32_t payload_kind = kPayloadSource;
  uint8_t sha256[32] = {};
  uint8_t signature[64] = {};
  char url[kUrlMax + 1] = {};  // NUL-terminated path, e.g. "/bundles/app-1.2.0.bundle"
};

enum class ManifestError : uint8_t {
  Ok,
  TooLong,       // input longer than kManifestMax
  BadLine,       // an empty line, no '=', or a byte outside printable ASCII
  UnknownKey,
  DuplicateKey,
  MissingKey,
  BadVersion,    // not MAJOR.MINOR.PATCH (update/version.h)
  BadSize,       // not a decimal u32 without sign or leading zeros
  BadKind,       // neither "source" nor "bytecode"
  BadHex,        // sha256/sig not exactly 64/128 lowercase hex digits
  UrlTooLong,    // more than kUrlMax characters
  BadUrl,        // empty or not starting with '/'
};
const char* to_string(ManifestError e);

// Lines end in "\n" (a "\r" before it is tolerated, and so is a missing final "\n"); keys may
// come in any order but each exactly once. *out is complete only when Ok is returned.
ManifestError parse_manifest(const char* text, size_t len, Manifest* out);

// Writes the six lines in the order version, size, kind, sha256, sig, url, and a NUL. Returns
// the text length, or 0 when cap is too small (kManifestMax always suffices).
size_t format_manifest(const Manifest& m, char* out, size_t cap);

// The manifest for a bundle header (url copied, truncated to kUrlMax), and back: the header
// the manifest describes, all 128 bytes, ready for verify_header_signature().
void manifest_from_header(const BundleHeader& h, const char* url, Manifest* out);
void manifest_to_header(const Manifest& m, uint8_t header[kHeaderSize]);

}  // namespace hilsim::update
