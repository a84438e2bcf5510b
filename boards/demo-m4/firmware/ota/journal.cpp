// Update journal (see journal.h and docs/update-firmware.md "Journal").
#include "ota/journal.h"

#include <cstring>

#include "drivers/flash.h"
#include "hw/demo_m4.h"
#include "lib/crc32.h"

namespace journal {
namespace {

using demo_m4::kMetaBase;
using demo_m4::kSectorSize;

constexpr uint32_t kMagic = 0x314A5348;  // "HSJ1"
constexpr uint32_t kSectors = demo_m4::kMetaSize / kSectorSize;
constexpr uint32_t kRecordSize = 32;
constexpr uint32_t kPerSector = kSectorSize / kRecordSize;
constexpr int kMaxAttempts = 8;
enum Kind : uint8_t { kState = 1, kProgress = 2 };

struct Record {
  uint32_t magic;
  uint32_t seq;
  uint8_t kind;
  uint8_t a, b, c;  // state: active, phase, previous · progress: slot, 0, 0
  uint32_t v0;      // state: version · progress: version
  uint32_t v1;      // state: rejected · progress: bytes
  uint32_t v2;      // state: trial_boots
  uint32_t reserved;
  uint32_t crc;     // CRC-32 of the 28 bytes before it
};
static_assert(sizeof(Record) == kRecordSize);

State g_state;
Progress g_progress;
uint32_t g_seq;            // highest sequence number seen or written
uint32_t g_sector;         // sector that receives the next record
uint32_t g_index;          // next record index in g_sector (kPerSector = full)
uint32_t g_written;

uint32_t record_address(uint32_t sector, uint32_t index) {
  return kMetaBase + sector * kSectorSize + index * kRecordSize;
}

bool valid(const Record& r) {
  return r.magic == kMagic && r.crc == lib::crc32(&r, kRecordSize - 4) && (r.kind == kState || r.kind == kProgress);
}

void apply(const Record& r) {
  if (r.kind == kState) {
    g_state.active = static_cast<SlotId>(r.a);
    g_state.phase = static_cast<Phase>(r.b);
    g_state.previous = static_cast<SlotId>(r.c);
    g_state.version = r.v0;
    g_state.rejected = r.v1;
    g_state.trial_boots = static_cast<uint16_t>(r.v2);
  } else {
    g_progress.slot = static_cast<SlotId>(r.a);
    g_progress.version = r.v0;
    g_progress.bytes = r.v1;
  }
}

Record encode_state(const State& s) {
  Record r{};
  r.kind = kState;
  r.a = static_cast<uint8_t>(s.active);
  r.b = static_cast<uint8_t>(s.phase);
  r.c = static_cast<uint8_t>(s.previous);
  r.v0 = s.version;
  r.v1 = s.rejected;
  r.v2 = s.trial_boots;
  return r;
}

Record encode_progress(const Progress& p) {
  Record r{};
  r.kind = kProgress;
  r.a = static_cast<uint8_t>(p.slot);
  r.v0 = p.version;
  r.v1 = p.bytes;
  return r;
}

// Programs r into the next blank record position of the current sector, reading it back.
// Positions that are not blank (a torn earlier write) or fail verification are skipped.
bool program_next(Record r) {
  while (g_index < kPerSector) {
    const uint32_t addr = record_address(g_sector, g_index++);
    if (!flash::is_erased(addr, kRecordSize)) continue;
    r.magic = kMagic;
    r.seq = g_seq + 1;
    r.crc = lib::crc32(&r, kRecordSize - 4);
    const uint32_t err = flash::program(addr, &r, kRecordSize);
    if (err == 0 && std::memcmp(flash::at(addr), &r, kRecordSize) == 0) {
      g_seq = r.seq;
      ++g_written;
      return true;
    }
  }
  return false;
}

// Moves to the next sector: erase it, then carry the current state and progress over, so the
// newest state always lives in the newest sector.
bool rotate(bool have_state, bool have_progress) {
  g_sector = (g_sector + 1) % kSectors;
  g_index = 0;
  if (flash::erase_sector(record_address(g_sector, 0)) != 0) {
    g_index = kPerSector;  // unusable; the next attempt moves on
    return false;
  }
  if (have_state && !program_next(encode_state(g_state))) return false;
  if (have_progress && !program_next(encode_progress(g_progress))) return false;
  return true;
}

bool g_have_state, g_have_progress;

bool append(const Record& r) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (g_index >= kPerSector && !rotate(g_have_state, g_have_progress)) continue;
    if (program_next(r)) return true;
  }
  return false;
}

}  // namespace

bool mount() {
  g_state = State{};
  g_progress = Progress{};
  g_seq = 0;
  g_have_state = g_have_progress = false;
  uint32_t best_state = 0, best_progress = 0;
  bool any = false;
  for (uint32_t s = 0; s < kSectors; ++s) {
    for (uint32_t i = 0; i < kPerSector; ++i) {
      Record r;
      std::memcpy(&r, flash::at(record_address(s, i)), kRecordSize);
      if (!valid(r)) continue;
      if (r.kind == kState && (!g_have_state || r.seq > best_state)) {
        best_state = r.seq;
        g_have_state = true;
        apply(r);
      } else if (r.kind == kProgress && (!g_have_progress || r.seq > best_progress)) {
        best_progress = r.seq;
        g_have_progress = true;
        apply(r);
      }
      if (!any || r.seq > g_seq) {
        g_seq = r.seq;
        g_sector = s;
        g_index = i + 1;
        any = true;
      }
    }
  }
  if (!any) {  // a fresh partition: the first write erases sector 0 before using it
    g_sector = kSectors - 1;
    g_index = kPerSector;
  }
  return g_have_state;
}

const State& state() { return g_state; }
const Progress& progress() { return g_progress; }

bool write_state(const State& s) {
  g_state = s;
  g_have_state = true;
  return append(encode_state(s));
}

bool write_progress(const Progress& p) {
  g_progress = p;
  g_have_progress = true;
  return append(encode_progress(p));
}

uint32_t records_written() { return g_written; }
uint32_t sequence() { return g_seq; }

}  // namespace journal
