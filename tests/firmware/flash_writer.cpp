// flash_writer: erases one sector of the `meta` partition (0x40000) and programs 64 words
// through the flash controller, polling BUSY, then checks what it reads back. Prints
// erased=1, programmed=64, verify=ok. The debugger and power-loss tests interrupt it.
#include "test.h"

namespace {
struct FlashCtl {
  volatile uint32_t KEY, CTRL, ADDR, DATA0, DATA1, CMD, STATUS, SECTOR, UNIT, OPCOUNT, BASE, SIZE;
};
FlashCtl& flashctl() { return *reinterpret_cast<FlashCtl*>(0x40006000u); }
constexpr uint32_t kBusy = 1, kErr = 4;
constexpr uint32_t kMeta = 0x40000;

__attribute__((noinline)) bool wait_done() {
  while (flashctl().STATUS & kBusy) {
  }
  return (flashctl().STATUS & kErr) == 0;
}

__attribute__((noinline)) bool flash_erase(uint32_t addr) {
  flashctl().ADDR = addr;
  flashctl().CMD = 2;
  return wait_done();
}

__attribute__((noinline)) bool flash_program(uint32_t addr, uint32_t value) {
  flashctl().ADDR = addr;
  flashctl().DATA0 = value;
  flashctl().CMD = 1;
  return wait_done();
}
}  // namespace

int main() {
  flashctl().KEY = 0x45670123u;
  flashctl().KEY = 0xCDEF89ABu;
  bool ok = flash_erase(kMeta);
  t::kv("erased", ok ? 1 : 0);
  uint32_t programmed = 0;
  for (uint32_t i = 0; i < 64 && ok; ++i) {
    ok = flash_program(kMeta + 4 * i, 0xA5000000u | i);
    programmed += ok ? 1 : 0;
  }
  t::kv("programmed", programmed);
  bool same = true;
  for (uint32_t i = 0; i < 64; ++i)
    same = same && reinterpret_cast<volatile uint32_t*>(kMeta)[i] == (0xA5000000u | i);
  t::kv_str("verify", same ? "ok" : "mismatch");
  t::check(ok && same, "flash_write");
  return 0;
}
