// Arena allocator: the only source of memory for the VM.
// Each block has an 8-byte header holding its total size. Blocks of <= 512 bytes are
// recycled through exact size-class lists (8-byte granularity); larger blocks go to an
// address-ordered list with first-fit and neighbour coalescing. Untouched memory is
// handed out by a bump pointer. Exhaustion returns nullptr, never corrupts memory.
#include "vm/internal.h"

namespace hilsim::vm {

namespace {
constexpr size_t kHdr = 8;
constexpr size_t kSmallMax = 512;
constexpr size_t kSmallClasses = kSmallMax / 8 + 1;
inline uint32_t& hdr_size(void* p) { return *reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(p) - kHdr); }

void large_insert(Heap& h, FreeBlock* b) {
  // address order, coalescing with neighbours (and the bump area)
  FreeBlock** pp = &h.large;
  FreeBlock* prev = nullptr;
  while (*pp && *pp < b) { prev = *pp; pp = &(*pp)->next; }
  b->next = *pp;
  *pp = b;
  if (b->next && reinterpret_cast<uint8_t*>(b) + b->size == reinterpret_cast<uint8_t*>(b->next)) {
    b->size += b->next->size;
    b->next = b->next->next;
  }
  if (prev && reinterpret_cast<uint8_t*>(prev) + prev->size == reinterpret_cast<uint8_t*>(b)) {
    prev->size += b->size;
    prev->next = b->next;
    b = prev;
  }
  if (reinterpret_cast<uint8_t*>(b) + b->size == h.top && b->next == nullptr) {
    // give the tail back to the bump area
    h.top = reinterpret_cast<uint8_t*>(b);
    if (prev && prev->next == b) prev->next = nullptr;
    else if (h.large == b) h.large = nullptr;
    else {
      for (FreeBlock* q = h.large; q; q = q->next)
        if (q->next == b) { q->next = nullptr; break; }
    }
  }
}
}  // namespace

void heap_init(Heap& h, void* mem, size_t size) {
  uintptr_t a = (reinterpret_cast<uintptr_t>(mem) + 7) & ~uintptr_t(7);
  size -= a - reinterpret_cast<uintptr_t>(mem);
  h.top = reinterpret_cast<uint8_t*>(a);
  h.end = h.top + (size & ~size_t(7));
  // the size-class lists live at the start of the arena (counted as in use)
  constexpr size_t kTable = (kSmallClasses * sizeof(FreeBlock*) + 7) & ~size_t(7);
  h.small = reinterpret_cast<FreeBlock**>(h.top);
  __builtin_memset(h.small, 0, kSmallClasses * sizeof(h.small[0]));
  h.top += kTable;
  h.large = nullptr;
  h.used = h.peak = kTable;
  h.fail_after = 0;
}

void* heap_alloc(Heap& h, size_t n) {
  if (h.fail_after && --h.fail_after == 0) return nullptr;
  size_t sz = (n + kHdr + 7) & ~size_t(7);
  if (sz < sizeof(FreeBlock)) sz = sizeof(FreeBlock);
  if (sz > 0x7fffffff) return nullptr;
  uint8_t* blk = nullptr;
  if (sz <= kSmallMax && h.small[sz / 8]) {
    FreeBlock* b = h.small[sz / 8];
    h.small[sz / 8] = b->next;
    blk = reinterpret_cast<uint8_t*>(b);
  } else if (static_cast<size_t>(h.end - h.top) >= sz) {
    blk = h.top;
    h.top += sz;
  } else {
    for (FreeBlock** pp = &h.large; *pp; pp = &(*pp)->next) {
      FreeBlock* b = *pp;
      if (b->size < sz) continue;
      if (b->size - sz >= 64) {  // split: keep the front free
        b->size -= static_cast<uint32_t>(sz);
        blk = reinterpret_cast<uint8_t*>(b) + b->size;
      } else {
        sz = b->size;
        *pp = b->next;
        blk = reinterpret_cast<uint8_t*>(b);
      }
      break;
    }
    if (!blk) return nullptr;
  }
  *reinterpret_cast<uint32_t*>(blk) = static_cast<uint32_t>(sz);
  reinterpret_cast<uint32_t*>(blk)[1] = 0xB10C;
  h.used += sz;
  if (h.used > h.peak) h.peak = h.used;
  return blk + kHdr;
}

void heap_free(Heap& h, void* p) {
  if (!p) return;
  uint32_t sz = hdr_size(p);
  h.used -= sz;
  FreeBlock* b = reinterpret_cast<FreeBlock*>(static_cast<uint8_t*>(p) - kHdr);
  b->size = sz;
  if (sz <= kSmallMax) {
    b->next = h.small[sz / 8];
    h.small[sz / 8] = b;
  } else {
    large_insert(h, b);
  }
}

size_t heap_block_size(void* p) { return hdr_size(p) - kHdr; }

}  // namespace hilsim::vm
