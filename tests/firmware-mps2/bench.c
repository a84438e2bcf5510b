// CPU-bound benchmark: CRC-32 (bitwise) over a 4 KiB buffer, CRC_REPEAT times; prints the CRC.
// The same ELF runs on QEMU and hilsim (hilsim-bench qemu).
#include "mps2.h"

static uint8_t buf[4096];

int main(void) {
  for (uint32_t i = 0; i < sizeof buf; ++i) buf[i] = (uint8_t)(i * 7 + 3);
  uint32_t crc = 0xFFFFFFFFu;
  for (volatile uint32_t r = 0; r != CRC_REPEAT; ++r)
    for (uint32_t i = 0; i < sizeof buf; ++i) {
      crc ^= buf[i];
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
  puts_("crc=");
  put_hex(~crc);
  putch('\n');
  return 0;
}
