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
  if (n > 0x7fffff00) { raise_memory(vm); return nullptr; }
  Str* o = static_cast<Str*>(gc_new(vm, type, sizeof(Str) + n));
  if (!o) return nullptr;
  o->hash = h;
  o->len = static_cast<uint32_t>(n);
  o->chain = nullptr;
  if (n) __builtin_memcpy(o->data, s, n);
  o->data[n] = 0;
  return o;
}

static bool strtab_grow(VM* vm) {
  uint32_t ncap = vm->strtab_cap ? vm->strtab_cap * 2 : 16;
  Str** nt = static_cast<Str**>(heap_alloc(vm->heap, ncap * sizeof(Str*)));
  if (!nt) return false;
  __builtin_memset(nt, 0, ncap * sizeof(Str*));
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
    raise_memory(vm);
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
    if (!nb) { raise_memory(vm); return false; }
    if (b.len) __builtin_memcpy(nb, b.buf, b.len);
    heap_free(vm->heap, b.buf);
    b.buf = nb;
    b.cap = ncap;
  }
  if (n) __builtin_memcpy(b.buf + b.len, s, n);
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

static long double pow10l_(int n) {
  long double p = 1;
  while (n-- > 0) p *= 10;
  return p;
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
  if (dig >= static_cast<uint64_t>(pow10l_(prec))) { dig /= 10; e++; }
  *exp10 = e;
  return dig;
}

uint64_t double_bits(double d) {
  uint64_t b;
  __builtin_memcpy(&b, &d, 8);
  return b;
}

// Writes "-" for a negative (incl. -0.0) or "nan"/"inf"; returns false when d is finished
// (*done) and stores |d| in *mag otherwise.
static bool float_prefix(VM* vm, double d, bool neg0, double* mag, bool* ok) {
  uint64_t b = double_bits(d), m = b & ~(1ULL << 63);
  *ok = true;
  if (m > kInfBits) { *ok = sb_adds(vm, "nan"); return false; }
  if ((b >> 63) && (neg0 || m)) *ok = sb_addc(vm, '-');
  __builtin_memcpy(mag, &m, 8);
  return *ok;
}

bool sb_float(VM* vm, double d) {
  bool ok;
  if (!float_prefix(vm, d, true, &d, &ok)) return ok;
  uint64_t m = double_bits(d);
  if (m == kInfBits) return sb_adds(vm, "inf");
  if (m == 0) return sb_adds(vm, "0.0");
  int e = 0, prec = 1;
  uint64_t dig = 0;
  for (; prec <= 17; prec++) {
    dig = digits_of(d, prec, &e);
    int sh = e - (prec - 1);
    long double v = static_cast<long double>(dig), p = pow10l_(sh < 0 ? -sh : sh);
    if (static_cast<double>(sh < 0 ? v / p : v * p) == d) break;
  }
  if (prec > 17) prec = 17;
  char ds[20];
  int n = prec;
  for (uint64_t t = dig; n > 0; t /= 10) ds[--n] = static_cast<char>('0' + t % 10);
  n = prec;
  while (n > 1 && ds[n - 1] == '0') n--;
  char buf[48];
  int k = 0;
  bool sci = e >= 16 || e < -4;
  int ipart = sci ? 1 : e + 1;  // digits before the point (e < 0: "0")
  if (ipart <= 0) { buf[k++] = '0'; buf[k++] = '.'; for (int i = -1; i > e; i--) buf[k++] = '0'; }
  for (int i = 0; i < n || i < ipart; i++) {
    if (i == ipart && ipart > 0) buf[k++] = '.';
    buf[k++] = i < n ? ds[i] : '0';
  }
  if (!sci && n <= ipart) { buf[k++] = '.'; buf[k++] = '0'; }
  if (sci) {
    int ae = e < 0 ? -e : e;
    buf[k++] = 'e';
    buf[k++] = e < 0 ? '-' : '+';
    if (ae >= 100) buf[k++] = static_cast<char>('0' + ae / 100);
    buf[k++] = static_cast<char>('0' + ae / 10 % 10);
    buf[k++] = static_cast<char>('0' + ae % 10);
  }
  return sb_add(vm, buf, k);
}

