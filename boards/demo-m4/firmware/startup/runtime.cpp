// Freestanding run-time support: the four memory functions GCC may call even with
// -ffreestanding, and the few C++ ABI hooks a program without a C library needs.
// Built with -fno-tree-loop-distribute-patterns so these loops are not turned back into
// calls to themselves. Leaves out: heap (operator new/delete), exceptions, atexit.
#include <cstddef>
#include <cstdint>

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  if (((reinterpret_cast<uintptr_t>(d) | reinterpret_cast<uintptr_t>(s)) & 3) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4)
      *reinterpret_cast<uint32_t*>(d) = *reinterpret_cast<const uint32_t*>(s);
  }
  while (n-- != 0) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  if (d <= s || d >= s + n) return memcpy(dst, src, n);
  while (n-- != 0) d[n] = s[n];
  return dst;
}

// Word stores for the aligned middle: a quarter of the stores of a byte loop (the VM clears
// its heap and frames with it, and each store is a slow path on the emulator).
void* memset(void* dst, int c, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto b = static_cast<uint8_t>(c);
  for (; n != 0 && (reinterpret_cast<uintptr_t>(d) & 3) != 0; --n) *d++ = b;
  const uint32_t w = b * 0x01010101u;
  for (; n >= 4; n -= 4, d += 4) *reinterpret_cast<uint32_t*>(d) = w;
  while (n-- != 0) *d++ = b;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  for (; n != 0; --n, ++x, ++y)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

// Static destructors never run on bare metal: registering them is a no-op.
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }

// A pure virtual call is a firmware bug: stop where the simulator can see it.
void __cxa_pure_virtual() {
  for (;;) asm volatile("bkpt #1");
}

}  // extern "C"
