// Dicts: insertion-ordered hash tables (compact entries + open-addressed index).
// Lookups are O(1) on average; on a hash match the full key is compared (values_equal),
// so colliding keys never alias. Keys: None, bool, int, float, str, bytes, tuples of
// hashables, and objects by identity. Lists, dicts and bytearrays are unhashable.
#include "vm/internal.h"

namespace hilsim::vm {

Dict* dict_new(VM* vm) {
  Dict* d = static_cast<Dict*>(gc_new(vm, T::Dict, sizeof(Dict)));
  if (d) {
    d->entries = nullptr;
    d->index = nullptr;
    d->count = d->used = d->ecap = d->icap = 0;
  }
  return d;
}

void dict_clear(VM* vm, Dict* d) {
  heap_free(vm->heap, d->entries);
  d->entries = nullptr;
  d->index = nullptr;
  d->count = d->used = d->ecap = d->icap = 0;
}

static uint32_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<uint32_t>(x);
}

Status value_hash(VM* vm, const Value& k, uint32_t* h) {
  uint64_t x;
  switch (k.tag) {
    case T::Str: case T::Bytes: *h = as<Str>(k)->hash; return Status::Ok;
    case T::Int: case T::Bool: x = static_cast<uint64_t>(ival(k)); break;
    case T::None: *h = 0x9e3779b9u; return Status::Ok;
    case T::Float: {
      double f = k.f;
      if (f >= -9.2e18 && f <= 9.2e18 && static_cast<double>(static_cast<int64_t>(f)) == f) {
        x = static_cast<uint64_t>(static_cast<int64_t>(f));
      } else {
        __builtin_memcpy(&x, &f, 8);
      }
      break;
    }
    case T::Tuple: {
      Tuple* t = as<Tuple>(k);
      uint32_t acc = 0x345678u;
      for (uint32_t i = 0; i < t->len; i++) {
        uint32_t e;
        if (value_hash(vm, t->items[i], &e) != Status::Ok) return Status::Runtime;
        acc = (acc ^ e) * 1000003u;
      }
      *h = acc;
      return Status::Ok;
    }
    case T::List: case T::Dict: case T::ByteArray:
      return type_error(vm, MSG("unhashable type: '%t'"), &k);
    case T::Native: x = reinterpret_cast<uintptr_t>(k.nf); break;
    default: x = reinterpret_cast<uintptr_t>(k.o) >> 3; break;
  }
  *h = mix(x);
  return Status::Ok;
}

// Entry number of key k (hash h), or -1; *slot: its index slot, or the free slot for it.
static int32_t find_slot(Dict* d, const Value& k, uint32_t h, uint32_t* slot) {
  if (!d->icap) return -1;
  uint32_t m = d->icap - 1;
  bool fast = k.tag == T::Str && (as<Str>(k)->flags & kStrInterned);
  for (uint32_t i = h & m;; i = (i + 1) & m) {
    int32_t e = d->index[i];
    *slot = i;
    if (e == -1) return -1;
    if (e < 0) continue;
    const Value& ek = d->entries[e].key;
    if (ek.aux != h) continue;
    // interned strings are equal only when identical
    if (fast && ek.tag == T::Str && (as<Str>(ek)->flags & kStrInterned) ? ek.o == k.o : values_equal(ek, k)) return e;
  }
}

bool dict_get(Dict* d, const Value& k, uint32_t h, Value* out) {
  uint32_t slot;
  int32_t e = find_slot(d, k, h, &slot);
  if (e < 0) return false;
  *out = d->entries[e].val;
  return true;
}

bool dict_get_str(Dict* d, Str* k, Value* out) {
#if HILSIM_VM_SMALL
  return dict_get(d, mk_obj(k), k->hash, out);
#else
  // interned keys: pointer comparison only
  if (!d->icap) return false;
  uint32_t m = d->icap - 1;
  uint32_t i = k->hash & m;
  for (;;) {
    int32_t e = d->index[i];
    if (e == -1) return false;
    if (e >= 0 && d->entries[e].key.o == k && d->entries[e].key.tag == T::Str) {
      *out = d->entries[e].val;
      return true;
    }
    if (e >= 0 && d->entries[e].key.aux == k->hash && !(k->flags & kStrInterned) &&
        values_equal(d->entries[e].key, mk_obj(k))) {
      *out = d->entries[e].val;
      return true;
    }
    i = (i + 1) & m;
  }
#endif
}

static bool resize(VM* vm, Dict* d, uint32_t need) {
  uint32_t icap = 4;
  while (icap * 2 < need * 3) icap *= 2;  // load factor <= 2/3
  uint32_t ecap = icap * 2 / 3 + 1;       // < icap: the index always keeps an empty slot
  auto* ne = static_cast<DictEntry*>(heap_alloc(vm->heap, ecap * sizeof(DictEntry) + icap * sizeof(int32_t)));
  if (!ne) {
    raise_memory(vm);
    return false;
  }
  auto* ni = reinterpret_cast<int32_t*>(ne + ecap);
  __builtin_memset(ni, 0xff, icap * sizeof(int32_t));  // -1: empty
  uint32_t n = 0;
  for (uint32_t i = 0; i < d->used; i++) {
    if (d->entries[i].key.tag == T::Undef) continue;
    ne[n] = d->entries[i];
    uint32_t s = ne[n].key.aux & (icap - 1);
    while (ni[s] != -1) s = (s + 1) & (icap - 1);
    ni[s] = static_cast<int32_t>(n);
    n++;
  }
  heap_free(vm->heap, d->entries);
  d->entries = ne;
  d->index = ni;
  d->icap = icap;
  d->ecap = ecap;
  d->used = n;
  d->count = n;
  return true;
}

Status dict_set(VM* vm, Dict* d, const Value& k0, uint32_t h, const Value& v0) {
  Value k = k0, v = v0;  // may point into d->entries, which a resize frees
  uint32_t slot = 0;
  int32_t e = find_slot(d, k, h, &slot);
  if (e >= 0) {
    d->entries[e].val = v;
    return Status::Ok;
  }
  if (d->used >= d->ecap) {
    if (!resize(vm, d, d->count + 1)) return Status::Memory;
    find_slot(d, k, h, &slot);
  }
  uint32_t n = d->used++;
  k.aux = h;
  d->entries[n].key = k;
  d->entries[n].val = v;
  d->index[slot] = static_cast<int32_t>(n);
  d->count++;
  return Status::Ok;
}

Status dict_set_str(VM* vm, Dict* d, Str* k, const Value& v) { return dict_set(vm, d, mk_obj(k), k->hash, v); }

bool dict_del(Dict* d, const Value& k, uint32_t h) {
  uint32_t slot;
  int32_t e = find_slot(d, k, h, &slot);
  if (e < 0) return false;
  d->index[slot] = -2;
  d->entries[e].key = mk_undef();
  d->entries[e].val = mk_none();
  d->count--;
  return true;
}

Status dict_get_v(VM* vm, Dict* d, const Value& k, Value* out, bool* found) {
  uint32_t h;
  if (value_hash(vm, k, &h) != Status::Ok) return Status::Runtime;
  *found = dict_get(d, k, h, out);
  return Status::Ok;
}

Status dict_set_v(VM* vm, Dict* d, const Value& k, const Value& v) {
  uint32_t h;
  if (value_hash(vm, k, &h) != Status::Ok) return Status::Runtime;
  return dict_set(vm, d, k, h, v);
}

}  // namespace hilsim::vm
