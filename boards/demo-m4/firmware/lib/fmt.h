// Minimal text formatting for freestanding firmware: no printf, no allocation.
// Every function writes through a character sink, so the same code serves the
// interrupt-driven console and the polled panic path.
#pragma once
#include <cstdint>

namespace fmt {

using PutChar = void (*)(char);

void str(PutChar put, const char* s);
void dec(PutChar put, uint32_t v);
// Lower-case hex with exactly `digits` digits (1..8), no prefix.
void hex(PutChar put, uint32_t v, unsigned digits = 8);

}  // namespace fmt
