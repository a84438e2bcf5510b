// String formatting: the format-spec mini-language used by f-strings, format() and
// str.format ([[fill]align][sign][0][width][,][.precision][type] with types s d x X o b
// f F %), and printf-style `%` formatting (%s %r %d %i %x %X %o %f %c %%, width,
// precision, '-' and '0' flags). Exponent formats (e, g) fall back to repr of floats.
#include "vm/internal.h"

namespace hilsim::vm {

bool sb_fixed(VM* vm, double d, int decimals);

namespace {
struct Spec {
  char fill = ' ';
  char align = 0;
  char sign = '-';
  bool alt = false;
  bool zero = false;
  int width = -1;
  bool comma = false;
  int prec = -1;
  char type = 0;
};

bool parse_spec(const char* s, size_t n, Spec& sp) {
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (n >= 2 && is_align(s[1])) { sp.fill = s[0]; sp.align = s[1]; i = 2; }
  else if (n >= 1 && is_align(s[0])) { sp.align = s[0]; i = 1; }
  if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
  if (i < n && s[i] == '#') { sp.alt = true; i++; }
  if (i < n && s[i] == '0') { sp.zero = true; i++; }
  while (i < n && s[i] >= '0' && s[i] <= '9') { sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (s[i] - '0'); i++; if (sp.width > 10000) return false; }
  if (i < n && s[i] == ',') { sp.comma = true; i++; }
  if (i < n && s[i] == '.') {
    i++;
    sp.prec = 0;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9') { sp.prec = sp.prec * 10 + (s[i] - '0'); i++; if (sp.prec > 100) return false; }
  }
  if (i < n) sp.type = s[i++];
  return i == n;
}

bool add_uint(VM* vm, uint64_t u, int base, bool upper, bool comma) {
  char tmp[80];
  int n = 0, digits = 0;
  const char* dg = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    if (comma && digits && digits % 3 == 0) tmp[n++] = ',';
    tmp[n++] = dg[u % base];
    u /= base;
    digits++;
  } while (u);
  char out[80];
  for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return sb_add(vm, out, n);
}

// Pads scratch[mark..] according to the spec. Numbers default to right alignment.
bool pad(VM* vm, size_t mark, const Spec& sp, bool numeric, size_t sign_len) {
  size_t len = vm->scratch.len - mark;
  if (sp.width < 0 || len >= static_cast<size_t>(sp.width)) return true;
  size_t padn = sp.width - len;
  char align = sp.align ? sp.align : (numeric ? '>' : '<');
  char fill = sp.fill;
  if (sp.zero && !sp.align) { align = '='; fill = '0'; }
  size_t left = align == '>' ? padn : align == '^' ? padn / 2 : align == '=' ? padn : 0;
  size_t right = padn - left;
  // grow by padn then shift
  for (size_t i = 0; i < padn; i++) if (!sb_addc(vm, ' ')) return false;
  char* b = vm->scratch.buf + mark;
  size_t at = align == '=' ? sign_len : 0;
  for (size_t i = len; i-- > at;) b[i + left] = b[i];
  for (size_t i = 0; i < left; i++) b[at + i] = fill;
  for (size_t i = 0; i < right; i++) b[left + len + i] = fill;
  return true;
}
}  // namespace

