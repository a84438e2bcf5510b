// SysTick driver: a periodic tick from the core clock (ARMv7-M ARM B3.3).
#pragma once
#include <cstdint>

namespace systick {

// Interrupt every `period_cycles` core cycles (RELOAD = period - 1, at most 2^24).
void start(uint32_t period_cycles, uint8_t priority);
uint32_t ticks();  // interrupts since start; wraps after 2^32
uint32_t isr();    // call from SysTick_Handler; returns the new tick count

}  // namespace systick
