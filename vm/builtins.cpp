// Built-in functions and type objects (print, len, range, int, str, ..., exec, eval).
// They live in a constant table (flash on the device, no heap); a global lookup that
// misses the module dict falls back here. Type objects are natives with a type tag,
// which is what type(), isinstance() and repr(int) understand.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

Status sort_values(VM* vm, List* l, const Value& key, bool reverse);
Status import_module(VM* vm, Str* name, Value* out);

namespace {
#define RET(v) do { *out = (v); return Status::Ok; } while (0)

Value kwarg(Args& a, const char* name, bool* found) {
  for (int i = 0; i < a.nkw; i++) {
    Str* k = as<Str>(a.kwn[i]);
    if (__builtin_strcmp(k->data, name) == 0) { *found = true; return a.kwv[i]; }
  }
  *found = false;
  return mk_none();
}
Status check_kw(VM* vm, Args& a, const char* const* allowed, const char* fname) {
  for (int i = 0; i < a.nkw; i++) {
    bool ok = false;
    for (const char* const* p = allowed; *p; p++) if (__builtin_strcmp(as<Str>(a.kwn[i])->data, *p) == 0) ok = true;
    if (!ok) return raise(vm, Exc::TypeError, "'%s' is an invalid keyword argument for %s()", as<Str>(a.kwn[i])->data, fname);
  }
  return Status::Ok;
}

Status b_print(VM* vm, Args& a, Value* out) {
  static const char* const kw[] = {"sep", "end", nullptr};
  Status st = check_kw(vm, a, kw, "print");
  if (st != Status::Ok) return st;
  bool f;
  Value sep = kwarg(a, "sep", &f);
  Value end = kwarg(a, "end", &f);
  size_t mark = vm->scratch.len;
  for (int i = 0; i < a.n; i++) {
    if (i) {
      if (sep.tag == T::Str) { if (!sb_add(vm, as<Str>(sep)->data, as<Str>(sep)->len)) return Status::Memory; }
      else if (!sb_addc(vm, ' ')) return Status::Memory;
    }
    vm->c_depth++;
    st = repr_value(vm, a.v[i], true);
    vm->c_depth--;
    if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  }
  bool ok = end.tag == T::Str ? sb_add(vm, as<Str>(end)->data, as<Str>(end)->len) : sb_addc(vm, '\n');
  if (!ok) { vm->scratch.len = mark; return Status::Memory; }
  write(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
  vm->scratch.len = mark;
  RET(mk_none());
}

Status b_len(VM* vm, Args& a, Value* out) {
  Value v = a.v[0];
  switch (v.tag) {
    case T::Str: case T::Bytes: RET(mk_int(as<Str>(v)->len));
    case T::List: RET(mk_int(as<List>(v)->len));
    case T::Tuple: RET(mk_int(as<Tuple>(v)->len));
    case T::Dict: RET(mk_int(as<Dict>(v)->count));
    case T::ByteArray: RET(mk_int(as<ByteArray>(v)->len));
    case T::Range: {
      Range* r = as<Range>(v);
      int64_t n = 0;
      if (r->step > 0 && r->stop > r->start) n = (r->stop - r->start + r->step - 1) / r->step;
      if (r->step < 0 && r->start > r->stop) n = (r->start - r->stop - r->step - 1) / (-r->step);
      RET(mk_int(n));
    }
    case T::Instance: {
      bool found;
      Value fn = lookup_class_attr(as<Instance>(v)->cls, str_intern(vm, "__len__", 7), &found);
      if (found) return call_value(vm, fn, &v, 1, out);
      break;
    }
    default: break;
  }
  return raise(vm, Exc::TypeError, "object of type '%T' has no len()", v);
}

Status b_range(VM* vm, Args& a, Value* out) {
  int64_t v[3] = {0, 0, 1};
  for (int i = 0; i < a.n; i++) {
    Value x = a.v[i];
    if (x.tag != T::Int && x.tag != T::Bool) return raise(vm, Exc::TypeError, "'%T' object cannot be interpreted as an integer", x);
    v[i] = x.tag == T::Bool ? x.b : x.i;
  }
  Range* r = static_cast<Range*>(gc_new(vm, T::Range, sizeof(Range)));
  if (!r) return Status::Memory;
  if (a.n == 1) { r->start = 0; r->stop = v[0]; r->step = 1; }
  else { r->start = v[0]; r->stop = v[1]; r->step = a.n == 3 ? v[2] : 1; }
  if (r->step == 0) return raise(vm, Exc::ValueError, "range() arg 3 must not be zero");
  RET(mk_obj(r));
}

bool parse_int(const char* s, size_t n, int base, int64_t* out) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (base == 16 && i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) i += 2;
  if (i >= n) return false;
  uint64_t v = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '_') continue;
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
    if (d >= base) return false;
    if (v > (0x7fffffffffffffffULL - d) / base) return false;
    v = v * base + d;
  }
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