// Fixed-point with `decimals` digits after the point (for %.Nf and {:.Nf}).
bool sb_fixed(VM* vm, double d, int decimals) {
  bool ok;
  if (!float_prefix(vm, d, false, &d, &ok)) return ok;
  if (d > 1e18) return sb_float(vm, d);
  // beyond 17 significant digits the extra decimals are printed as zeros
  int extra = 0;
  while (decimals > 0 && d * pow10l_(decimals) >= 1.8e19L) { decimals--; extra++; }
  long double p = pow10l_(decimals);
  long double x = d * p;
  uint64_t v = static_cast<uint64_t>(x);
  long double frac = x - v;
  if (frac > 0.5L || (frac == 0.5L && (v & 1))) v++;
  uint64_t ip = static_cast<uint64_t>(v / static_cast<uint64_t>(p));
  uint64_t fp = static_cast<uint64_t>(v % static_cast<uint64_t>(p));
  ok = sb_int(vm, static_cast<int64_t>(ip));
  if (decimals + extra) ok = ok && sb_addc(vm, '.');
  char tmp[24];
  for (int i = decimals - 1; i >= 0; i--, fp /= 10) tmp[i] = static_cast<char>('0' + fp % 10);
  ok = ok && sb_add(vm, tmp, decimals);
  for (int i = 0; i < extra && ok; i++) ok = sb_addc(vm, '0');
  return ok;
}

Status sb_done(VM* vm, size_t mark, bool ok, Value* out, T type) {
  Str* s = nullptr;
  if (ok) {
    const char* p = vm->scratch.buf + mark;
    size_t n = vm->scratch.len - mark;
    s = type == T::Str ? str_new(vm, p, n) : bytes_new(vm, p, n);
  }
  vm->scratch.len = mark;
  return ret_obj(out, s);
}

const char kHexDigits[] = "0123456789abcdef";

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return 99;
}

int utf8_encode(uint32_t cp, char* b) {
  if (cp < 0x80) { b[0] = static_cast<char>(cp); return 1; }
  int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  for (int i = n - 1; i > 0; i--, cp >>= 6) b[i] = static_cast<char>(0x80 | (cp & 63));
  b[0] = static_cast<char>((0xF00 >> n) | cp);
  return n;
}

const char* scan_decimal(const char* p, const char* end, bool underscores, double* out, bool* isf) {
  auto is_dig = [&](const char* q) { return q < end && *q >= '0' && *q <= '9'; };
  long double v = 0;
  bool digits = false, f = false;
  for (; p < end && (is_dig(p) || (underscores && *p == '_')); p++) {
    if (*p != '_') { v = v * 10 + (*p - '0'); digits = true; }
  }
  if (p < end && *p == '.' && !(p + 1 < end && (p[1] == '_' || ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z') || (p[1] & 0x80)) && (p[1] | 0x20) != 'e')) {
    f = true;
    long double sc = 1;
    for (p++; p < end && (is_dig(p) || (underscores && *p == '_')); p++) {
      if (*p != '_') { sc /= 10; v += (*p - '0') * sc; digits = true; }
    }
  }
  if (!digits) return nullptr;
  if (p < end && (*p | 0x20) == 'e') {
    const char* e = p + 1;
    bool neg = e < end && *e == '-';
    if (e < end && (*e == '+' || *e == '-')) e++;
    if (is_dig(e)) {
      int ex = 0;
      for (; is_dig(e); e++) if (ex < 10000) ex = ex * 10 + (*e - '0');
      long double pw = 1;
      for (int i = 0; i < ex && pw < 1e300L; i++) pw *= 10;
      v = neg ? v / pw : v * pw;
      f = true;
      p = e;
    }
  }
  *out = static_cast<double>(v);
  if (isf) *isf = f;
  return p;
}

int64_t find_in(const Str* h, const Str* n, int64_t from) {
  if (from < 0) from = 0;
  for (int64_t i = from; i + n->len <= h->len; i++)
    if (__builtin_memcmp(h->data + i, n->data, n->len) == 0) return i;
  return -1;
}

Str* sb_take(VM* vm, size_t mark) {
  Str* s = str_new(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
  vm->scratch.len = mark;
  return s;
}

}  // namespace hilsim::vm
