// Manifest parser and formatter (see manifest.h). The parser walks the input once, line by
// line, and never reads past len; values are checked as they are seen, duplicates by a bit
// per key, missing keys at the end.
#include "update/manifest.h"

#include "update/version.h"

namespace hilsim::update {

namespace {

enum Key : uint8_t { kVersion, kSize, kKind, kSha256, kSig, kUrl, kKeyCount };
constexpr const char* kKeyNames[kKeyCount] = {"version", "size", "kind", "sha256", "sig", "url"};
constexpr const char* kKindNames[2] = {"source", "bytecode"};

bool equals(const char* a, size_t n, const char* z) {
  size_t i = 0;
  for (; i < n; ++i)
    if (z[i] == '\0' || z[i] != a[i]) return false;
  return z[i] == '\0';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is rejected too: one spelling per value
}

bool parse_hex(const char* p, size_t n, uint8_t* out, size_t bytes) {
  if (n != 2 * bytes) return false;
  for (size_t i = 0; i < bytes; ++i) {
    int hi = hex_digit(p[2 * i]), lo = hex_digit(p[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_u32(const char* p, size_t n, uint32_t* out) {
  if (n == 0 || n > 10 || (n > 1 && p[0] == '0')) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + static_cast<uint64_t>(p[i] - '0');
  }
  if (v > 0xFFFFFFFFu) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

ManifestError parse_value(Key key, const char* v, size_t n, Manifest* m) {
  switch (key) {
    case kVersion:
      return parse_version(v, n, &m->version) ? ManifestError::Ok : ManifestError::BadVersion;
    case kSize:
      return parse_u32(v, n, &m->payload_size) ? ManifestError::Ok : ManifestError::BadSize;
    case kKind:
      for (uint32_t k = 0; k < 2; ++k)
        if (equals(v, n, kKindNames[k])) {
          m->payload_kind = k;
          return ManifestError::Ok;
        }
      return ManifestError::BadKind;
    case kSha256:
      return parse_hex(v, n, m->sha256, sizeof m->sha256) ? ManifestError::Ok : ManifestError::BadHex;
    case kSig:
      return parse_hex(v, n, m->signature, sizeof m->signature) ? ManifestError::Ok : ManifestError::BadHex;
    case kUrl:
      if (n > kUrlMax) return ManifestError::UrlTooLong;
      if (n == 0 || v[0] != '/') return ManifestError::BadUrl;
      for (size_t i = 0; i < n; ++i) m->url[i] = v[i];
      m->url[n] = '\0';
      return ManifestError::Ok;
    case kKeyCount:
      break;
  }
  return ManifestError::UnknownKey;
}

// Appends to a bounded buffer; `ok` turns false once anything did not fit.
struct Writer {
  char* out;
  size_t cap;
  size_t len = 0;
  bool ok = true;
  void put(char c) {
    if (len + 1 >= cap) {
      ok = false;
      return;
    }
    out[len++] = c;
  }
  void str(const char* s) {
    while (*s != '\0') put(*s++);
  }
  void hex(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      put("0123456789abcdef"[p[i] >> 4]);
      put("0123456789abcdef"[p[i] & 15]);
    }
  }
  void dec(uint32_t v) {
    char tmp[10];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) put(tmp[--n]);
  }
  void key(Key k) {
    str(kKeyNames[k]);
    put('=');
  }
};

}  // namespace

const char* to_string(ManifestError e) {
  switch (e) {
    case ManifestError::Ok: return "ok";
    case ManifestError::TooLong: return "manifest longer than 1024 bytes";
    case ManifestError::BadLine: return "malformed line (expected key=value)";
    case ManifestError::UnknownKey: return "unknown key";
    case ManifestError::DuplicateKey: return "duplicate key";
    case ManifestError::MissingKey: return "missing key (needs version, size, kind, sha256, sig, url)";
    case ManifestError::BadVersion: return "bad version (expected MAJOR.MINOR.PATCH)";
    case ManifestError::BadSize: return "bad size (expected a decimal number)";
    case ManifestError::BadKind: return "bad kind (expected source or bytecode)";
    case ManifestError::BadHex: return "bad hex (sha256: 64, sig: 128 lowercase hex digits)";
    case ManifestError::UrlTooLong: return "url longer than 95 characters";
    case ManifestError::BadUrl: return "bad url (expected a path starting with /)";
  }
  return "unknown manifest error";
}

ManifestError parse_manifest(const char* text, size_t len, Manifest* out) {
  if (len > kManifestMax) return ManifestError::TooLong;
  Manifest m;
  unsigned seen = 0;
  size_t pos = 0;
  while (pos < len) {
    size_t end = pos;
    while (end < len && text[end] != '\n') ++end;
    size_t line_end = end;
    if (line_end > pos && text[line_end - 1] == '\r') --line_end;
    size_t eq = pos;
    while (eq < line_end && text[eq] != '=') ++eq;
    if (line_end == pos || eq == line_end) return ManifestError::BadLine;
    for (size_t i = pos; i < line_end; ++i)
      if (text[i] < 0x21 || text[i] > 0x7e) return ManifestError::BadLine;
    Key key = kKeyCount;
    for (int k = 0; k < kKeyCount; ++k)
      if (equals(text + pos, eq - pos, kKeyNames[k])) key = static_cast<Key>(k);
    if (key == kKeyCount) return ManifestError::UnknownKey;
    if (seen & (1u << key)) return ManifestError::DuplicateKey;
    seen |= 1u << key;
    ManifestError e = parse_value(key, text + eq + 1, line_end - eq - 1, &m);
    if (e != ManifestError::Ok) return e;
    pos = end + 1;
  }
  if (seen != (1u << kKeyCount) - 1) return ManifestError::MissingKey;
  *out = m;
  return ManifestError::Ok;
}

size_t format_manifest(const Manifest& m, char* out, size_t cap) {
  Writer w{out, cap};
  char version[kVersionTextMax];
  format_version(m.version, version, sizeof version);
  w.key(kVersion);
  w.str(version);
  w.put('\n');
  w.key(kSize);
  w.dec(m.payload_size);
  w.put('\n');
  w.key(kKind);
  w.str(m.payload_kind == kPayloadBytecode ? kKindNames[1] : kKindNames[0]);
  w.put('\n');
  w.key(kSha256);
  w.hex(m.sha256, sizeof m.sha256);
  w.put('\n');
  w.key(kSig);
  w.hex(m.signature, sizeof m.signature);
  w.put('\n');
  w.key(kUrl);
  w.str(m.url);
  w.put('\n');
  if (!w.ok || cap == 0) return 0;
  out[w.len] = '\0';
  return w.len;
}

void manifest_from_header(const BundleHeader& h, const char* url, Manifest* out) {
  out->version = h.version;
  out->payload_size = h.payload_size;
  out->payload_kind = h.payload_kind;
  for (size_t i = 0; i < 32; ++i) out->sha256[i] = h.payload_sha256[i];
  for (size_t i = 0; i < 64; ++i) out->signature[i] = h.signature[i];
  size_t n = 0;
  for (; n < kUrlMax && url[n] != '\0'; ++n) out->url[n] = url[n];
  out->url[n] = '\0';
}

void manifest_to_header(const Manifest& m, uint8_t header[kHeaderSize]) {
  BundleHeader h;
  h.version = m.version;
  h.payload_size = m.payload_size;
  h.payload_kind = m.payload_kind;
  for (size_t i = 0; i < 32; ++i) h.payload_sha256[i] = m.sha256[i];
  for (size_t i = 0; i < 64; ++i) h.signature[i] = m.signature[i];
  encode_header(h, header);
}

}  // namespace hilsim::update
