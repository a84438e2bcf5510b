// The update journal: a power-loss-safe log of the device's update state in the `meta`
// partition (4 sectors of 4 KiB). Format: docs/update-firmware.md ("Journal").
//
// Every change is a new 32-byte record appended after the newest one; nothing is rewritten in
// place. A record is valid only if its magic and CRC-32 match, so a program torn by a power cut
// leaves an invalid record and the previous one stays the truth. When a sector fills, the next
// sector is erased and the current state is copied into it first, so erasing the oldest sector
// never loses the newest state (littlefs's metadata-pair idea, reduced to an append log).
// Weak bits left by a torn erase are cleared because a sector is always erased before reuse,
// and every programmed record is read back before it counts.
#pragma once
#include <cstdint>

namespace journal {

enum class SlotId : uint8_t { Factory = 0, A = 1, B = 2 };
enum class Phase : uint8_t { Confirmed = 1, Trial = 2 };

// What runs and what to fall back to.
struct State {
  SlotId active = SlotId::Factory;
  Phase phase = Phase::Confirmed;
  SlotId previous = SlotId::Factory;  // rollback target while in Trial
  uint16_t trial_boots = 0;           // boots spent in Trial (power cuts during the trial)
  uint32_t version = 0;               // packed version of the active script (0 = factory)
  uint32_t rejected = 0;              // highest version that was rolled back (never retried)
};

// How far a download into a slot got: bytes [0, bytes) are written and verified.
struct Progress {
  SlotId slot = SlotId::Factory;  // Factory = no download in progress
  uint32_t version = 0;
  uint32_t bytes = 0;
};

// Scans the partition. Returns false if no valid state record exists (a fresh device).
bool mount();
const State& state();
const Progress& progress();
bool write_state(const State& s);  // false: flash failed even after retries
bool write_progress(const Progress& p);

// Statistics for the console and tests.
uint32_t records_written();
uint32_t sequence();

}  // namespace journal
