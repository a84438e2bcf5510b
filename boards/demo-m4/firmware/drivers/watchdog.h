// Independent watchdog driver (docs/peripherals.md "watchdog"). Once started it cannot be
// stopped; a missed feed resets the system with cause "watchdog".
#pragma once
#include <cstdint>

namespace watchdog {

void start(uint32_t timeout_ticks);  // ticks of the watchdog clock (32768 Hz on demo-m4)
void feed();
uint32_t remaining();                // ticks left before the reset

}  // namespace watchdog