Status b_int(VM* vm, Args& a, Value* out) {
  if (a.n == 0) RET(mk_int(0));
  Value v = a.v[0];
  if (a.n == 2) {
    if (v.tag != T::Str) return raise(vm, Exc::TypeError, "int() can't convert non-string with explicit base");
    int64_t b;
    Status st = arg_int(vm, a, 1, &b);
    if (st != Status::Ok) return st;
    int64_t r;
    if (b < 2 || b > 36 || !parse_int(as<Str>(v)->data, as<Str>(v)->len, static_cast<int>(b), &r))
      return raise(vm, Exc::ValueError, "invalid literal for int() with base %d: %R", static_cast<int>(b), v);
    RET(mk_int(r));
  }
  switch (v.tag) {
    case T::Int: RET(v);
    case T::Bool: RET(mk_int(v.b));
    case T::Float:
      if (v.f != v.f) return raise(vm, Exc::ValueError, "cannot convert float NaN to integer");
      if (v.f >= 9.2233720368547758e18 || v.f <= -9.2233720368547758e18) return raise(vm, Exc::OverflowError, "cannot convert float infinity to integer");
      RET(mk_int(static_cast<int64_t>(v.f)));
    case T::Str: {
      int64_t r;
      if (!parse_int(as<Str>(v)->data, as<Str>(v)->len, 10, &r))
        return raise(vm, Exc::ValueError, "invalid literal for int() with base 10: %R", v);
      RET(mk_int(r));
    }
    default: return raise(vm, Exc::TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%T'", v);
  }
}

bool parse_float(const char* s, size_t n, double* out) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  auto word = [&](const char* w) {
    size_t k = 0;
    while (w[k] && i + k < n && (s[i + k] | 0x20) == w[k]) k++;
    return !w[k] && i + k == n;
  };
  if (word("inf") || word("infinity")) { *out = neg ? -__builtin_inf() : __builtin_inf(); return true; }
  if (word("nan")) { *out = __builtin_nan(""); return true; }
  long double v = 0;
  bool digits = false;
  while (i < n && s[i] >= '0' && s[i] <= '9') { v = v * 10 + (s[i++] - '0'); digits = true; }
  if (i < n && s[i] == '.') {
    i++;
    long double sc = 1;
    while (i < n && s[i] >= '0' && s[i] <= '9') { sc /= 10; v += (s[i++] - '0') * sc; digits = true; }
  }
  if (!digits) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= n) return false;
    int e = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') { if (e < 5000) e = e * 10 + (s[i] - '0'); i++; }
    long double p = 1;
    for (int k = 0; k < e && p < 1e300L; k++) p *= 10;
    v = eneg ? v / p : v * p;
  }
  if (i != n) return false;
  *out = static_cast<double>(neg ? -v : v);
  return true;
}

Status b_float(VM* vm, Args& a, Value* out) {
  if (a.n == 0) RET(mk_float(0));
  Value v = a.v[0];
  switch (v.tag) {
    case T::Float: RET(v);
    case T::Int: RET(mk_float(static_cast<double>(v.i)));
    case T::Bool: RET(mk_float(v.b));
    case T::Str: {
      double d;
      if (!parse_float(as<Str>(v)->data, as<Str>(v)->len, &d)) return raise(vm, Exc::ValueError, "could not convert string to float: %R", v);
      RET(mk_float(d));
    }
    default: return raise(vm, Exc::TypeError, "float() argument must be a string or a real number, not '%T'", v);
  }
}

Status b_str(VM* vm, Args& a, Value* out) {
  if (a.n == 0) { *out = new_str(vm, "", 0); return out->tag == T::Undef ? Status::Memory : Status::Ok; }
  if (a.n == 2 && (a.v[0].tag == T::Bytes || a.v[0].tag == T::ByteArray)) {
    const char* d = a.v[0].tag == T::Bytes ? as<Str>(a.v[0])->data : reinterpret_cast<const char*>(as<ByteArray>(a.v[0])->data);
    uint32_t n = a.v[0].tag == T::Bytes ? as<Str>(a.v[0])->len : as<ByteArray>(a.v[0])->len;
    *out = new_str(vm, d, n);
    return out->tag == T::Undef ? Status::Memory : Status::Ok;
  }
  return to_str(vm, a.v[0], out);
}
Status b_repr(VM* vm, Args& a, Value* out) { return to_repr(vm, a.v[0], out); }
Status b_bool(VM*, Args& a, Value* out) { RET(mk_bool(a.n ? truthy(a.v[0]) : false)); }

