// Strings: FNV-1a hashing, the intern table (weak, swept by the collector), bytes
// objects, and the scratch builder used for repr/str/format/join. Short strings (<= 40
// bytes) are always interned so identifier lookups compare pointers. Float formatting
// produces CPython's shortest round-trip repr without libc printf.
#include "vm/internal.h"

namespace hilsim::vm {

namespace { constexpr uint32_t kInternMax = 40; }

uint32_t hash_bytes(const char* s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ static_cast<uint8_t>(s[i])) * 16777619u;
  return h;
}

static Str* alloc_str(VM* vm, T type, const char* s, size_t n, uint32_t h) {
  if (n > 0x7fffff00) { raise(vm, Exc::MemoryError, ""); return nullptr; }
  Str* o = static_cast<Str*>(gc_new(vm, type, sizeof(Str) + n));
  if (!o) return nullptr;
  o->hash = h;
  o->len = static_cast<uint32_t>(n);
  o->chain = nullptr;
  for (size_t i = 0; i < n; i++) o->data[i] = s[i];
  o->data[n] = 0;
  return o;
}

static bool strtab_grow(VM* vm) {
  uint32_t ncap = vm->strtab_cap ? vm->strtab_cap * 2 : 16;
  Str** nt = static_cast<Str**>(heap_alloc(vm->heap, ncap * sizeof(Str*)));
  if (!nt) return false;
  for (uint32_t i = 0; i < ncap; i++) nt[i] = nullptr;
  for (uint32_t i = 0; i < vm->strtab_cap; i++) {
    Str* s = vm->strtab[i];
    while (s) {
      Str* nx = s->chain;
      uint32_t b = s->hash & (ncap - 1);
      s->chain = nt[b];
      nt[b] = s;
      s = nx;
    }
  }
  heap_free(vm->heap, vm->strtab);
  vm->strtab = nt;
  vm->strtab_cap = ncap;
  return true;
}

Str* str_intern(VM* vm, const char* s, size_t n) {
  uint32_t h = hash_bytes(s, n);
  if (vm->strtab_cap) {
    for (Str* p = vm->strtab[h & (vm->strtab_cap - 1)]; p; p = p->chain) {
      if (p->hash == h && p->len == n) {
        size_t i = 0;
        while (i < n && p->data[i] == s[i]) i++;
        if (i == n) {
          if (p->mark == 0 && vm->gc_running) p->mark = 1;
          return p;
        }
      }
    }
  }
  if (vm->strtab_count >= vm->strtab_cap && !strtab_grow(vm) && vm->strtab_cap == 0) {
    raise(vm, Exc::MemoryError, "");
    return nullptr;
  }
  Str* o = alloc_str(vm, T::Str, s, n, h);
  if (!o) return nullptr;
  o->flags |= kStrInterned;
  uint32_t b = h & (vm->strtab_cap - 1);
  o->chain = vm->strtab[b];
  vm->strtab[b] = o;
  vm->strtab_count++;
  return o;
}

Str* str_new(VM* vm, const char* s, size_t n) {
  if (n <= kInternMax) return str_intern(vm, s, n);
  return alloc_str(vm, T::Str, s, n, hash_bytes(s, n));
}

Str* bytes_new(VM* vm, const char* s, size_t n) { return alloc_str(vm, T::Bytes, s, n, hash_bytes(s, n)); }

void strtab_sweep(VM* vm) {
  for (uint32_t i = 0; i < vm->strtab_cap; i++) {
    Str** pp = &vm->strtab[i];
    while (*pp) {
      if (!(*pp)->mark) { *pp = (*pp)->chain; vm->strtab_count--; }
      else pp = &(*pp)->chain;
    }
  }
}

Value new_str(VM* vm, const char* s, size_t len) {
  Str* o = str_new(vm, s, len);
  return o ? mk_obj(o) : mk_undef();
}
Value new_str(VM* vm, const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return new_str(vm, s, n);
}

