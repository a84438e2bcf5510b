// cpu_bound / cpu_bound_small: bitwise CRC-32 (IEEE, reflected, as zlib's crc32) over a 16 KiB
// RAM buffer repeated CRC_REPEAT times, i.e. the CRC of the buffer concatenated CRC_REPEAT
// times. Pure computation, no interrupts: the speed benchmark (cpu_bound, ~200 M instructions)
// and a quick test (cpu_bound_small, ~5 M). Prints repeat, bytes and crc.
#include "test.h"

#ifndef CRC_REPEAT
#error "CRC_REPEAT must be defined"
#endif

namespace {

constexpr uint32_t kBufSize = 16 * 1024;
uint8_t g_buf[kBufSize];

__attribute__((noinline)) uint32_t crc32_update(uint32_t crc, const uint8_t* p, uint32_t n) {
  while (n-- != 0) {
    crc ^= *p++;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc;
}

}  // namespace

int main() {
  for (uint32_t i = 0; i < kBufSize; ++i) g_buf[i] = static_cast<uint8_t>(i * 7u + (i >> 8));
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t r = 0; r < CRC_REPEAT; ++r) crc = crc32_update(crc, g_buf, kBufSize);
  crc = ~crc;
  t::kv("repeat", CRC_REPEAT);
  t::kv("bytes", CRC_REPEAT * kBufSize);
  t::kv_hex("crc", crc);
  return 0;
}