Status format_value(VM* vm, const Value& v, Str* spec_s, Value* out) {
  Spec sp;
  if (!parse_spec(spec_s->data, spec_s->len, sp)) return raise(vm, Exc::ValueError, "Invalid format specifier");
  size_t mark = vm->scratch.len;
  bool ok = true;
  bool numeric = false;
  size_t sign_len = 0;
  char t = sp.type;
  if (v.tag == T::Bool && t == 0) {
    ok = sb_adds(vm, v.b ? "True" : "False");
  } else if ((v.tag == T::Int || v.tag == T::Bool) && (t == 0 || t == 'd' || t == 'x' || t == 'X' || t == 'o' || t == 'b' || t == 'n' || t == 'c')) {
    numeric = true;
    int64_t i = v.tag == T::Bool ? v.b : v.i;
    if (t == 'c') { char c = static_cast<char>(i); ok = sb_addc(vm, c); numeric = false; }
    else {
      uint64_t u = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
      if (i < 0) { ok = sb_addc(vm, '-'); sign_len = 1; }
      else if (sp.sign == '+' || sp.sign == ' ') { ok = sb_addc(vm, sp.sign); sign_len = 1; }
      int base = t == 'x' || t == 'X' ? 16 : t == 'o' ? 8 : t == 'b' ? 2 : 10;
      if (sp.alt && base != 10) {
        ok = ok && sb_addc(vm, '0') && sb_addc(vm, t);
        sign_len += 2;
      }
      ok = ok && add_uint(vm, u, base, t == 'X', sp.comma);
    }
  } else if ((v.tag == T::Int || v.tag == T::Float || v.tag == T::Bool) &&
             (t == 'f' || t == 'F' || t == '%' || t == 0 || t == 'g' || t == 'e')) {
    numeric = true;
    double d = v.tag == T::Float ? v.f : static_cast<double>(v.tag == T::Bool ? v.b : v.i);
    if (t == '%') d *= 100;
    if (d >= 0 && (sp.sign == '+' || sp.sign == ' ')) { ok = sb_addc(vm, sp.sign); sign_len = 1; }
    if (d < 0 || (d == 0 && 1 / d < 0)) sign_len = 1;
    if (t == 'f' || t == 'F' || t == '%') {
      ok = ok && sb_fixed(vm, d, sp.prec < 0 ? 6 : sp.prec);
      if (sp.comma && ok) {
        // insert thousands separators into the integer part
        char* b = vm->scratch.buf + mark + sign_len;
        size_t len = vm->scratch.len - mark - sign_len;
        size_t ip = 0;
        while (ip < len && b[ip] >= '0' && b[ip] <= '9') ip++;
        size_t ncomma = ip > 3 ? (ip - 1) / 3 : 0;
        for (size_t k = 0; k < ncomma && ok; k++) ok = sb_addc(vm, ' ');
        b = vm->scratch.buf + mark + sign_len;
        for (size_t k = len; k-- > ip;) b[k + ncomma] = b[k];
        size_t w = ip + ncomma;
        for (size_t k = ip, g = 0; k-- > 0; g++) {
          if (g && g % 3 == 0) b[--w] = ',';
          b[--w] = b[k];
        }
      }
      if (t == '%') ok = ok && sb_addc(vm, '%');
    } else if (v.tag == T::Float || t) {
      if (sp.prec >= 0 && v.tag == T::Float) ok = ok && sb_fixed(vm, d, sp.prec);
      else ok = ok && sb_float(vm, d);
    } else {
      ok = ok && sb_int(vm, v.i);
    }
  } else if (t == 0 || t == 's') {
    Value s;
    Status st = to_str(vm, v, &s);
    if (st != Status::Ok) return st;
    Str* str = as<Str>(s);
    uint32_t n = str->len;
    if (sp.prec >= 0 && static_cast<uint32_t>(sp.prec) < n) n = sp.prec;
    ok = sb_add(vm, str->data, n);
  } else {
    return raise(vm, Exc::ValueError, "Unknown format code '%s' for object of type '%T'",
                 t == 'd' ? "d" : t == 'f' ? "f" : t == 'x' ? "x" : "?", v);
  }
  if (ok) ok = pad(vm, mark, sp, numeric, sign_len);
  if (!ok) { vm->scratch.len = mark; return Status::Memory; }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  *out = mk_obj(r);
  return Status::Ok;
}

