// Host side of releases: reading the project's key files, packing + signing a script into an
// update bundle (docs/bundle-format.md) with libsodium, and publishing bundles on the
// in-process update server (network/update_server.h) the way a release backend would:
// /bundles/<file> plus a /manifest that describes the newest published release.
// Used by `hilsim pack`, the scenario engine's `publish` step and the tests. Host only.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hilsim::network {
class UpdateServer;
}

namespace hilsim::release {

using Key32 = std::array<std::uint8_t, 32>;

// A key file is one line "ed25519-seed <64 hex>" (secret) or "ed25519-public <64 hex>".
// Returns the key, or nullopt with `error` naming the file and what was expected.
std::optional<Key32> read_secret_key(const std::string& path, std::string& error);
std::optional<Key32> read_public_key(const std::string& path, std::string& error);
Key32 public_key_of(const Key32& seed);

// Packs `payload` (kind 0 = source, 1 = bytecode) as a signed bundle.
std::vector<std::uint8_t> pack(std::span<const std::uint8_t> payload, std::uint32_t version, std::uint32_t kind,
                               const Key32& seed);
// The manifest text for a bundle (its header) at `url`; "" if the bundle header is malformed.
std::string manifest_for(std::span<const std::uint8_t> bundle, const std::string& url);
// "1.2.0" -> packed, or nullopt.
std::optional<std::uint32_t> parse_version(const std::string& text);
std::string version_text(std::uint32_t packed);

// Keeps an update server's /bundles/* and /manifest in step with a set of releases. The
// manifest always names the release published last that is still published (a backend that
// "rolls out" releases in order); with none left, /manifest is removed (404).
class Publisher {
 public:
  explicit Publisher(network::UpdateServer& server) : server_(server) {}
  // Returns "" or what is wrong with the bundle. The file is served at /bundles/<file_name>.
  std::string publish(const std::string& file_name, std::vector<std::uint8_t> bundle);
  bool unpublish(const std::string& file_name);
  std::string manifest_text() const;  // what /manifest serves now ("" if none)

 private:
  void refresh();
  network::UpdateServer& server_;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> published_;  // in publish order
};

}  // namespace hilsim::release
