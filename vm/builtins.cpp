// Built-in functions and type objects (print, len, range, int, str, ..., exec, eval).
// They live in a constant table (flash on the device, no heap); a global lookup that
// misses the module dict falls back here. Type objects are natives with a type tag,
// which is what type(), isinstance() and repr(int) understand.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

Status sort_values(VM* vm, List* l, const Value& key, bool reverse);
Status format_value(VM* vm, const Value& v, const char* spec, size_t n, Value* out);

#define RET(v) do { *out = (v); return Status::Ok; } while (0)

Status float_to_int(VM* vm, double f, Value* out) {
  if ((double_bits(f) << 1) > (kInfBits << 1)) return raise_msg(vm, Exc::ValueError, MSG("cannot convert float NaN to integer"));
  // Ints are 64-bit: a float outside that range cannot be represented (no big ints).
  if (f >= 9.2233720368547758e18 || f <= -9.2233720368547758e18)
    return raise_msg(vm, Exc::OverflowError, MSG("cannot convert float infinity to integer"));
  RET(mk_int(static_cast<int64_t>(f)));
}

namespace {

Status b_print(VM* vm, Args& a, Value* out) {
  Value kw[2];  // sep, end
  Status st = get_kwargs(vm, a, "print", "sep", "end", kw);
  if (st != Status::Ok) return st;
  size_t mark = vm->scratch.len;
  bool ok = true;
  for (int i = 0; i < a.n && st == Status::Ok && ok; i++) {
    if (i) ok = kw[0].tag == T::Str ? sb_add(vm, as<Str>(kw[0])->data, as<Str>(kw[0])->len) : sb_addc(vm, ' ');
    vm->c_depth++;
    if (ok) st = repr_value(vm, a.v[i], true);
    vm->c_depth--;
  }
  if (ok && st == Status::Ok) {
    ok = kw[1].tag == T::Str ? sb_add(vm, as<Str>(kw[1])->data, as<Str>(kw[1])->len) : sb_addc(vm, '\n');
    if (ok) write(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
  }
  vm->scratch.len = mark;
  return ok ? st : Status::Memory;
}

Status b_len(VM* vm, Args& a, Value* out) {
  const Value& v = a.v[0];
  int64_t n = builtin_len(v);
  if (n >= 0) RET(mk_int(n));
  if (v.tag == T::Instance) {
    bool found;
    Status st = try_dunder(vm, v, "__len__", nullptr, out, &found);
    if (st != Status::Ok || found) return st;
  }
  return type_error(vm, MSG("object of type '%t' has no len()"), &v);
}

Status b_range(VM* vm, Args& a, Value* out) {
  int64_t v[3] = {0, 0, 1};
  for (int i = 0; i < a.n; i++) {
    Status st = arg_int(vm, a, i, &v[i]);
    if (st != Status::Ok) return st;
  }
  if (a.n == 1) { v[1] = v[0]; v[0] = 0; }
  if (v[2] == 0) return raise_msg(vm, Exc::ValueError, MSG("range() arg 3 must not be zero"));
  Range* r = static_cast<Range*>(gc_new(vm, T::Range, sizeof(Range)));
  if (r) {
    r->start = v[0];
    r->stop = v[1];
    r->step = v[2];
  }
  return ret_obj(out, r);
}

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Trims surrounding blanks and an optional sign: [*i, *n) is what remains.
bool trim_sign(const char* s, size_t* i, size_t* n) {
  while (*i < *n && is_space(s[*i])) ++*i;
  while (*n > *i && is_space(s[*n - 1])) --*n;
  bool neg = false;
  if (*i < *n && (s[*i] == '+' || s[*i] == '-')) neg = s[(*i)++] == '-';
  return neg;
}

bool parse_int(const char* s, size_t n, int base, int64_t* out) {
  size_t i = 0;
  bool neg = trim_sign(s, &i, &n);
  if (base == 16 && i + 1 < n && s[i] == '0' && (s[i + 1] | 0x20) == 'x') i += 2;
  if (i >= n) return false;
  uint64_t v = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '_') continue;
    int d = digit_value(c);
    if (d >= base) return false;
    if (v > (0x7fffffffffffffffULL - d) / base) return false;
    v = v * base + d;
  }
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

Status b_int(VM* vm, Args& a, Value* out) {
  if (a.n == 0) RET(mk_int(0));
  const Value& v = a.v[0];
  int64_t base = 10, r;
  if (a.n == 2) {
    if (v.tag != T::Str) return type_error(vm, MSG("int() can't convert non-string with explicit base"));
    Status st = arg_int(vm, a, 1, &base);
    if (st != Status::Ok) return st;
  }
  switch (v.tag) {
    case T::Int: case T::Bool: RET(mk_int(ival(v)));
    case T::Float:
      return float_to_int(vm, v.f, out);
    case T::Str:
      if (base < 2 || base > 36 || !parse_int(as<Str>(v)->data, as<Str>(v)->len, static_cast<int>(base), &r))
        return raise_msg(vm, Exc::ValueError, MSG("invalid literal for int() with base %d: %r"), static_cast<int>(base), &v);
      RET(mk_int(r));
    default:
      return type_error(vm, MSG("int() argument must be a string, a bytes-like object or a real number, not '%t'"), &v);
  }
}

bool parse_float(const char* s, size_t n, double* out) {
  size_t i = 0;
  bool neg = trim_sign(s, &i, &n);
  auto word = [&](const char* w) {
    size_t k = 0;
    while (w[k] && i + k < n && (s[i + k] | 0x20) == w[k]) k++;
    return !w[k] && i + k == n;
  };
  double r;
  if (word("inf") || word("infinity")) r = __builtin_inf();
  else if (word("nan")) r = __builtin_nan("");
  else {
    const char* e = scan_decimal(s + i, s + n, false, &r);
    if (!e || e != s + n) return false;
  }
  *out = neg ? -r : r;
  return true;
}

Status b_float(VM* vm, Args& a, Value* out) {
  if (a.n == 0) RET(mk_float(0));
  const Value& v = a.v[0];
  switch (v.tag) {
    case T::Float: RET(v);
    case T::Int: case T::Bool: RET(mk_float(static_cast<double>(ival(v))));
    case T::Str: {
      double d;
      if (!parse_float(as<Str>(v)->data, as<Str>(v)->len, &d))
        return raise_msg(vm, Exc::ValueError, MSG("could not convert string to float: %r"), &v);
      RET(mk_float(d));
    }
    default: return type_error(vm, MSG("float() argument must be a string or a real number, not '%t'"), &v);
  }
}

Status b_str(VM* vm, Args& a, Value* out) {
  if (a.n == 0) return ret_obj(out, str_new(vm, "", 0));
  const Value& v = a.v[0];
  if (a.n == 2 && (v.tag == T::Bytes || v.tag == T::ByteArray)) {
    const uint8_t* d;
    uint32_t n = bytes_view(v, &d);
    return ret_obj(out, str_new(vm, reinterpret_cast<const char*>(d), n));
  }
  return to_str(vm, v, out);
}
Status b_repr(VM* vm, Args& a, Value* out) { return to_repr(vm, a.v[0], out); }
Status b_bool(VM*, Args& a, Value* out) { return ret_bool(out, a.n && truthy(a.v[0])); }

// list(x), tuple(x): the items of any iterable
Status b_seq(VM* vm, Args& a, Value* out, T type) {
  Value* items = nullptr;
  uint32_t n = 0;
  Value holder = mk_none();
  if (a.n) {
    if (type == T::Tuple && a.v[0].tag == T::Tuple) RET(a.v[0]);
    Status st = seq_items(vm, a.v[0], &items, &n, &holder);
    if (st != Status::Ok) return st;
  }
  push_root(vm, holder);
  Value* dst;
  Status st = new_seq(vm, type, n, out, &dst);
  pop_roots(vm, 1);
  if (st == Status::Ok) copy_vals(dst, items, n);
  return st;
}
Status b_list(VM* vm, Args& a, Value* out) { return b_seq(vm, a, out, T::List); }
Status b_tuple(VM* vm, Args& a, Value* out) { return b_seq(vm, a, out, T::Tuple); }

Status b_dict(VM* vm, Args& a, Value* out) {
  Dict* d = dict_new(vm);
  Status st = ret_obj(out, d);
  if (st != Status::Ok) return st;
  push_root(vm, *out);
  if (a.n == 1) {
    const Value& src = a.v[0];
    if (src.tag == T::Dict) {
      Value r;
      st = binary_op(vm, OP_IADD, *out, src, &r);  // merge
    } else {
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      st = seq_items(vm, src, &items, &n, &holder);
      push_root(vm, holder);
      for (uint32_t i = 0; st == Status::Ok && i < n; i++) {
        Value* kv;
        uint32_t m;
        Value h2 = mk_none();
        st = seq_items(vm, items[i], &kv, &m, &h2);
        if (st != Status::Ok) break;
        if (m != 2)
          st = raise_msg(vm, Exc::ValueError, MSG("dictionary update sequence element #%d has length %d; 2 is required"),
                     static_cast<int>(i), static_cast<int>(m));
        else
          st = dict_set_v(vm, d, kv[0], kv[1]);
      }
      pop_roots(vm, 1);
    }
  }
  for (int i = 0; i < a.nkw && st == Status::Ok; i++) st = dict_set_v(vm, d, a.kwn[i], a.kwv[i]);
  pop_roots(vm, 1);
  return st;
}

Status b_type(VM* vm, Args& a, Value* out) {
  const Value& v = a.v[0];
  if (v.tag == T::Instance) RET(mk_obj(as<Instance>(v)->cls));
  if (const NativeDef* d = type_native(v.tag)) RET(mk_native(d));
  return ret_obj(out, str_new(vm, type_name(v), __builtin_strlen(type_name(v))));
}

bool isinst1(const Value& v, const Value& c) {
  if (c.tag == T::Class) return v.tag == T::Instance && is_subclass(as<Instance>(v)->cls, as<Class>(c));
  if (c.tag == T::Native && c.nf->type_tag) {
    T t = static_cast<T>(c.nf->type_tag);
    return v.tag == t || (t == T::Int && v.tag == T::Bool);
  }
  return false;
}

Status b_isinstance(VM* vm, Args& a, Value* out) {
  const Value& c = a.v[1];
  if (c.tag == T::Tuple) {
    for (uint32_t i = 0; i < as<Tuple>(c)->len; i++) if (isinst1(a.v[0], as<Tuple>(c)->items[i])) return ret_bool(out, true);
    return ret_bool(out, false);
  }
  if (c.tag != T::Class && !(c.tag == T::Native && c.nf->type_tag))
    return type_error(vm, MSG("isinstance() arg 2 must be a type, a tuple of types, or a union"));
  return ret_bool(out, isinst1(a.v[0], c));
}

Status minmax(VM* vm, Args& a, Value* out, bool is_max) {
  const char* fname = is_max ? "max" : "min";
  Value kw[2];  // key, default
  Status st = get_kwargs(vm, a, fname, "key", "default", kw);
  if (st != Status::Ok) return st;
  bool keyed = kw[0].tag != T::Undef && kw[0].tag != T::None;
  Value* items = a.v;
  uint32_t n = static_cast<uint32_t>(a.n);
  Value holder = mk_none();
  if (a.n == 1) {
    st = seq_snapshot(vm, a.v[0], &items, &n, &holder);
    if (st != Status::Ok) return st;
  }
  if (n == 0) {
    if (kw[1].tag != T::Undef) RET(kw[1]);
    return raise_msg(vm, Exc::ValueError, MSG("%s() arg is an empty sequence"), fname);
  }
  push_root(vm, holder);
  Value best = items[0], bestk = best;
  if (keyed) st = call_value(vm, kw[0], &best, 1, &bestk);
  push_root(vm, bestk);
  for (uint32_t i = 1; i < n && st == Status::Ok; i++) {
    Value k = items[i];
    if (keyed) { st = call_value(vm, kw[0], &items[i], 1, &k); if (st != Status::Ok) break; }
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
  const Value& v = a.v[0];
  if (v.tag == T::Float) RET(mk_float(v.f < 0 ? -v.f : v.f));
  if (v.tag != T::Int && v.tag != T::Bool) return type_error(vm, MSG("bad operand type for abs(): '%t'"), &v);
  int64_t i = ival(v);
  if (i == INT64_MIN) return raise_msg(vm, Exc::OverflowError, MSG("integer overflow"));
  RET(mk_int(i < 0 ? -i : i));
}

Status b_sorted(VM* vm, Args& a, Value* out) {
  Value kw[2];  // key, reverse
  Status st = get_kwargs(vm, a, "sorted", "key", "reverse", kw);
  if (st != Status::Ok) return st;
  Args la{a.v, 1, nullptr, nullptr, 0};
  st = b_list(vm, la, out);
  if (st != Status::Ok) return st;
  push_root(vm, *out);
  st = sort_values(vm, as<List>(*out), kw[0].tag == T::Undef ? mk_none() : kw[0], truthy(kw[1]));
  pop_roots(vm, 1);
  return st;
}

// enumerate(x[, start]) and zip(a, b): iterators over other iterators
Status b_enumerate(VM* vm, Args& a, Value* out) {
  int64_t start = 0;
  Status st = get_iter(vm, a.v[0], out);
  if (st == Status::Ok && a.n > 1) st = arg_int(vm, a, 1, &start);
  if (st != Status::Ok) return st;
  push_root(vm, *out);
  Iter* it = iter_new(vm, IterKind::Enumerate, *out);
  pop_roots(vm, 1);
  if (it) it->pos = start;
  return ret_obj(out, it);
}

Status b_zip(VM* vm, Args& a, Value* out) {
  Value i1, i2;
  Status st = get_iter(vm, a.v[0], &i1);
  if (st != Status::Ok) return st;
  push_root(vm, i1);
  st = get_iter(vm, a.v[1], &i2);
  if (st == Status::Ok) {
    push_root(vm, i2);
    Iter* it = iter_new(vm, IterKind::Zip, i1);
    if (it) it->seq2 = i2;
    st = ret_obj(out, it);
    pop_roots(vm, 1);
  }
  pop_roots(vm, 1);
  return st;
}

Status b_iter(VM* vm, Args& a, Value* out) { return get_iter(vm, a.v[0], out); }

Status b_next(VM* vm, Args& a, Value* out) {
  bool done;
  Status st = iter_next(vm, a.v[0], out, &done);
  if (st != Status::Ok || !done) return st;
  if (a.n > 1) RET(a.v[1]);
  Value e;
  st = make_exception(vm, Exc::StopIteration, nullptr, &e);
  return st != Status::Ok ? st : exc_set(vm, e);
}

// getattr(o, name[, default]) (mode 0), hasattr (1), setattr (2)
Status attr_fn(VM* vm, Args& a, Value* out, int mode) {
  if (a.v[1].tag != T::Str) return type_error(vm, MSG("attribute name must be string, not '%t'"), &a.v[1]);
  Str* nm = str_intern(vm, as<Str>(a.v[1])->data, as<Str>(a.v[1])->len);
  if (!nm) return Status::Memory;
  if (mode == 2) return set_attr(vm, a.v[0], nm, a.v[2]);
  Status st = get_attr(vm, a.v[0], nm, out);
  if (st == Status::Runtime && (mode == 1 || a.n > 2) && vm->exc.tag == T::Instance &&
      as<Instance>(vm->exc)->cls == class_of_exc(vm, Exc::AttributeError)) {
    vm->exc = mk_undef();
    if (mode == 1) return ret_bool(out, false);
    RET(a.v[2]);
  }
  if (st == Status::Ok && mode == 1) return ret_bool(out, true);
  return st;
}
Status b_getattr(VM* vm, Args& a, Value* out) { return attr_fn(vm, a, out, 0); }
Status b_hasattr(VM* vm, Args& a, Value* out) { return attr_fn(vm, a, out, 1); }
Status b_setattr(VM* vm, Args& a, Value* out) { return attr_fn(vm, a, out, 2); }

Status b_hex(VM* vm, Args& a, Value* out) {
  int64_t v;
  Status st = arg_int(vm, a, 0, &v);
  if (st != Status::Ok) return st;
  return format_value(vm, mk_int(v), "#x", 2, out);
}

Status b_ord(VM* vm, Args& a, Value* out) {
  const Value& v = a.v[0];
  if (v.tag != T::Str && v.tag != T::Bytes)
    return type_error(vm, MSG("ord() expected string of length 1, but %t found"), &v);
  Str* s = as<Str>(v);
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s->data);
  if (s->len == 1) RET(mk_int(d[0]));
  if (v.tag == T::Str && s->len > 1) {
    uint32_t n = d[0] < 0xE0 ? 2 : d[0] < 0xF0 ? 3 : 4;
    if (n == s->len && d[0] >= 0xC0) {
      uint32_t cp = d[0] & (0x7f >> n);
      for (uint32_t i = 1; i < n; i++) cp = (cp << 6) | (d[i] & 0x3F);
      RET(mk_int(cp));
    }
  }
  return type_error(vm, MSG("ord() expected a character, but string of length %d found"), static_cast<int>(s->len));
}

Status b_chr(VM* vm, Args& a, Value* out) {
  int64_t cp;
  Status st = arg_int(vm, a, 0, &cp);
  if (st != Status::Ok) return st;
  if (cp < 0 || cp > 0x10FFFF) return raise_msg(vm, Exc::ValueError, MSG("chr() arg not in range(0x110000)"));
  char b[4];
  return ret_obj(out, str_new(vm, b, utf8_encode(static_cast<uint32_t>(cp), b)));
}

long double round_half_even(long double x) {
  long double f = __builtin_floorl(x);
  long double d = x - f;
  if (d > 0.5L) return f + 1;
  if (d < 0.5L) return f;
  return __builtin_fmodl(f, 2) == 0 ? f : f + 1;
}

Status b_round(VM* vm, Args& a, Value* out) {
  const Value& v = a.v[0];
  if (v.tag == T::Int || v.tag == T::Bool) RET(mk_int(ival(v)));
  if (v.tag != T::Float) return type_error(vm, MSG("type %t doesn't define __round__ method"), &v);
  if (a.n == 1 || a.v[1].tag == T::None) {
    double r = static_cast<double>(round_half_even(v.f));
    if (r != r || r > 9.2e18 || r < -9.2e18) return raise_msg(vm, Exc::OverflowError, MSG("cannot convert float infinity to integer"));
    RET(mk_int(static_cast<int64_t>(r)));
  }
  int64_t nd;
  Status st = arg_int(vm, a, 1, &nd);
  if (st != Status::Ok) return st;
  if (nd > 15 || nd < -15) RET(v);
  double p = 1;
  for (int i = 0; i < (nd < 0 ? -nd : nd); i++) p *= 10;
  long double x = v.f;
  RET(mk_float(static_cast<double>(nd >= 0 ? round_half_even(x * p) / p : round_half_even(x / p) * p)));
}

Status b_divmod(VM* vm, Args& a, Value* out) {
  Value* r;
  Status st = new_seq(vm, T::Tuple, 2, out, &r);
  if (st != Status::Ok) return st;
  push_root(vm, *out);
  st = binary_op(vm, OP_FLOORDIV, a.v[0], a.v[1], &r[0]);
  if (st == Status::Ok) st = binary_op(vm, OP_MOD, a.v[0], a.v[1], &r[1]);
  pop_roots(vm, 1);
  return st;
}

Status b_all_any(VM* vm, Args& a, Value* out, bool all) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  for (uint32_t i = 0; i < n; i++) if (truthy(items[i]) != all) return ret_bool(out, !all);
  return ret_bool(out, all);
}
Status b_all(VM* vm, Args& a, Value* out) { return b_all_any(vm, a, out, true); }
Status b_any(VM* vm, Args& a, Value* out) { return b_all_any(vm, a, out, false); }