// printf-style: fmt % args (args: a tuple, or a single value)
Status format_percent(VM* vm, Str* fmt, const Value& args, Value* out) {
  const Value* items = &args;
  uint32_t n = 1;
  if (args.tag == T::Tuple) { items = as<Tuple>(args)->items; n = as<Tuple>(args)->len; }
  uint32_t ai = 0;
  size_t mark = vm->scratch.len;
  push_root(vm, args);
  Status st = Status::Ok;
  for (uint32_t i = 0; i < fmt->len && st == Status::Ok; i++) {
    char c = fmt->data[i];
    if (c != '%') { if (!sb_addc(vm, c)) st = Status::Memory; continue; }
    if (++i >= fmt->len) { st = raise(vm, Exc::ValueError, "incomplete format"); break; }
    Spec sp;
    bool left = false;
    while (i < fmt->len && (fmt->data[i] == '-' || fmt->data[i] == '0' || fmt->data[i] == '+' || fmt->data[i] == ' ')) {
      if (fmt->data[i] == '-') left = true;
      else if (fmt->data[i] == '0') sp.zero = true;
      else sp.sign = fmt->data[i];
      i++;
    }
    while (i < fmt->len && fmt->data[i] >= '0' && fmt->data[i] <= '9') { sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (fmt->data[i] - '0'); i++; if (sp.width > 10000) break; }
    if (i < fmt->len && fmt->data[i] == '.') {
      i++;
      sp.prec = 0;
      while (i < fmt->len && fmt->data[i] >= '0' && fmt->data[i] <= '9') { sp.prec = sp.prec * 10 + (fmt->data[i] - '0'); i++; if (sp.prec > 100) break; }
    }
    if (i >= fmt->len) { st = raise(vm, Exc::ValueError, "incomplete format"); break; }
    char t = fmt->data[i];
    if (t == '%') { if (!sb_addc(vm, '%')) st = Status::Memory; continue; }
    if (ai >= n) { st = raise(vm, Exc::TypeError, "not enough arguments for format string"); break; }
    Value v = items[ai++];
    if (left) sp.align = '<';
    Value piece;
    if (t == 's' || t == 'r' || t == 'a') {
      st = t == 's' ? to_str(vm, v, &piece) : to_repr(vm, v, &piece);
      if (st != Status::Ok) break;
      if (sp.prec >= 0 && as<Str>(piece)->len > static_cast<uint32_t>(sp.prec)) {
        piece = new_str(vm, as<Str>(piece)->data, sp.prec);
        if (piece.tag == T::Undef) { st = Status::Memory; break; }
      }
      if (!sp.align) sp.align = '>';
      size_t m2 = vm->scratch.len;
      if (!sb_add(vm, as<Str>(piece)->data, as<Str>(piece)->len) || !pad(vm, m2, sp, false, 0)) st = Status::Memory;
      continue;
    }
    if (t == 'd' || t == 'i' || t == 'u') {
      if (v.tag == T::Float) v = mk_int(static_cast<int64_t>(v.f));
      if (v.tag != T::Int && v.tag != T::Bool) { st = raise(vm, Exc::TypeError, "%%d format: a real number is required, not %T", v); break; }
      t = 'd';
      sp.prec = -1;
    } else if (t == 'x' || t == 'X' || t == 'o') {
      if (v.tag != T::Int && v.tag != T::Bool) { st = raise(vm, Exc::TypeError, "%%%s format: an integer is required, not %T", t == 'o' ? "o" : "x", v); break; }
    } else if (t == 'f' || t == 'F' || t == 'e' || t == 'g') {
      if (v.tag != T::Int && v.tag != T::Float && v.tag != T::Bool) { st = raise(vm, Exc::TypeError, "must be real number, not %T", v); break; }
      t = 'f';
      if (sp.prec < 0) sp.prec = 6;
      v = mk_float(v.tag == T::Float ? v.f : static_cast<double>(v.tag == T::Bool ? v.b : v.i));
    } else if (t == 'c') {
      if (v.tag == T::Int) {
        char ch = static_cast<char>(v.i);
        if (!sb_addc(vm, ch)) st = Status::Memory;
        continue;
      }
      Value s2;
      st = to_str(vm, v, &s2);
      if (st == Status::Ok && !sb_add(vm, as<Str>(s2)->data, as<Str>(s2)->len)) st = Status::Memory;
      continue;
    } else {
      st = raise(vm, Exc::ValueError, "unsupported format character");
      break;
    }
    sp.type = t;
    // reuse format_value with a synthesized spec
    char specbuf[32];
    int k = 0;
    if (sp.align) specbuf[k++] = sp.align;
    if (sp.sign != '-') specbuf[k++] = sp.sign;
    if (sp.zero && !left) specbuf[k++] = '0';
    if (sp.width >= 0) { char tmp[8]; int m = 0; int w = sp.width; do { tmp[m++] = static_cast<char>('0' + w % 10); w /= 10; } while (w && m < 7); while (m) specbuf[k++] = tmp[--m]; }
    if (sp.prec >= 0) { specbuf[k++] = '.'; char tmp[8]; int m = 0; int w = sp.prec; do { tmp[m++] = static_cast<char>('0' + w % 10); w /= 10; } while (w && m < 7); while (m) specbuf[k++] = tmp[--m]; }
    specbuf[k++] = t;
    Str* spec = str_new(vm, specbuf, k);
    if (!spec) { st = Status::Memory; break; }
    size_t m3 = vm->scratch.len;
    st = format_value(vm, v, spec, &piece);
    vm->scratch.len = m3;
    if (st == Status::Ok && !sb_add(vm, as<Str>(piece)->data, as<Str>(piece)->len)) st = Status::Memory;
  }
  pop_roots(vm, 1);
  if (st == Status::Ok && ai < n && args.tag == T::Tuple)
    st = raise(vm, Exc::TypeError, "not all arguments converted during string formatting");
  if (st == Status::Ok && ai == 0 && args.tag != T::Tuple && args.tag != T::Dict)
    st = raise(vm, Exc::TypeError, "not all arguments converted during string formatting");
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  *out = mk_obj(r);
  return Status::Ok;
}

}  // namespace hilsim::vm
