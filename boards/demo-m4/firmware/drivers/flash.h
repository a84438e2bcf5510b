// Flash controller driver (docs/peripherals.md "flash-controller"): sector erase and
// page programming of the board's NOR flash, each operation waited for through the DONE/ERR
// interrupt (WFI, not polling). The array itself is read directly through the memory map.
// Every call returns 0 or the controller's ERRCODE (1 locked, 2 not erased, 3 out of range,
// 4 misaligned, 5 bad sector, 6 worn out, 7 busy), or kTimeout.
#pragma once
#include <cstdint>

namespace flash {

constexpr uint32_t kTimeout = 0xFF;

void init(uint8_t irq_priority);
uint32_t erase_sector(uint32_t address);                             // any address in the sector
uint32_t program(uint32_t address, const void* data, uint32_t len);  // address, len: multiples of 4; any length
bool is_erased(uint32_t address, uint32_t len);                      // all bytes read 0xFF
inline const uint8_t* at(uint32_t address) { return reinterpret_cast<const uint8_t*>(address); }
const char* error_name(uint32_t code);

void isr();  // call from FLASH_IRQHandler

}  // namespace flash