// reversed(x), map(f, x), filter(f, x): evaluated eagerly into a list, returned as an iterator
Status eager_iter(VM* vm, Args& a, Value* out, int mode) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_snapshot(vm, a.v[mode ? 1 : 0], &items, &n, &holder);
  if (st != Status::Ok) return st;
  push_root(vm, holder);
  List* l = list_new(vm, mode ? 0 : n);
  if (!l) { pop_roots(vm, 1); return Status::Memory; }
  push_root(vm, mk_obj(l));
  for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
    Value x = items[mode ? i : n - 1 - i], r = x;
    if (mode && a.v[0].tag != T::None) st = call_value(vm, a.v[0], &x, 1, &r);
    if (st == Status::Ok && (mode != 2 || truthy(r))) st = list_append(vm, l, mode == 1 ? r : x);
  }
  if (st == Status::Ok) st = get_iter(vm, mk_obj(l), out);
  pop_roots(vm, 2);
  return st;
}
Status b_reversed(VM* vm, Args& a, Value* out) { return eager_iter(vm, a, out, 0); }
Status b_map(VM* vm, Args& a, Value* out) { return eager_iter(vm, a, out, 1); }
Status b_filter(VM* vm, Args& a, Value* out) { return eager_iter(vm, a, out, 2); }

