// Flash controller driver (see flash.h). One operation at a time: the controller is unlocked
// for the operation and locked again after it, so a stray write cannot start an erase.
#include "drivers/flash.h"

#include "drivers/wait.h"
#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"

namespace flash {
namespace {

using namespace demo_m4;

uint32_t g_page = 4;        // PAGE, read at init: the largest buffered program
volatile uint32_t g_status;  // STATUS as the ISR saw it at DONE/ERR; 0 while in flight
constexpr uint32_t kOpTimeoutMs = 1000;

uint32_t run(uint32_t cmd) {
  FlashCtl& f = flashctl();
  g_status = 0;
  f.KEY = kFlashKey1;
  f.KEY = kFlashKey2;
  f.CMD = cmd;
  const bool done = sys::wait_until([] { return g_status != 0; }, kOpTimeoutMs);
  f.CTRL = FLASH_CTRL_LOCK | FLASH_CTRL_DONEIE | FLASH_CTRL_ERRIE;
  if (!done) return kTimeout;
  const uint32_t s = g_status;
  return (s & FLASH_STATUS_ERR) != 0 ? ((s >> 8) & 0xF) : 0;
}

}  // namespace

void init(uint8_t irq_priority) {
  flashctl().STATUS = FLASH_STATUS_DONE | FLASH_STATUS_ERR;
  g_page = flashctl().PAGE;
  flashctl().CTRL = FLASH_CTRL_LOCK | FLASH_CTRL_DONEIE | FLASH_CTRL_ERRIE;
  cm4::irq_set_priority(kIrqFlash, irq_priority);
  cm4::irq_enable(kIrqFlash);
}

uint32_t erase_sector(uint32_t address) {
  flashctl().ADDR = address;
  return run(FLASH_CMD_ERASE);
}

// One page program per page the range touches: the words go into the controller's write
// buffer, then a single operation writes them (so a power cut tears at most one page).
uint32_t program(uint32_t address, const void* data, uint32_t len) {
  const auto* p = static_cast<const uint8_t*>(data);
  FlashCtl& f = flashctl();
  while (len != 0) {
    uint32_t n = g_page - address % g_page;
    if (n > len) n = len;
    bool blank = true;  // programming all-ones changes nothing: skip the operation
    for (uint32_t i = 0; i < n; i += 4) {
      const uint32_t word = p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | (uint32_t(p[i + 3]) << 24);
      f.BUF[i / 4] = word;
      blank = blank && word == 0xFFFFFFFFu;
    }
    if (!blank) {
      f.ADDR = address;
      f.LEN = n;
      if (uint32_t err = run(FLASH_CMD_PROGRAM_BUFFER)) return err;
    }
    address += n, p += n, len -= n;
  }
  return 0;
}

bool is_erased(uint32_t address, uint32_t len) {
  const uint8_t* p = at(address);
  for (uint32_t i = 0; i < len; ++i)
    if (p[i] != 0xFF) return false;
  return true;
}

const char* error_name(uint32_t code) {
  switch (code) {
    case 0: return "ok";
    case 1: return "locked";
    case 2: return "not erased";
    case 3: return "out of range";
    case 4: return "misaligned";
    case 5: return "bad sector";
    case 6: return "worn out";
    case 7: return "busy";
    case kTimeout: return "timeout";
  }
  return "unknown";
}

void isr() {
  const uint32_t s = flashctl().STATUS;
  flashctl().STATUS = FLASH_STATUS_DONE | FLASH_STATUS_ERR;  // W1C: drops the IRQ level
  if ((s & (FLASH_STATUS_DONE | FLASH_STATUS_ERR)) != 0) g_status = s;
}

}  // namespace flash
