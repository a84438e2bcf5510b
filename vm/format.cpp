// String formatting: the format-spec mini-language used by f-strings, format() and
// str.format ([[fill]align][sign][0][width][,][.precision][type] with types s d x X o b
// f F %), and printf-style `%` formatting (%s %r %d %i %x %X %o %f %c %%, width,
// precision, '-' and '0' flags). Exponent formats (e, g) fall back to repr of floats.
#include "vm/internal.h"

namespace hilsim::vm {


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
  __builtin_memmove(b + at + left, b + at, len - at);
  __builtin_memset(b + at, fill, left);
  __builtin_memset(b + left + len, fill, right);
  return true;
}

// Appends v formatted by sp to the scratch buffer (pad()ded); Memory after MemoryError.
Status format_into(VM* vm, const Value& v, const Spec& sp) {
  size_t mark = vm->scratch.len;
  bool ok = true;
  bool numeric = false;
  size_t sign_len = 0;
  char t = sp.type;
  bool is_int = v.tag == T::Int || v.tag == T::Bool;
  if (v.tag == T::Bool && t == 0) {
    ok = sb_adds(vm, v.b ? "True" : "False");
  } else if (is_int && __builtin_strchr("dxXobnc", t)) {  // (or t == 0)
    int64_t i = ival(v);
    if (t == 'c') {
      ok = sb_addc(vm, static_cast<char>(i));
    } else {
      numeric = true;
      uint64_t u = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
      char sign = i < 0 ? '-' : sp.sign == '+' || sp.sign == ' ' ? sp.sign : 0;
      if (sign) { ok = sb_addc(vm, sign); sign_len = 1; }
      int base = t == 'x' || t == 'X' ? 16 : t == 'o' ? 8 : t == 'b' ? 2 : 10;
      if (sp.alt && base != 10) {
        ok = ok && sb_addc(vm, '0') && sb_addc(vm, t);
        sign_len += 2;
      }
      // digits (with thousands separators) right to left
      char tmp[80];
      int n = sizeof tmp;
      for (int digits = 0; u || !digits; digits++) {
        if (sp.comma && digits && digits % 3 == 0) tmp[--n] = ',';
        char c = kHexDigits[u % base];
        tmp[--n] = t == 'X' && c > '9' ? static_cast<char>(c - 32) : c;
        u /= base;
      }
      ok = ok && sb_add(vm, tmp + n, sizeof tmp - n);
    }
  } else if ((is_int || v.tag == T::Float) && __builtin_strchr("fF%ge", t)) {  // (or t == 0)
    numeric = true;
    double d = v.tag == T::Float ? v.f : static_cast<double>(ival(v));
    if (t == '%') d *= 100;
    uint64_t b = double_bits(d), m = b & ~(1ULL << 63);
    bool neg = b >> 63, nan = m > kInfBits;
    if (!nan && (!neg || !m) && (sp.sign == '+' || sp.sign == ' ')) { ok = sb_addc(vm, sp.sign); sign_len = 1; }  // d >= 0
    if (!nan && neg) sign_len = 1;  // d < 0 or -0.0
    if (t == 'f' || t == 'F' || t == '%') {
      ok = ok && sb_fixed(vm, d, sp.prec < 0 ? 6 : sp.prec);
      if (sp.comma && ok) {
        // insert thousands separators into the integer part
        size_t len = vm->scratch.len - mark - sign_len;
        char* b = vm->scratch.buf + mark + sign_len;
        size_t ip = 0;
        while (ip < len && b[ip] >= '0' && b[ip] <= '9') ip++;
        size_t ncomma = ip > 3 ? (ip - 1) / 3 : 0;
        for (size_t k = 0; k < ncomma && ok; k++) ok = sb_addc(vm, ' ');
        b = vm->scratch.buf + mark + sign_len;
        __builtin_memmove(b + ip + ncomma, b + ip, len - ip);
        size_t w = ip + ncomma;
        for (size_t k = ip, g = 0; k-- > 0; g++) {
          if (g && g % 3 == 0) b[--w] = ',';
          b[--w] = b[k];
        }
      }
      if (t == '%') ok = ok && sb_addc(vm, '%');
    } else {
      ok = ok && (sp.prec >= 0 && v.tag == T::Float ? sb_fixed(vm, d, sp.prec) : sb_float(vm, d));
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
    return raise_msg(vm, Exc::ValueError, MSG("Unknown format code '%s' for object of type '%t'"),
                 t == 'd' ? "d" : t == 'f' ? "f" : t == 'x' ? "x" : "?", &v);
  }
  return ok && pad(vm, mark, sp, numeric, sign_len) ? Status::Ok : Status::Memory;
}

Status bad_spec(VM* vm) { return raise_msg(vm, Exc::ValueError, MSG("Invalid format specifier")); }
}  // namespace

