// The update agent: asks the update server for its manifest, decides whether the release is
// wanted (newer, not rolled back before, signed by the trusted key), downloads the bundle into
// the inactive slot in 1 KiB chunks that are journaled as they land (so a dropped connection
// or a power cut resumes with an HTTP Range request instead of starting over), verifies the
// stored bundle (SHA-256 + Ed25519), journals it as the new active script on trial and hands it
// to the runner for a hot apply. Protocol and messages: docs/update-firmware.md ("Update").
#pragma once
#include <cstdint>

namespace agent {

constexpr uint32_t kFirstPollMs = 1000;   // first look after boot
constexpr uint32_t kChunk = 1024;         // download unit between journal checkpoints
constexpr int kAttemptsPerPoll = 4;       // connection attempts per poll before giving up
constexpr uint32_t kRetryPauseMs = 200;

// One check for an update, blocking (the idle hook keeps the device alive meanwhile).
void poll();

}  // namespace agent