Status b_list(VM* vm, Args& a, Value* out) {
  List* l = list_new(vm, 0);
  if (!l) return Status::Memory;
  *out = mk_obj(l);
  if (a.n == 0) return Status::Ok;
  push_root(vm, *out);
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[0], &items, &n, &holder);
  for (uint32_t i = 0; i < n && st == Status::Ok; i++) st = list_append(vm, l, items[i]);
  pop_roots(vm, 1);
  return st;
}

Status b_tuple(VM* vm, Args& a, Value* out) {
  if (a.n == 0) { Tuple* t = tuple_new(vm, 0); if (!t) return Status::Memory; RET(mk_obj(t)); }
  if (a.v[0].tag == T::Tuple) RET(a.v[0]);
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  push_root(vm, holder);
  Tuple* t = tuple_new(vm, n);
  pop_roots(vm, 1);
  if (!t) return Status::Memory;
  for (uint32_t i = 0; i < n; i++) t->items[i] = items[i];
  RET(mk_obj(t));
}

Status b_dict(VM* vm, Args& a, Value* out) {
  Dict* d = dict_new(vm);
  if (!d) return Status::Memory;
  *out = mk_obj(d);
  push_root(vm, *out);
  Status st = Status::Ok;
  if (a.n == 1) {
    Value src = a.v[0];
    if (src.tag == T::Dict) {
      Dict* s = as<Dict>(src);
      for (uint32_t i = 0; i < s->used && st == Status::Ok; i++)
        if (s->entries[i].key.tag != T::Undef) st = dict_set(vm, d, s->entries[i].key, s->entries[i].hash, s->entries[i].val);
    } else {
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      st = seq_items(vm, src, &items, &n, &holder);
      if (st == Status::Ok) push_root(vm, holder);
      for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
        Value* kv;
        uint32_t m;
        Value h2 = mk_none();
        st = seq_items(vm, items[i], &kv, &m, &h2);
        if (st != Status::Ok) break;
        if (m != 2) { st = raise(vm, Exc::ValueError, "dictionary update sequence element #%d has length %d; 2 is required", static_cast<int>(i), static_cast<int>(m)); break; }
        st = dict_set_v(vm, d, kv[0], kv[1]);
      }
      if (st == Status::Ok || holder.tag != T::None) pop_roots(vm, 1);
    }
  }
  for (int i = 0; i < a.nkw && st == Status::Ok; i++) st = dict_set_v(vm, d, a.kwn[i], a.kwv[i]);
  pop_roots(vm, 1);
  return st;
}

}  // namespace
const NativeDef* type_native(T t);
namespace {

Status b_type(VM* vm, Args& a, Value* out) {
  Value v = a.v[0];
  if (v.tag == T::Instance) RET(mk_obj(as<Instance>(v)->cls));
  if (const NativeDef* d = type_native(v.tag)) RET(mk_native(d));
  Value s;
  Status st = to_str(vm, new_str(vm, type_name(v)), &s);
  if (st != Status::Ok) return st;
  RET(s);
}

bool isinst1(const Value& v, const Value& c) {
  if (c.tag == T::Class) return v.tag == T::Instance && is_subclass(as<Instance>(v)->cls, as<Class>(c));
  if (c.tag == T::Native && c.nf->type_tag) {
    T t = static_cast<T>(c.nf->type_tag);
    if (v.tag == t) return true;
    if (t == T::Int && v.tag == T::Bool) return true;
  }
  return false;
}

Status b_isinstance(VM* vm, Args& a, Value* out) {
  Value c = a.v[1];
  if (c.tag == T::Tuple) {
    for (uint32_t i = 0; i < as<Tuple>(c)->len; i++) if (isinst1(a.v[0], as<Tuple>(c)->items[i])) RET(mk_bool(true));
    RET(mk_bool(false));
  }
  if (c.tag != T::Class && !(c.tag == T::Native && c.nf->type_tag))
    return raise(vm, Exc::TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
  RET(mk_bool(isinst1(a.v[0], c)));
}

Status minmax(VM* vm, Args& a, Value* out, bool is_max) {
  static const char* const kw[] = {"key", "default", nullptr};
  Status st = check_kw(vm, a, kw, is_max ? "max" : "min");
  if (st != Status::Ok) return st;
  bool has_key, has_def;
  Value key = kwarg(a, "key", &has_key);
  Value def = kwarg(a, "default", &has_def);
  Value* items = a.v;
  uint32_t n = static_cast<uint32_t>(a.n);
  Value holder = mk_none();
  if (a.n == 1) {
    st = seq_snapshot(vm, a.v[0], &items, &n, &holder);
    if (st != Status::Ok) return st;
  }
  if (n == 0) {
    if (has_def) RET(def);
    return raise(vm, Exc::ValueError, "%s() arg is an empty sequence", is_max ? "max" : "min");
  }
  push_root(vm, holder);
  Value best = items[0], bestk = best;
  if (has_key && key.tag != T::None) st = call_value(vm, key, &best, 1, &bestk);
  push_root(vm, bestk);
  for (uint32_t i = 1; i < n && st == Status::Ok; i++) {
    Value k = items[i];
    if (has_key && key.tag != T::None) { st = call_value(vm, key, &items[i], 1, &k); if (st != Status::Ok) break; }
    bool lt;
    st = is_max ? compare_lt(vm, bestk, k, &lt) : compare_lt(vm, k, bestk, &lt);
    if (st == Status::Ok && lt) { best = items[i]; bestk = k; if (!vm->root_overflow) vm->sp[-1] = k; }
  }
  pop_roots(vm, 2);
  if (st != Status::Ok) return st;
  RET(best);
}
Status b_min(VM* vm, Args& a, Value* out) { return minmax(vm, a, out, false); }
Status b_max(VM* vm, Args& a, Value* out) { return minmax(vm, a, out, true); }

Status b_sum(VM* vm, Args& a, Value* out) {
  Value acc = a.n > 1 ? a.v[1] : mk_int(0);
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_snapshot(vm, a.v[0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  push_root(vm, holder);
  for (uint32_t i = 0; i < n && st == Status::Ok; i++) st = binary_op(vm, OP_ADD, acc, items[i], &acc);
  pop_roots(vm, 1);
  if (st != Status::Ok) return st;
  RET(acc);
}

Status b_abs(VM* vm, Args& a, Value* out) {
  Value v = a.v[0];
  if (v.tag == T::Int) {
    if (v.i == INT64_MIN) return raise(vm, Exc::OverflowError, "integer overflow");
    RET(mk_int(v.i < 0 ? -v.i : v.i));
  }
  if (v.tag == T::Bool) RET(mk_int(v.b));
  if (v.tag == T::Float) RET(mk_float(v.f < 0 ? -v.f : v.f));
  return raise(vm, Exc::TypeError, "bad operand type for abs(): '%T'", v);
}

Status b_sorted(VM* vm, Args& a, Value* out) {
  static const char* const kw[] = {"key", "reverse", nullptr};
  Status st = check_kw(vm, a, kw, "sorted");
  if (st != Status::Ok) return st;
  Args la{a.v, 1, nullptr, nullptr, 0};
  st = b_list(vm, la, out);
  if (st != Status::Ok) return st;
  bool f;
  Value key = kwarg(a, "key", &f);
  Value rev = kwarg(a, "reverse", &f);
  push_root(vm, *out);
  st = sort_values(vm, as<List>(*out), key, truthy(rev));
  pop_roots(vm, 1);
  return st;
}

Status make_iter2(VM* vm, IterKind k, const Value& seq, const Value& seq2, int64_t pos, Value* out) {
  Iter* it = static_cast<Iter*>(gc_new(vm, T::Iter, sizeof(Iter)));
  if (!it) return Status::Memory;
  it->kind = k;
  it->seq = seq;
  it->seq2 = seq2;
  it->pos = pos;
  it->end = 0;
  it->step = 1;
  RET(mk_obj(it));
}

Status b_enumerate(VM* vm, Args& a, Value* out) {
  Value it;
  Status st = get_iter(vm, a.v[0], &it);
  if (st != Status::Ok) return st;
  int64_t start = 0;
  if (a.n > 1 && (st = arg_int(vm, a, 1, &start)) != Status::Ok) return st;
  push_root(vm, it);
  st = make_iter2(vm, IterKind::Enumerate, it, mk_none(), start, out);
  pop_roots(vm, 1);
  return st;
}

Status b_zip(VM* vm, Args& a, Value* out) {
  Value i1, i2;
  Status st = get_iter(vm, a.v[0], &i1);
  if (st != Status::Ok) return st;
  push_root(vm, i1);
  st = get_iter(vm, a.v[1], &i2);
  if (st == Status::Ok) {
    push_root(vm, i2);
    st = make_iter2(vm, IterKind::Zip, i1, i2, 0, out);
    pop_roots(vm, 1);
  }
  pop_roots(vm, 1);
  return st;
}

Status b_iter(VM* vm, Args& a, Value* out) { return get_iter(vm, a.v[0], out); }

Status b_next(VM* vm, Args& a, Value* out) {
  bool done;
  Status st = iter_next(vm, a.v[0], out, &done);
  if (st != Status::Ok) return st;
  if (done) {
    if (a.n > 1) RET(a.v[1]);
    Value e;
    st = make_exception(vm, Exc::StopIteration, nullptr, &e);
    if (st != Status::Ok) return st;
    return exc_set(vm, e);
  }
  return Status::Ok;
}

Status name_arg(VM* vm, Args& a, int i, Str** out) {
  if (a.v[i].tag != T::Str) return raise(vm, Exc::TypeError, "attribute name must be string, not '%T'", a.v[i]);
  Str* s = as<Str>(a.v[i]);
  *out = str_intern(vm, s->data, s->len);
  return *out ? Status::Ok : Status::Memory;
}

Status b_getattr(VM* vm, Args& a, Value* out) {
  Str* nm = nullptr;
  Status st = name_arg(vm, a, 1, &nm);
  if (st != Status::Ok) return st;
  st = get_attr(vm, a.v[0], nm, out);
  if (st == Status::Runtime && a.n > 2 && vm->exc.tag == T::Instance &&
      as<Instance>(vm->exc)->cls == class_of_exc(vm, Exc::AttributeError)) {
    vm->exc = mk_undef();
    RET(a.v[2]);
  }
  return st;
}
Status b_hasattr(VM* vm, Args& a, Value* out) {
  Str* nm = nullptr;
  Status st = name_arg(vm, a, 1, &nm);
  if (st != Status::Ok) return st;
  Value v;
  st = get_attr(vm, a.v[0], nm, &v);
  if (st == Status::Runtime && as<Instance>(vm->exc)->cls == class_of_exc(vm, Exc::AttributeError)) {
    vm->exc = mk_undef();
    RET(mk_bool(false));
  }
  if (st != Status::Ok) return st;
  RET(mk_bool(true));
}
Status b_setattr(VM* vm, Args& a, Value* out) {
  Str* nm = nullptr;
  Status st = name_arg(vm, a, 1, &nm);
  if (st != Status::Ok) return st;
  *out = mk_none();
  return set_attr(vm, a.v[0], nm, a.v[2]);
}

Status b_hex(VM* vm, Args& a, Value* out) {
  int64_t v;
  Status st = arg_int(vm, a, 0, &v);
  if (st != Status::Ok) return st;
  char buf[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do { buf[n++] = "0123456789abcdef"[u & 15]; u >>= 4; } while (u);
  char o[28];
  int k = 0;
  if (v < 0) o[k++] = '-';
  o[k++] = '0';
  o[k++] = 'x';
  while (n) o[k++] = buf[--n];
  *out = new_str(vm, o, k);
  return out->tag == T::Undef ? Status::Memory : Status::Ok;
}

Status b_ord(VM* vm, Args& a, Value* out) {
  Value v = a.v[0];
  if (v.tag != T::Str && v.tag != T::Bytes) return raise(vm, Exc::TypeError, "ord() expected string of length 1, but %T found", v);
  Str* s = as<Str>(v);
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s->data);
  if (s->len == 1) RET(mk_int(d[0]));
  if (v.tag == T::Str && s->len > 1) {
    int n = d[0] < 0xE0 ? 2 : d[0] < 0xF0 ? 3 : 4;
    if (static_cast<uint32_t>(n) == s->len && d[0] >= 0xC0) {
      uint32_t cp = d[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
      for (int i = 1; i < n; i++) cp = (cp << 6) | (d[i] & 0x3F);
      RET(mk_int(cp));
    }
  }
  return raise(vm, Exc::TypeError, "ord() expected a character, but string of length %d found", static_cast<int>(s->len));
}

Status b_chr(VM* vm, Args& a, Value* out) {
  int64_t cp;
  Status st = arg_int(vm, a, 0, &cp);
  if (st != Status::Ok) return st;
  if (cp < 0 || cp > 0x10FFFF) return raise(vm, Exc::ValueError, "chr() arg not in range(0x110000)");
  char b[4];
  int n;
  if (cp < 0x80) { b[0] = static_cast<char>(cp); n = 1; }
  else if (cp < 0x800) { b[0] = static_cast<char>(0xC0 | (cp >> 6)); b[1] = static_cast<char>(0x80 | (cp & 63)); n = 2; }
  else if (cp < 0x10000) { b[0] = static_cast<char>(0xE0 | (cp >> 12)); b[1] = static_cast<char>(0x80 | ((cp >> 6) & 63)); b[2] = static_cast<char>(0x80 | (cp & 63)); n = 3; }
  else { b[0] = static_cast<char>(0xF0 | (cp >> 18)); b[1] = static_cast<char>(0x80 | ((cp >> 12) & 63)); b[2] = static_cast<char>(0x80 | ((cp >> 6) & 63)); b[3] = static_cast<char>(0x80 | (cp & 63)); n = 4; }
  *out = new_str(vm, b, n);
  return out->tag == T::Undef ? Status::Memory : Status::Ok;
}

double round_half_even(double x) {
  double f = __builtin_floor(x);
  double d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return __builtin_fmod(f, 2) == 0 ? f : f + 1;
}

long double round_half_even_l(long double x) {
  long double f = __builtin_floorl(x);
  long double d = x - f;
  if (d > 0.5L) return f + 1;
  if (d < 0.5L) return f;
  return __builtin_fmodl(f, 2) == 0 ? f : f + 1;
}

Status b_round(VM* vm, Args& a, Value* out) {
  Value v = a.v[0];
  if (v.tag == T::Int || v.tag == T::Bool) RET(mk_int(v.tag == T::Bool ? v.b : v.i));
  if (v.tag != T::Float) return raise(vm, Exc::TypeError, "type %T doesn't define __round__ method", v);
  if (a.n == 1 || a.v[1].tag == T::None) {
    double r = round_half_even(v.f);
    if (r != r || r > 9.2e18 || r < -9.2e18) return raise(vm, Exc::OverflowError, "cannot convert float infinity to integer");
    RET(mk_int(static_cast<int64_t>(r)));
  }
  int64_t nd;
  Status st = arg_int(vm, a, 1, &nd);
  if (st != Status::Ok) return st;
  if (nd > 15 || nd < -15) RET(v);
  double p = 1;
  for (int64_t i = 0; i < (nd < 0 ? -nd : nd); i++) p *= 10;
  long double x = v.f;
  double r = static_cast<double>(nd >= 0 ? round_half_even_l(x * p) / p : round_half_even_l(x / p) * p);
  RET(mk_float(r));
}

Status b_divmod(VM* vm, Args& a, Value* out) {
  Value q, r;
  Status st = binary_op(vm, OP_FLOORDIV, a.v[0], a.v[1], &q);
  if (st != Status::Ok) return st;
  st = binary_op(vm, OP_MOD, a.v[0], a.v[1], &r);
  if (st != Status::Ok) return st;
  Tuple* t = tuple_new(vm, 2);
  if (!t) return Status::Memory;
  t->items[0] = q;
  (t->items + 1)[0] = r;
  RET(mk_obj(t));
}

Status b_all_any(VM* vm, Args& a, Value* out, bool all) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  for (uint32_t i = 0; i < n; i++) if (truthy(items[i]) != all) RET(mk_bool(!all));
  RET(mk_bool(all));
}
Status b_all(VM* vm, Args& a, Value* out) { return b_all_any(vm, a, out, true); }
Status b_any(VM* vm, Args& a, Value* out) { return b_all_any(vm, a, out, false); }

Status b_reversed(VM* vm, Args& a, Value* out) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  push_root(vm, holder);
  List* l = list_new(vm, n);
  pop_roots(vm, 1);
  if (!l) return Status::Memory;
  for (uint32_t i = 0; i < n; i++) l->items[i] = items[n - 1 - i];
  l->len = n;
  push_root(vm, mk_obj(l));
  st = get_iter(vm, mk_obj(l), out);
  pop_roots(vm, 1);
  return st;
}

Status map_filter(VM* vm, Args& a, Value* out, bool filter) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_snapshot(vm, a.v[1], &items, &n, &holder);
  if (st != Status::Ok) return st;
  push_root(vm, holder);
  List* l = list_new(vm, 0);
  if (!l) { pop_roots(vm, 1); return Status::Memory; }
  push_root(vm, mk_obj(l));
  for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
    Value r;
    Value x = items[i];
    if (a.v[0].tag == T::None) r = x;
    else st = call_value(vm, a.v[0], &x, 1, &r);
    if (st != Status::Ok) break;
    if (!filter) st = list_append(vm, l, r);
    else if (truthy(r)) st = list_append(vm, l, x);
  }
  if (st == Status::Ok) st = get_iter(vm, mk_obj(l), out);
  pop_roots(vm, 2);
  return st;
}
Status b_map(VM* vm, Args& a, Value* out) { return map_filter(vm, a, out, false); }
Status b_filter(VM* vm, Args& a, Value* out) { return map_filter(vm, a, out, true); }

Status run_source(VM* vm, Args& a, Value* out, bool eval_mode) {
  const char* src;
  size_t len;
  Status st = arg_str(vm, a, 0, &src, &len);
  if (st != Status::Ok) return st;
  Dict* globals = nullptr;
  if (a.n > 1 && a.v[1].tag != T::None) {
    if (a.v[1].tag != T::Dict) return raise(vm, Exc::TypeError, "exec() globals must be a dict, not %T", a.v[1]);
    globals = as<Dict>(a.v[1]);
  } else if (vm->nframes) {
    globals = vm->frames[vm->nframes - 1].fn->globals;
  } else {
    globals = vm->globals;
  }
  Proto* p;
  st = compile(vm, src, len, "<string>", eval_mode, &p);
  if (st != Status::Ok) return st == Status::Syntax ? Status::Runtime : st;
  push_root(vm, mk_obj(p));
  Value r;
  st = exec_proto(vm, p, globals, &r);
  pop_roots(vm, 1);
  if (st != Status::Ok) return st;
  *out = eval_mode ? r : mk_none();
  return Status::Ok;
}
Status b_exec(VM* vm, Args& a, Value* out) { return run_source(vm, a, out, false); }
Status b_eval(VM* vm, Args& a, Value* out) { return run_source(vm, a, out, true); }

Status b_bytes(VM* vm, Args& a, Value* out, bool mutable_) {
  size_t mark = vm->scratch.len;
  Status st = Status::Ok;
  if (a.n >= 1) {
    Value v = a.v[0];
    if (v.tag == T::Int) {
      if (v.i < 0) return raise(vm, Exc::ValueError, "negative count");
      if (v.i > 0x100000) return raise(vm, Exc::MemoryError, "");
      for (int64_t i = 0; i < v.i && st == Status::Ok; i++) if (!sb_addc(vm, 0)) st = Status::Memory;
    } else if (v.tag == T::Str) {
      if (!sb_add(vm, as<Str>(v)->data, as<Str>(v)->len)) st = Status::Memory;
    } else if (v.tag == T::Bytes) {
      if (!sb_add(vm, as<Str>(v)->data, as<Str>(v)->len)) st = Status::Memory;
    } else {
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      st = seq_items(vm, v, &items, &n, &holder);
      for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
        if (items[i].tag != T::Int || items[i].i < 0 || items[i].i > 255) { st = raise(vm, Exc::ValueError, "bytes must be in range(0, 256)"); break; }
        if (!sb_addc(vm, static_cast<char>(items[i].i))) st = Status::Memory;
      }
    }
  }
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  size_t n = vm->scratch.len - mark;
  if (!mutable_) {
    Str* b = bytes_new(vm, vm->scratch.buf + mark, n);
    vm->scratch.len = mark;
    if (!b) return Status::Memory;
    RET(mk_obj(b));
  }
  ByteArray* b = static_cast<ByteArray*>(gc_new(vm, T::ByteArray, sizeof(ByteArray)));
  if (!b) { vm->scratch.len = mark; return Status::Memory; }
  b->data = nullptr;
  b->len = b->cap = 0;
  if (n) {
    b->data = static_cast<uint8_t*>(heap_alloc(vm->heap, n));
    if (!b->data) { vm->scratch.len = mark; return raise(vm, Exc::MemoryError, ""); }
    __builtin_memcpy(b->data, vm->scratch.buf + mark, n);
    b->len = b->cap = static_cast<uint32_t>(n);
  }
  vm->scratch.len = mark;
  RET(mk_obj(b));
}
Status b_bytes_i(VM* vm, Args& a, Value* out) { return b_bytes(vm, a, out, false); }
Status b_bytearray(VM* vm, Args& a, Value* out) { return b_bytes(vm, a, out, true); }