Status run_source(VM* vm, Args& a, Value* out, bool eval_mode) {
  const char* src;
  size_t len;
  Status st = arg_str(vm, a, 0, &src, &len);
  if (st != Status::Ok) return st;
  Dict* globals = vm->nframes ? vm->frames[vm->nframes - 1].fn->globals : vm->globals;
  if (a.n > 1 && a.v[1].tag != T::None) {
    if (a.v[1].tag != T::Dict) return type_error(vm, MSG("exec() globals must be a dict, not %t"), &a.v[1]);
    globals = as<Dict>(a.v[1]);
  }
  Proto* p;
  st = compile(vm, src, len, "<string>", eval_mode, &p);
  if (st != Status::Ok) return st == Status::Syntax ? Status::Runtime : st;
  push_root(vm, mk_obj(p));
  Value r;
  st = exec_proto(vm, p, globals, &r);
  pop_roots(vm, 1);
  if (st == Status::Ok && eval_mode) *out = r;
  return st;
}
Status b_exec(VM* vm, Args& a, Value* out) { return run_source(vm, a, out, false); }
Status b_eval(VM* vm, Args& a, Value* out) { return run_source(vm, a, out, true); }

Status b_bytes(VM* vm, Args& a, Value* out, bool mutable_) {
  size_t mark = vm->scratch.len;
  Status st = Status::Ok;
  bool ok = true;
  if (a.n >= 1) {
    const Value& v = a.v[0];
    if (v.tag == T::Int) {
      if (v.i < 0) return raise_msg(vm, Exc::ValueError, MSG("negative count"));
      if (v.i > 0x100000) return raise_memory(vm);
      for (int64_t i = 0; i < v.i && ok; i++) ok = sb_addc(vm, 0);
    } else if (v.tag == T::Str || v.tag == T::Bytes) {
      ok = sb_add(vm, as<Str>(v)->data, as<Str>(v)->len);
    } else {
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      st = seq_items(vm, v, &items, &n, &holder);
      for (uint32_t i = 0; st == Status::Ok && ok && i < n; i++) {
        if (items[i].tag != T::Int || items[i].i < 0 || items[i].i > 255)
          st = raise_msg(vm, Exc::ValueError, MSG("bytes must be in range(0, 256)"));
        else
          ok = sb_addc(vm, static_cast<char>(items[i].i));
      }
    }
  }
  if (st != Status::Ok || !ok || !mutable_) {
    if (st != Status::Ok) { vm->scratch.len = mark; return st; }
    return sb_done(vm, mark, ok, out, T::Bytes);
  }
  size_t n = vm->scratch.len - mark;
  ByteArray* b = static_cast<ByteArray*>(gc_new(vm, T::ByteArray, sizeof(ByteArray)));
  if (b) {
    b->data = nullptr;
    b->len = b->cap = 0;
    if (n && !(b->data = static_cast<uint8_t*>(raw_alloc(vm, n)))) b = nullptr;
  }
  if (b && n) {
    __builtin_memcpy(b->data, vm->scratch.buf + mark, n);
    b->len = b->cap = static_cast<uint32_t>(n);
  }
  vm->scratch.len = mark;
  return ret_obj(out, b);
}
Status b_bytes_i(VM* vm, Args& a, Value* out) { return b_bytes(vm, a, out, false); }
Status b_bytearray(VM* vm, Args& a, Value* out) { return b_bytes(vm, a, out, true); }

