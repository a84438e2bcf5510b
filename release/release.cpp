// Host-side release handling (see release.h).
#include "release/release.h"

#include <sodium.h>

#include <fstream>
#include <sstream>

#include "network/update_server.h"
#include "update/bundle.h"
#include "update/manifest.h"
#include "update/version.h"

namespace hilsim::release {
namespace {

bool from_hex(const std::string& h, std::uint8_t* out, std::size_t n) {
  if (h.size() != 2 * n) return false;
  auto nib = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = nib(h[2 * i]), lo = nib(h[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::optional<Key32> read_key(const std::string& path, const std::string& tag, std::string& error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = path + ": cannot read key file";
    return std::nullopt;
  }
  std::ostringstream s;
  s << f.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  Key32 key{};
  const std::string prefix = tag + " ";
  if (text.compare(0, prefix.size(), prefix) != 0 || !from_hex(text.substr(prefix.size()), key.data(), 32)) {
    error = path + ":1: expected one line '" + tag + " <64 hex digits>'";
    return std::nullopt;
  }
  return key;
}

void ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  (void)ok;
}

}  // namespace

std::optional<Key32> read_secret_key(const std::string& path, std::string& error) {
  return read_key(path, "ed25519-seed", error);
}
std::optional<Key32> read_public_key(const std::string& path, std::string& error) {
  return read_key(path, "ed25519-public", error);
}

Key32 public_key_of(const Key32& seed) {
  ensure_sodium();
  Key32 pk{};
  std::uint8_t sk[64];
  crypto_sign_seed_keypair(pk.data(), sk, seed.data());
  sodium_memzero(sk, sizeof sk);
  return pk;
}

std::vector<std::uint8_t> pack(std::span<const std::uint8_t> payload, std::uint32_t version, std::uint32_t kind,
                               const Key32& seed) {
  ensure_sodium();
  update::BundleHeader h;
  h.version = version;
  h.payload_size = static_cast<std::uint32_t>(payload.size());
  h.payload_kind = kind;
  crypto_hash_sha256(h.payload_sha256, payload.data(), payload.size());
  std::uint8_t pk[32], sk[64], signed_bytes[update::kSignedSize];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  update::header_signed_bytes(h, signed_bytes);
  crypto_sign_detached(h.signature, nullptr, signed_bytes, sizeof signed_bytes, sk);
  sodium_memzero(sk, sizeof sk);
  std::vector<std::uint8_t> bundle(update::kHeaderSize);
  update::encode_header(h, bundle.data());
  bundle.insert(bundle.end(), payload.begin(), payload.end());
  return bundle;
}

std::string manifest_for(std::span<const std::uint8_t> bundle, const std::string& url) {
  update::BundleHeader h;
  if (update::decode_header(bundle.data(), bundle.size(), UINT32_MAX, &h) != update::BundleError::Ok) return "";
  update::Manifest m;
  update::manifest_from_header(h, url.c_str(), &m);
  char text[update::kManifestMax + 1];
  const std::size_t n = update::format_manifest(m, text, sizeof text);
  return std::string(text, n);
}

std::optional<std::uint32_t> parse_version(const std::string& text) {
  std::uint32_t v = 0;
  if (!update::parse_version(text.data(), text.size(), &v)) return std::nullopt;
  return v;
}

std::string version_text(std::uint32_t packed) {
  char buf[update::kVersionTextMax];
  return std::string(buf, update::format_version(packed, buf, sizeof buf));
}

std::string Publisher::publish(const std::string& file_name, std::vector<std::uint8_t> bundle) {
  if (file_name.empty() || file_name.find('/') != std::string::npos)
    return "bundle file name must be non-empty and contain no '/': '" + file_name + "'";
  update::BundleHeader h;
  const auto e = update::decode_header(bundle.data(), bundle.size(), UINT32_MAX, &h);
  if (e != update::BundleError::Ok) return std::string("not a bundle: ") + update::to_string(e);
  if (bundle.size() != update::kHeaderSize + h.payload_size) return "bundle length does not match its header";
  unpublish(file_name);
  server_.put("/bundles/" + file_name, bundle);
  published_.emplace_back(file_name, std::move(bundle));
  refresh();
  return "";
}

bool Publisher::unpublish(const std::string& file_name) {
  for (auto it = published_.begin(); it != published_.end(); ++it) {
    if (it->first != file_name) continue;
    server_.remove("/bundles/" + file_name);
    published_.erase(it);
    refresh();
    return true;
  }
  return false;
}

std::string Publisher::manifest_text() const {
  if (published_.empty()) return "";
  const auto& [name, bundle] = published_.back();
  return manifest_for(bundle, "/bundles/" + name);
}

void Publisher::refresh() {
  const std::string text = manifest_text();
  if (text.empty()) {
    server_.remove("/manifest");
    return;
  }
  server_.put("/manifest", std::vector<std::uint8_t>(text.begin(), text.end()), "text/plain");
}

}  // namespace hilsim::release
