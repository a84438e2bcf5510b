// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bitwise: small and fast enough for
// the 28-byte journal records it protects.
#pragma once
#include <cstdint>

namespace lib {
uint32_t crc32(const void* data, uint32_t len);
}
