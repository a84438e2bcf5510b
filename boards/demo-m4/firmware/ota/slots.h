// Script slots in flash: slot-a and slot-b hold downloaded bundles byte for byte (128-byte
// signed header + payload, docs/bundle-format.md); the factory partition holds the factory
// script that ships inside the firmware image (a small unsigned header + source, trusted like
// the firmware itself). inspect() is the single place that decides whether a slot may run:
// header well-formed, payload SHA-256 matches, Ed25519 signature by the trusted key.
#pragma once
#include <cstdint>

#include "ota/journal.h"

namespace slots {

using journal::SlotId;

struct Info {
  bool valid = false;
  const char* why = "";          // reason when invalid
  uint32_t version = 0;          // packed; 0 for the factory script
  uint32_t kind = 0;             // 0 source, 1 bytecode
  const uint8_t* payload = nullptr;
  uint32_t size = 0;
};

uint32_t base(SlotId id);
uint32_t capacity(SlotId id);
const char* name(SlotId id);  // "slot-a", "slot-b", "factory"
SlotId other(SlotId id);      // the slot a download goes to while `id` runs
uint32_t status_code(SlotId id);  // STATUS_SLOT_* for the status port

Info inspect(SlotId id);

}  // namespace slots