Status format_value(VM* vm, const Value& v, const char* spec, size_t n, Value* out) {
  Spec sp;
  if (!parse_spec(spec, n, sp)) return bad_spec(vm);
  size_t mark = vm->scratch.len;
  Status st = format_into(vm, v, sp);
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  return sb_done(vm, mark, true, out);
}

// printf-style: fmt % args (args: a tuple, or a single value)
Status format_percent(VM* vm, Str* fmt, const Value& args, Value* out) {
  const Value* items = &args;
  uint32_t n = 1;
  if (args.tag == T::Tuple) n = seq_view(args, const_cast<Value**>(&items));
  uint32_t ai = 0;
  size_t mark = vm->scratch.len;
  push_root(vm, args);
  Status st = Status::Ok;
  const char* f = fmt->data;
  uint32_t len = fmt->len;
  auto number = [&](uint32_t& i, int limit) {
    int v = 0;
    while (i < len && f[i] >= '0' && f[i] <= '9' && v <= limit) v = v * 10 + (f[i++] - '0');
    return v;
  };
  for (uint32_t i = 0; i < len && st == Status::Ok; i++) {
    char c = f[i];
    if (c != '%') { if (!sb_addc(vm, c)) st = Status::Memory; continue; }
    Spec sp;
    bool left = false;
    for (i++; i < len && __builtin_memchr("-0+ ", f[i], 4); i++) {
      if (f[i] == '-') left = true;
      else if (f[i] == '0') sp.zero = true;
      else sp.sign = f[i];
    }
    if (i < len && f[i] >= '0' && f[i] <= '9') sp.width = number(i, 10000);
    if (i < len && f[i] == '.') sp.prec = number(++i, 100);
    if (i >= len) { st = raise_msg(vm, Exc::ValueError, MSG("incomplete format")); break; }
    char t = f[i];
    if (t == '%') { if (!sb_addc(vm, '%')) st = Status::Memory; continue; }
    if (ai >= n) { st = type_error(vm, MSG("not enough arguments for format string")); break; }
    Value v = items[ai++];
    if (left) { sp.align = '<'; sp.zero = false; }
    if (t == 's' || t == 'r' || t == 'a') {
      if (t != 's' && (st = to_repr(vm, v, &v)) != Status::Ok) break;
      t = 's';
      if (!sp.align) sp.align = '>';
      sp.sign = '-';
      sp.zero = false;
    } else if (t == 'd' || t == 'i' || t == 'u') {
      if (v.tag == T::Float && (st = float_to_int(vm, v.f, &v)) != Status::Ok) break;
      if (v.tag != T::Int && v.tag != T::Bool) { st = type_error(vm, MSG("%%d format: a real number is required, not %t"), &v); break; }
      t = 'd';
      sp.prec = -1;
    } else if (t == 'x' || t == 'X' || t == 'o') {
      if (v.tag != T::Int && v.tag != T::Bool) { st = type_error(vm, MSG("%%%s format: an integer is required, not %t"), t == 'o' ? "o" : "x", &v); break; }
    } else if (t == 'f' || t == 'F' || t == 'e' || t == 'g') {
      if (v.tag != T::Int && v.tag != T::Float && v.tag != T::Bool) { st = type_error(vm, MSG("must be real number, not %t"), &v); break; }
      t = 'f';
      if (sp.prec < 0) sp.prec = 6;
      if (v.tag != T::Float) v = mk_float(static_cast<double>(ival(v)));
    } else if (t == 'c') {
      if (v.tag == T::Int) {
        if (!sb_addc(vm, static_cast<char>(v.i))) st = Status::Memory;
        continue;
      }
      Value s2;
      st = to_str(vm, v, &s2);
      if (st == Status::Ok && !sb_add(vm, as<Str>(s2)->data, as<Str>(s2)->len)) st = Status::Memory;
      continue;
    } else {
      st = raise_msg(vm, Exc::ValueError, MSG("unsupported format character"));
      break;
    }
    sp.type = t;
    if (t != 's' && (sp.width > 10000 || sp.prec > 100)) st = bad_spec(vm);
    else st = format_into(vm, v, sp);
  }
  pop_roots(vm, 1);
  if (st == Status::Ok && (args.tag == T::Tuple ? ai < n : ai == 0 && args.tag != T::Dict))
    st = type_error(vm, MSG("not all arguments converted during string formatting"));
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  return sb_done(vm, mark, true, out);
}

}  // namespace hilsim::vm
