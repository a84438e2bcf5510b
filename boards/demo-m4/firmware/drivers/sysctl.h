// Reset controller driver (docs/peripherals.md "reset-controller"): reset cause, boot count,
// core clock, scratch word.
#pragma once
#include <cstdint>

namespace sysctl {

// Reads RSTCAUSE and clears the bits it saw, so the next boot reports only its own cause.
uint32_t take_reset_cause();
// Writes the names of the set cause bits joined by '+' ("power-on", "watchdog+software"),
// or "none".
void describe_reset_cause(uint32_t cause, void (*put)(char));

uint32_t boot_count();
uint32_t clock_hz();  // CLOCKHZ, or the board default if the register reads 0

}  // namespace sysctl