Status b_callable(VM*, Args& a, Value* out) {
  T t = a.v[0].tag;
  RET(mk_bool(t == T::Func || t == T::Native || t == T::Class || t == T::Bound));
}

#define TYPE(t) static_cast<uint8_t>(T::t)
}  // namespace

const NativeDef kBuiltinTypes[] = {
  {"int", b_int, 0, 2, TYPE(Int), 0},
  {"float", b_float, 0, 1, TYPE(Float), 0},
  {"str", b_str, 0, 2, TYPE(Str), 0},
  {"bool", b_bool, 0, 1, TYPE(Bool), 0},
  {"list", b_list, 0, 1, TYPE(List), 0},
  {"dict", b_dict, 0, 1, TYPE(Dict), 1},
  {"tuple", b_tuple, 0, 1, TYPE(Tuple), 0},
  {"range", b_range, 1, 3, TYPE(Range), 0},
  {"bytes", b_bytes_i, 0, 2, TYPE(Bytes), 0},
  {"bytearray", b_bytearray, 0, 1, TYPE(ByteArray), 0},
};

namespace {
const NativeDef kBuiltins[] = {
  {"print", b_print, 0, -1, 0, 1},
  {"len", b_len, 1, 1, 0, 0},
  {"isinstance", b_isinstance, 2, 2, 0, 0},
  {"type", b_type, 1, 1, 0, 0},
  {"min", b_min, 1, -1, 0, 1},
  {"max", b_max, 1, -1, 0, 1},
  {"sum", b_sum, 1, 2, 0, 0},
  {"abs", b_abs, 1, 1, 0, 0},
  {"sorted", b_sorted, 1, 1, 0, 1},
  {"enumerate", b_enumerate, 1, 2, 0, 0},
  {"zip", b_zip, 2, 2, 0, 0},
  {"iter", b_iter, 1, 1, 0, 0},
  {"next", b_next, 1, 2, 0, 0},
  {"hasattr", b_hasattr, 2, 2, 0, 0},
  {"getattr", b_getattr, 2, 3, 0, 0},
  {"setattr", b_setattr, 3, 3, 0, 0},
  {"repr", b_repr, 1, 1, 0, 0},
  {"hex", b_hex, 1, 1, 0, 0},
  {"ord", b_ord, 1, 1, 0, 0},
  {"chr", b_chr, 1, 1, 0, 0},
  {"round", b_round, 1, 2, 0, 0},
  {"divmod", b_divmod, 2, 2, 0, 0},
  {"all", b_all, 1, 1, 0, 0},
  {"any", b_any, 1, 1, 0, 0},
  {"reversed", b_reversed, 1, 1, 0, 0},
  {"map", b_map, 2, 2, 0, 0},
  {"filter", b_filter, 2, 2, 0, 0},
  {"callable", b_callable, 1, 1, 0, 0},
  {"exec", b_exec, 1, 2, 0, 0},
  {"eval", b_eval, 1, 2, 0, 0},
};
}  // namespace