Status b_callable(VM*, Args& a, Value* out) {
  T t = a.v[0].tag;
  return ret_bool(out, t == T::Func || t == T::Native || t == T::Class || t == T::Bound);
}

Status b_notype(VM* vm, Args&, Value*) { return type_error(vm, MSG("cannot create instances of this type")); }

#define TYPE(t) static_cast<uint8_t>(T::t)
const NativeDef kBuiltins[] = {
  // types first (type_native and find_builtin search them)
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
  // type objects that are not builtins names (type(x) of these values)
  {"NoneType", b_notype, 0, 0, TYPE(None), 0},
  {"function", b_notype, 0, 0, TYPE(Func), 0},
  {"builtin_function_or_method", b_notype, 0, 0, TYPE(Native), 0},
  {"type", b_notype, 0, 0, TYPE(Class), 0},
  {"module", b_notype, 0, 0, TYPE(Module), 0},
  {"method", b_notype, 0, 0, TYPE(Bound), 0},
  {"slice", b_notype, 0, 0, TYPE(Slice), 0},
};
constexpr int kNamed = 40;  // entries reachable by name
}  // namespace

const NativeDef* type_native(T t) {
  for (const NativeDef& d : kBuiltins)
    if (d.type_tag == static_cast<uint8_t>(t) && d.type_tag) return &d;
  return nullptr;
}

const NativeDef* find_builtin(Str* name) {
  for (int i = 0; i < kNamed; i++)
    if (__builtin_strcmp(kBuiltins[i].name, name->data) == 0) return &kBuiltins[i];
  return nullptr;
}

}  // namespace hilsim::vm
