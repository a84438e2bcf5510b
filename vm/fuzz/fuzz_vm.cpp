// libFuzzer target: compiles and runs arbitrary input in a small arena (64 KiB, tight
// stack and frame limits, instruction budget), then also feeds the input to the
// bytecode loader. Build with -DHILSIM_FUZZ=ON and CC=clang CXX=clang++; the same entry
// point runs in the normal test build (tests/vm/fuzz_smoke_test.cpp).
#include <stddef.h>
#include <stdint.h>

#include "vm/vm.h"

namespace {
void sink(void*, const char*, size_t) {}
uint32_t fuzz_crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}
alignas(8) unsigned char g_arena[64 * 1024];
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hilsim::vm;
  Config c;
  c.arena = g_arena;
  c.arena_size = sizeof g_arena;
  c.stack_slots = 256;
  c.max_frames = 32;
  c.write = sink;
  VM* vm = create(c);
  if (!vm) return 0;
  set_budget(vm, 20000);
  exec_source(vm, reinterpret_cast<const char*>(data), size, "<fuzz>");
  exec_bytecode(vm, data, size);
  static uint8_t bc[16384];
  size_t n = 0;
  if (compile_bytecode(vm, reinterpret_cast<const char*>(data), size, "<fuzz>", bc, sizeof bc, &n) == Status::Ok) {
    exec_bytecode(vm, bc, n);
    // mutate the compiled payload in a few input-derived places and re-seal the header,
    // so the structural validation and the verifier (not the CRC) must reject it
    if (n > 16 && size > 0) {
      for (size_t k = 0; k < 4; k++) {
        size_t at = 16 + (data[k % size] * 131u + k * 977u + size) % (n - 16);
        bc[at] ^= static_cast<uint8_t>(data[(k * 7) % size] | 1);
      }
      uint32_t c = fuzz_crc32(bc + 16, n - 16);
      for (int k = 0; k < 4; k++) bc[12 + k] = static_cast<uint8_t>(c >> (8 * k));
      exec_bytecode(vm, bc, n);
    }
  }
  // the raw input as a bytecode payload behind a valid header
  if (size + 16 <= sizeof bc) {
    const uint8_t hdr[8] = {'H', 'P', 'Y', 'C', 1, 0, 0, 0};
    for (int k = 0; k < 8; k++) bc[k] = hdr[k];
    for (size_t k = 0; k < size; k++) bc[16 + k] = data[k];
    uint32_t len = static_cast<uint32_t>(size), c = fuzz_crc32(data, size);
    for (int k = 0; k < 4; k++) { bc[8 + k] = static_cast<uint8_t>(len >> (8 * k)); bc[12 + k] = static_cast<uint8_t>(c >> (8 * k)); }
    exec_bytecode(vm, bc, size + 16);
  }
  collect(vm);
  return 0;
}