namespace {
Status b_notype(VM* vm, Args&, Value*) { return raise(vm, Exc::TypeError, "cannot create instances of this type"); }
const NativeDef kHiddenTypes[] = {
  {"NoneType", b_notype, 0, 0, TYPE(None), 0},
  {"function", b_notype, 0, 0, TYPE(Func), 0},
  {"builtin_function_or_method", b_notype, 0, 0, TYPE(Native), 0},
  {"type", b_notype, 0, 0, TYPE(Class), 0},
  {"module", b_notype, 0, 0, TYPE(Module), 0},
  {"method", b_notype, 0, 0, TYPE(Bound), 0},
  {"slice", b_notype, 0, 0, TYPE(Slice), 0},
};
}  // namespace

const NativeDef* type_native(T t) {
  for (const NativeDef& d : kBuiltinTypes) if (d.type_tag == static_cast<uint8_t>(t)) return &d;
  for (const NativeDef& d : kHiddenTypes) if (d.type_tag == static_cast<uint8_t>(t)) return &d;
  return nullptr;
}

const NativeDef* find_builtin(Str* name) {
  for (const NativeDef& d : kBuiltins)
    if (d.name[0] == name->data[0] && __builtin_strcmp(d.name, name->data) == 0) return &d;
  for (const NativeDef& d : kBuiltinTypes)
    if (d.name[0] == name->data[0] && __builtin_strcmp(d.name, name->data) == 0) return &d;
  return nullptr;
}

}  // namespace hilsim::vm
