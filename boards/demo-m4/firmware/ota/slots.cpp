// Script slots (see slots.h). Slots are read through the memory map; nothing is cached, so
// a slot's verdict always reflects the flash as it is now.
#include "ota/slots.h"

#include "hw/demo_m4.h"
#include "update/bundle.h"
#include "ota/trusted_key.h"

namespace slots {
namespace {

namespace upd = hilsim::update;
constexpr uint32_t kFactoryMagic = 0x53465348;  // "HSFS"

const uint8_t* at(uint32_t address) { return reinterpret_cast<const uint8_t*>(address); }
uint32_t load32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }

Info inspect_factory() {
  Info info;
  const uint8_t* p = at(demo_m4::kFactoryBase);
  const uint32_t size = load32(p + 4);
  if (load32(p) != kFactoryMagic || size > demo_m4::kFactorySize - 8) {
    info.why = "no factory script in the image";
    return info;
  }
  info.valid = true;
  info.payload = p + 8;
  info.size = size;
  return info;
}

}  // namespace

uint32_t base(SlotId id) {
  switch (id) {
    case SlotId::A: return demo_m4::kSlotABase;
    case SlotId::B: return demo_m4::kSlotBBase;
    case SlotId::Factory: break;
  }
  return demo_m4::kFactoryBase;
}

uint32_t capacity(SlotId id) { return id == SlotId::Factory ? demo_m4::kFactorySize : demo_m4::kSlotSize; }

const char* name(SlotId id) {
  switch (id) {
    case SlotId::A: return "slot-a";
    case SlotId::B: return "slot-b";
    case SlotId::Factory: break;
  }
  return "factory";
}

SlotId other(SlotId id) { return id == SlotId::A ? SlotId::B : SlotId::A; }

uint32_t status_code(SlotId id) {
  switch (id) {
    case SlotId::A: return demo_m4::STATUS_SLOT_A;
    case SlotId::B: return demo_m4::STATUS_SLOT_B;
    case SlotId::Factory: break;
  }
  return demo_m4::STATUS_SLOT_FACTORY;
}

Info inspect(SlotId id) {
  if (id == SlotId::Factory) return inspect_factory();
  Info info;
  const uint8_t* p = at(base(id));
  upd::BundleHeader h;
  const upd::BundleError e = upd::decode_header(p, upd::kHeaderSize, capacity(id) - upd::kHeaderSize, &h);
  if (e != upd::BundleError::Ok) {
    info.why = upd::to_string(e);
    return info;
  }
  if (!upd::verify_payload_hash(h, p + upd::kHeaderSize)) {
    info.why = "SHA-256 of the script does not match its header";
    return info;
  }
  if (!upd::verify_header_signature(p, hilsim::fw::kTrustedPublicKey)) {
    info.why = "signature is not from the trusted key";
    return info;
  }
  info.valid = true;
  info.version = h.version;
  info.kind = h.payload_kind;
  info.payload = p + upd::kHeaderSize;
  info.size = h.payload_size;
  return info;
}

}  // namespace slots