// ---- scratch builder -----------------------------------------------------------
bool sb_add(VM* vm, const char* s, size_t n) {
  Scratch& b = vm->scratch;
  if (b.len + n > b.cap) {
    size_t ncap = b.cap ? b.cap : 64;
    while (ncap < b.len + n) ncap *= 2;
    char* nb = static_cast<char*>(heap_alloc(vm->heap, ncap));
    if (!nb) { raise(vm, Exc::MemoryError, ""); return false; }
    for (size_t i = 0; i < b.len; i++) nb[i] = b.buf[i];
    heap_free(vm->heap, b.buf);
    b.buf = nb;
    b.cap = ncap;
  }
  for (size_t i = 0; i < n; i++) b.buf[b.len + i] = s[i];
  b.len += n;
  return true;
}
bool sb_addc(VM* vm, char c) { return sb_add(vm, &c, 1); }
bool sb_adds(VM* vm, const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return sb_add(vm, s, n);
}
bool sb_int(VM* vm, int64_t v) {
  char tmp[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do { tmp[n++] = static_cast<char>('0' + u % 10); u /= 10; } while (u);
  if (v < 0) tmp[n++] = '-';
  char out[24];
  for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return sb_add(vm, out, n);
}

// Decimal digits of |d| with `prec` significant digits: returns digits as integer and
// the decimal exponent of the first digit. Uses long double where the target has it.
static uint64_t digits_of(double d, int prec, int* exp10) {
  long double x = d;
  int e = 0;
  long double p = 1;
  if (x >= 1) { while (x / p >= 10) { p *= 10; e++; } }
  else { while (x * p < 1) { p *= 10; e--; } }
  long double scaled = e >= 0 ? x / p : x * p;  // in [1, 10)
  for (int i = 1; i < prec; i++) scaled *= 10;
  uint64_t dig = static_cast<uint64_t>(scaled + 0.5L);
  uint64_t lim = 1;
  for (int i = 0; i < prec; i++) lim *= 10;
  if (dig >= lim) { dig /= 10; e++; }
  *exp10 = e;
  return dig;
}
static double value_of(uint64_t dig, int prec, int e) {
  long double v = static_cast<long double>(dig);
  int sh = e - (prec - 1);
  long double p = 1;
  for (int i = 0; i < (sh < 0 ? -sh : sh); i++) p *= 10;
  return static_cast<double>(sh < 0 ? v / p : v * p);
}

bool sb_fixed(VM* vm, double d, int decimals);

bool sb_float(VM* vm, double d) {
  if (d != d) return sb_adds(vm, "nan");
  if (d < 0 || (d == 0 && 1 / d < 0)) { if (!sb_addc(vm, '-')) return false; d = -d; }
  if (d > 1.7976931348623157e308) return sb_adds(vm, "inf");
  if (d == 0) return sb_adds(vm, "0.0");
  int e = 0, prec = 1;
  uint64_t dig = 0;
  for (; prec <= 17; prec++) {
    dig = digits_of(d, prec, &e);
    if (value_of(dig, prec, e) == d) break;
  }
  if (prec > 17) prec = 17;
  char ds[20];
  int n = 0;
  for (uint64_t t = dig; n < prec; n++) { ds[prec - 1 - n] = static_cast<char>('0' + t % 10); t /= 10; }
  while (n > 1 && ds[n - 1] == '0') n--;
  if (e >= 16 || e < -4) {
    if (!sb_addc(vm, ds[0])) return false;
    if (n > 1) { if (!sb_addc(vm, '.') || !sb_add(vm, ds + 1, n - 1)) return false; }
    if (!sb_addc(vm, 'e') || !sb_addc(vm, e < 0 ? '-' : '+')) return false;
    int ae = e < 0 ? -e : e;
    if (ae < 10 && !sb_addc(vm, '0')) return false;
    return sb_int(vm, ae);
  }
  if (e < 0) {
    if (!sb_adds(vm, "0.")) return false;
    for (int i = -1; i > e; i--) if (!sb_addc(vm, '0')) return false;
    return sb_add(vm, ds, n);
  }
  // e >= 0: integer part has e+1 digits
  for (int i = 0; i <= e; i++) if (!sb_addc(vm, i < n ? ds[i] : '0')) return false;
  if (!sb_addc(vm, '.')) return false;
  if (n > e + 1) return sb_add(vm, ds + e + 1, n - e - 1);
  return sb_addc(vm, '0');
}

static long double pow10l_(int n) {
  long double p = 1;
  for (int i = 0; i < n; i++) p *= 10;
  return p;
}

// Fixed-point with `decimals` digits after the point (for %.Nf and {:.Nf}).
bool sb_fixed(VM* vm, double d, int decimals) {
  if (d != d) return sb_adds(vm, "nan");
  if (d < 0) { if (!sb_addc(vm, '-')) return false; d = -d; }
  if (d > 1e18) return sb_float(vm, d);
  // beyond 17 significant digits the extra decimals are printed as zeros
  int extra = 0;
  while (decimals > 0 && d * pow10l_(decimals) >= 1.8e19L) { decimals--; extra++; }
  long double p = 1;
  for (int i = 0; i < decimals; i++) p *= 10;
  long double x = d * p;
  uint64_t v = static_cast<uint64_t>(x);
  long double frac = x - v;
  if (frac > 0.5L || (frac == 0.5L && (v & 1))) v++;
  uint64_t ip = static_cast<uint64_t>(v / static_cast<uint64_t>(p));
  uint64_t fp = static_cast<uint64_t>(v % static_cast<uint64_t>(p));
  if (!sb_int(vm, static_cast<int64_t>(ip))) return false;
  if (decimals == 0 && extra == 0) return true;
  if (decimals == 0) {
    if (!sb_addc(vm, '.')) return false;
    for (int i = 0; i < extra; i++) if (!sb_addc(vm, '0')) return false;
    return true;
  }
  if (!sb_addc(vm, '.')) return false;
  char tmp[24];
  for (int i = decimals - 1; i >= 0; i--) { tmp[i] = static_cast<char>('0' + fp % 10); fp /= 10; }
  if (!sb_add(vm, tmp, decimals)) return false;
  for (int i = 0; i < extra; i++) if (!sb_addc(vm, '0')) return false;
  return true;
}

Str* sb_take(VM* vm, size_t mark) {
  Str* s = str_new(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
  vm->scratch.len = mark;
  return s;
}

}  // namespace hilsim::vm
