// Operators on values: arithmetic with overflow checks (OverflowError instead of wrap),
// Python's floor division and modulo, comparisons (numbers, strings, sequences
// lexicographically), containment, the dunder fallbacks for class instances
// (__add__/__radd__, __eq__, __lt__, __len__, __getitem__, __contains__ ...),
// and subscripting/slicing of sequences and dicts.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

Status format_percent(VM* vm, Str* fmt, const Value& args, Value* out);

namespace {
struct DunderName { Op op; const char* name; const char* rname; const char* sym; };
const DunderName kDunders[] = {
  {OP_ADD, "__add__", "__radd__", "+"}, {OP_IADD, "__add__", "__radd__", "+="},
  {OP_SUB, "__sub__", "__rsub__", "-"}, {OP_MUL, "__mul__", "__rmul__", "*"},
  {OP_TRUEDIV, "__truediv__", "__rtruediv__", "/"}, {OP_FLOORDIV, "__floordiv__", "__rfloordiv__", "//"},
  {OP_MOD, "__mod__", "__rmod__", "%"}, {OP_POW, "__pow__", "__rpow__", "** or pow()"},
  {OP_LSHIFT, "__lshift__", "__rlshift__", "<<"}, {OP_RSHIFT, "__rshift__", "__rrshift__", ">>"},
  {OP_BAND, "__and__", "__rand__", "&"}, {OP_BOR, "__or__", "__ror__", "|"},
  {OP_BXOR, "__xor__", "__rxor__", "^"},
  {OP_EQ, "__eq__", "__eq__", "=="}, {OP_NE, "__ne__", "__ne__", "!="},
  {OP_LT, "__lt__", "__gt__", "<"}, {OP_LE, "__le__", "__ge__", "<="},
  {OP_GT, "__gt__", "__lt__", ">"}, {OP_GE, "__ge__", "__le__", ">="},
  {OP_NEG, "__neg__", nullptr, "unary -"}, {OP_POS, "__pos__", nullptr, "unary +"},
  {OP_INVERT, "__invert__", nullptr, "unary ~"},
};
const DunderName* dunder_of(int op) {
  for (const auto& d : kDunders) if (d.op == op) return &d;
  return nullptr;
}

// Try a dunder on an instance: *found=false when not defined
Status try_dunder(VM* vm, const Value& self, const char* name, const Value* other, Value* out, bool* found) {
  *found = false;
  if (self.tag != T::Instance || !name) return Status::Ok;
  Str* nm = str_intern(vm, name, __builtin_strlen(name));
  if (!nm) return Status::Memory;
  Value fn = lookup_class_attr(as<Instance>(self)->cls, nm, found);
  if (!*found) return Status::Ok;
  Value args[2] = {self, other ? *other : mk_none()};
  return call_value(vm, fn, args, other ? 2 : 1, out);
}

inline bool is_num(Value v) { return v.tag == T::Int || v.tag == T::Float || v.tag == T::Bool; }
inline int64_t as_i(Value v) { return v.tag == T::Bool ? v.b : v.i; }
inline double as_f(Value v) { return v.tag == T::Float ? v.f : static_cast<double>(as_i(v)); }

Status overflow(VM* vm) { return raise(vm, Exc::OverflowError, "integer overflow (ints are 64-bit)"); }

double fmod_py(double a, double b) {
  double m = __builtin_fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

Status int_pow(VM* vm, int64_t b, int64_t e, Value* out) {
  if (e < 0) {
    double r = 1, x = static_cast<double>(b);
    for (int64_t k = -e; k; k >>= 1) { if (k & 1) r *= x; x *= x; }
    if (b == 0) return raise(vm, Exc::ZeroDivisionError, "0.0 cannot be raised to a negative power");
    *out = mk_float(1 / r);
    return Status::Ok;
  }
  int64_t r = 1;
  while (e) {
    if (e & 1) { if (__builtin_mul_overflow(r, b, &r)) return overflow(vm); }
    e >>= 1;
    if (e && __builtin_mul_overflow(b, b, &b)) return overflow(vm);
  }
  *out = mk_int(r);
  return Status::Ok;
}

Status num_op(VM* vm, int op, const Value& x, const Value& y, Value* out) {
  bool ints = x.tag != T::Float && y.tag != T::Float;
  if (ints) {
    int64_t a = as_i(x), b = as_i(y), r = 0;
    switch (op) {
      case OP_ADD: case OP_IADD: if (__builtin_add_overflow(a, b, &r)) return overflow(vm); break;
      case OP_SUB: if (__builtin_sub_overflow(a, b, &r)) return overflow(vm); break;
      case OP_MUL: if (__builtin_mul_overflow(a, b, &r)) return overflow(vm); break;
      case OP_TRUEDIV:
        if (b == 0) return raise(vm, Exc::ZeroDivisionError, "division by zero");
        *out = mk_float(static_cast<double>(a) / static_cast<double>(b));
        return Status::Ok;
      case OP_FLOORDIV:
        if (b == 0) return raise(vm, Exc::ZeroDivisionError, "integer division or modulo by zero");
        if (a == INT64_MIN && b == -1) return overflow(vm);
        r = floordiv_i(a, b);
        break;
      case OP_MOD:
        if (b == 0) return raise(vm, Exc::ZeroDivisionError, "integer modulo by zero");
        if (b == -1) { r = 0; break; }
        r = mod_i(a, b);
        break;
      case OP_POW: return int_pow(vm, a, b, out);
      case OP_LSHIFT:
        if (b < 0) return raise(vm, Exc::ValueError, "negative shift count");
        if (b >= 63 || (a != 0 && (a > (INT64_MAX >> b) || a < (INT64_MIN >> b)))) {
          if (a == 0) { r = 0; break; }
          return overflow(vm);
        }
        r = static_cast<int64_t>(static_cast<uint64_t>(a) << b);
        break;
      case OP_RSHIFT:
        if (b < 0) return raise(vm, Exc::ValueError, "negative shift count");
        r = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
        break;
      case OP_BAND: r = a & b; if (x.tag == T::Bool && y.tag == T::Bool) { *out = mk_bool(r); return Status::Ok; } break;
      case OP_BOR: r = a | b; if (x.tag == T::Bool && y.tag == T::Bool) { *out = mk_bool(r); return Status::Ok; } break;
      case OP_BXOR: r = a ^ b; if (x.tag == T::Bool && y.tag == T::Bool) { *out = mk_bool(r); return Status::Ok; } break;
      case OP_LT: *out = mk_bool(a < b); return Status::Ok;
      case OP_LE: *out = mk_bool(a <= b); return Status::Ok;
      case OP_GT: *out = mk_bool(a > b); return Status::Ok;
      case OP_GE: *out = mk_bool(a >= b); return Status::Ok;
      default: return Status::Syntax;  // not handled
    }
    *out = mk_int(r);
    return Status::Ok;
  }
  double a = as_f(x), b = as_f(y), r;
  switch (op) {
    case OP_ADD: case OP_IADD: r = a + b; break;
    case OP_SUB: r = a - b; break;
    case OP_MUL: r = a * b; break;
    case OP_TRUEDIV:
      if (b == 0) return raise(vm, Exc::ZeroDivisionError, "float division by zero");
      r = a / b;
      break;
    case OP_FLOORDIV:
      if (b == 0) return raise(vm, Exc::ZeroDivisionError, "float floor division by zero");
      r = __builtin_floor(a / b);
      break;
    case OP_MOD:
      if (b == 0) return raise(vm, Exc::ZeroDivisionError, "float modulo");
      r = fmod_py(a, b);
      break;
    case OP_POW:
      if (a == 0 && b < 0) return raise(vm, Exc::ZeroDivisionError, "0.0 cannot be raised to a negative power");
      r = __builtin_pow(a, b);
      break;
    case OP_LT: *out = mk_bool(a < b); return Status::Ok;
    case OP_LE: *out = mk_bool(a <= b); return Status::Ok;
    case OP_GT: *out = mk_bool(a > b); return Status::Ok;
    case OP_GE: *out = mk_bool(a >= b); return Status::Ok;
    default: return Status::Syntax;
  }
  *out = mk_float(r);
  return Status::Ok;
}

int cmp_bytes(const char* a, uint32_t na, const char* b, uint32_t nb) {
  uint32_t n = na < nb ? na : nb;
  int c = __builtin_memcmp(a, b, n);
  if (c) return c;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

Status contains(VM* vm, const Value& c, const Value& x, bool* out) {
  switch (c.tag) {
    case T::Str: {
      if (x.tag != T::Str) return raise(vm, Exc::TypeError, "'in <string>' requires string as left operand, not %T", x);
      Str* h = as<Str>(c);
      Str* n = as<Str>(x);
      *out = false;
      if (n->len == 0) { *out = true; return Status::Ok; }
      for (uint32_t i = 0; i + n->len <= h->len; i++)
        if (__builtin_memcmp(h->data + i, n->data, n->len) == 0) { *out = true; break; }
      return Status::Ok;
    }
    case T::Dict: {
      Value v;
      return dict_get_v(vm, as<Dict>(c), x, &v, out);
    }
    case T::Range: {
      Range* r = as<Range>(c);
      *out = false;
      if (x.tag == T::Int || x.tag == T::Bool) {
        int64_t v = as_i(x);
        if (r->step > 0 ? (v >= r->start && v < r->stop) : (v <= r->start && v > r->stop))
          *out = ((v - r->start) % r->step) == 0;
      }
      return Status::Ok;
    }
    case T::Instance: {
      bool found;
      Value res;
      Status st = try_dunder(vm, c, "__contains__", &x, &res, &found);
      if (st != Status::Ok) return st;
      if (found) { *out = truthy(res); return Status::Ok; }
      break;
    }
    default: break;
  }
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  if (c.tag == T::Bytes || c.tag == T::ByteArray) {
    // byte membership
    const uint8_t* d = c.tag == T::Bytes ? reinterpret_cast<const uint8_t*>(as<Str>(c)->data) : as<ByteArray>(c)->data;
    uint32_t len = c.tag == T::Bytes ? as<Str>(c)->len : as<ByteArray>(c)->len;
    *out = false;
    if (x.tag == T::Int) { for (uint32_t i = 0; i < len; i++) if (d[i] == x.i) *out = true; return Status::Ok; }
    return raise(vm, Exc::TypeError, "a bytes-like object is required, not '%T'", x);
  }
  if (c.tag != T::List && c.tag != T::Tuple && c.tag != T::Iter && c.tag != T::Instance)
    return raise(vm, Exc::TypeError, "argument of type '%T' is not iterable", c);
  Status st = seq_items(vm, c, &items, &n, &holder);
  if (st != Status::Ok) return st;
  *out = false;
  for (uint32_t i = 0; i < n; i++) if (values_equal(items[i], x)) { *out = true; break; }
  return Status::Ok;
}

Status concat_seq(VM* vm, const Value& x, const Value& y, Value* out) {
  if (x.tag == T::List) {
    List* a = as<List>(x);
    List* b = as<List>(y);
    List* l = list_new(vm, a->len + b->len);
    if (!l) return Status::Memory;
    for (uint32_t i = 0; i < a->len; i++) l->items[i] = a->items[i];
    for (uint32_t i = 0; i < b->len; i++) l->items[a->len + i] = b->items[i];
    l->len = a->len + b->len;
    *out = mk_obj(l);
  } else {
    Tuple* a = as<Tuple>(x);
    Tuple* b = as<Tuple>(y);
    Tuple* t = tuple_new(vm, a->len + b->len);
    if (!t) return Status::Memory;
    for (uint32_t i = 0; i < a->len; i++) t->items[i] = a->items[i];
    for (uint32_t i = 0; i < b->len; i++) t->items[a->len + i] = b->items[i];
    *out = mk_obj(t);
  }
  return Status::Ok;
}

Status repeat(VM* vm, const Value& s, int64_t n, Value* out) {
  if (n < 0) n = 0;
  if (s.tag == T::Str || s.tag == T::Bytes) {
    Str* x = as<Str>(s);
    if (x->len && static_cast<uint64_t>(n) * x->len > 0x7fffffff) return raise(vm, Exc::MemoryError, "");
    size_t mark = vm->scratch.len;
    for (int64_t i = 0; i < n; i++) if (!sb_add(vm, x->data, x->len)) { vm->scratch.len = mark; return Status::Memory; }
    Str* r = s.tag == T::Str ? sb_take(vm, mark) : bytes_new(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
    vm->scratch.len = mark;
    if (!r) return Status::Memory;
    *out = mk_obj(r);
    return Status::Ok;
  }
  Value* items;
  uint32_t len;
  if (s.tag == T::List) { items = as<List>(s)->items; len = as<List>(s)->len; }
  else { items = as<Tuple>(s)->items; len = as<Tuple>(s)->len; }
  if (len && static_cast<uint64_t>(n) * len > 0x1000000) return raise(vm, Exc::MemoryError, "");
  uint32_t total = static_cast<uint32_t>(n * len);
  if (s.tag == T::List) {
    List* l = list_new(vm, total);
    if (!l) return Status::Memory;
    for (uint32_t i = 0; i < total; i++) l->items[i] = items[i % len];
    l->len = total;
    *out = mk_obj(l);
  } else {
    Tuple* t = tuple_new(vm, total);
    if (!t) return Status::Memory;
    for (uint32_t i = 0; i < total; i++) t->items[i] = items[i % len];
    *out = mk_obj(t);
  }
  return Status::Ok;
}

Status seq_compare(VM* vm, int op, const Value* a, uint32_t na, const Value* b, uint32_t nb, Value* out) {
  uint32_t n = na < nb ? na : nb;
  for (uint32_t i = 0; i < n; i++) {
    if (!values_equal(a[i], b[i])) return binary_op(vm, op, a[i], b[i], out);
  }
  bool r;
  switch (op) {
    case OP_LT: r = na < nb; break;
    case OP_LE: r = na <= nb; break;
    case OP_GT: r = na > nb; break;
    default: r = na >= nb; break;
  }
  *out = mk_bool(r);
  return Status::Ok;
}
}  // namespace

Status binary_op(VM* vm, int op, const Value& x, const Value& y, Value* out) {
  switch (op) {
    case OP_IS: *out = mk_bool(x.tag == y.tag && (x.tag <= T::Bool ? x.b == y.b || x.tag == T::None : x.i == y.i)); return Status::Ok;
    case OP_IS_NOT: {
      Status st = binary_op(vm, OP_IS, x, y, out);
      out->b = !out->b;
      return st;
    }
    case OP_IN: case OP_NOT_IN: {
      bool r;
      Status st = contains(vm, y, x, &r);
      if (st != Status::Ok) return st;
      *out = mk_bool(op == OP_IN ? r : !r);
      return Status::Ok;
    }
    case OP_EQ: case OP_NE: {
      bool found = false;
      Value r;
      if (x.tag == T::Instance || y.tag == T::Instance) {
        Value self = x.tag == T::Instance ? x : y, other = x.tag == T::Instance ? y : x;
        Status st = try_dunder(vm, self, op == OP_EQ ? "__eq__" : "__ne__", &other, &r, &found);
        if (st != Status::Ok) return st;
        if (!found && op == OP_NE) {
          st = try_dunder(vm, self, "__eq__", &other, &r, &found);
          if (st != Status::Ok) return st;
          if (found) { *out = mk_bool(!truthy(r)); return Status::Ok; }
        }
        if (found) { *out = r; return Status::Ok; }
      }
      bool eq = values_equal(x, y);
      *out = mk_bool(op == OP_EQ ? eq : !eq);
      return Status::Ok;
    }
    case OP_NEG: case OP_POS: case OP_INVERT: {
      if (x.tag == T::Int || x.tag == T::Bool) {
        int64_t v = as_i(x);
        if (op == OP_NEG) { if (v == INT64_MIN) return overflow(vm); *out = mk_int(-v); }
        else if (op == OP_POS) *out = mk_int(v);
        else *out = mk_int(~v);
        return Status::Ok;
      }
      if (x.tag == T::Float && op != OP_INVERT) { *out = mk_float(op == OP_NEG ? -x.f : x.f); return Status::Ok; }
      const DunderName* d = dunder_of(op);
      bool found;
      Status st = try_dunder(vm, x, d->name, nullptr, out, &found);
      if (st != Status::Ok || found) return st;
      return raise(vm, Exc::TypeError, "bad operand type for %s: '%T'", d->sym, x);
    }
    default: break;
  }
  if (is_num(x) && is_num(y)) {
    Status st = num_op(vm, op, x, y, out);
    if (st != Status::Syntax) return st;
  }
  T tx = x.tag, ty = y.tag;
  if (op == OP_ADD || op == OP_IADD) {
    if ((tx == T::Str && ty == T::Str) || (tx == T::Bytes && ty == T::Bytes)) {
      Str* a = as<Str>(x);
      Str* b = as<Str>(y);
      size_t mark = vm->scratch.len;
      if (!sb_add(vm, a->data, a->len) || !sb_add(vm, b->data, b->len)) { vm->scratch.len = mark; return Status::Memory; }
      Str* r = tx == T::Str ? sb_take(vm, mark) : bytes_new(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
      vm->scratch.len = mark;
      if (!r) return Status::Memory;
      *out = mk_obj(r);
      return Status::Ok;
    }
    if (op == OP_IADD && tx == T::List) {
      // in-place extend with any iterable
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      Status st = seq_items(vm, y, &items, &n, &holder);
      if (st != Status::Ok) return st;
      push_root(vm, holder);
      for (uint32_t i = 0; i < n && st == Status::Ok; i++) st = list_append(vm, as<List>(x), items[i]);
      pop_roots(vm, 1);
      *out = x;
      return st;
    }
    if (op == OP_IADD && tx == T::Dict && ty == T::Dict) {  // internal: f(**d) merging
      Dict* d = as<Dict>(y);
      for (uint32_t i = 0; i < d->used; i++) {
        if (d->entries[i].key.tag == T::Undef) continue;
        Status st = dict_set(vm, as<Dict>(x), d->entries[i].key, d->entries[i].hash, d->entries[i].val);
        if (st != Status::Ok) return st;
      }
      *out = x;
      return Status::Ok;
    }
    if ((tx == T::List && ty == T::List) || (tx == T::Tuple && ty == T::Tuple)) return concat_seq(vm, x, y, out);
    if (tx == T::List && ty != T::List && ty != T::Instance)
      return raise(vm, Exc::TypeError, "can only concatenate list (not \"%T\") to list", y);
    if (tx == T::Str && ty != T::Instance)
      return raise(vm, Exc::TypeError, "can only concatenate str (not \"%T\") to str", y);
    if (tx == T::Tuple && ty != T::Instance)
      return raise(vm, Exc::TypeError, "can only concatenate tuple (not \"%T\") to tuple", y);
  }
  if (op == OP_MUL) {
    bool sx = tx == T::Str || tx == T::List || tx == T::Tuple || tx == T::Bytes;
    bool sy = ty == T::Str || ty == T::List || ty == T::Tuple || ty == T::Bytes;
    if (sx && (ty == T::Int || ty == T::Bool)) return repeat(vm, x, as_i(y), out);
    if (sy && (tx == T::Int || tx == T::Bool)) return repeat(vm, y, as_i(x), out);
  }
  if (op == OP_MOD && tx == T::Str) return format_percent(vm, as<Str>(x), y, out);
  if (op >= OP_LT && op <= OP_GE) {
    if ((tx == T::Str && ty == T::Str) || (tx == T::Bytes && ty == T::Bytes)) {
      int c = cmp_bytes(as<Str>(x)->data, as<Str>(x)->len, as<Str>(y)->data, as<Str>(y)->len);
      bool r = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
      *out = mk_bool(r);
      return Status::Ok;
    }
    if (tx == T::List && ty == T::List)
      return seq_compare(vm, op, as<List>(x)->items, as<List>(x)->len, as<List>(y)->items, as<List>(y)->len, out);
    if (tx == T::Tuple && ty == T::Tuple)
      return seq_compare(vm, op, as<Tuple>(x)->items, as<Tuple>(x)->len, as<Tuple>(y)->items, as<Tuple>(y)->len, out);
  }
  const DunderName* d = dunder_of(op);
  if (d) {
    bool found;
    Status st = try_dunder(vm, x, d->name, &y, out, &found);
    if (st != Status::Ok) return st;
    if (found) return Status::Ok;
    st = try_dunder(vm, y, d->rname, &x, out, &found);
    if (st != Status::Ok) return st;
    if (found) return Status::Ok;
    if (op >= OP_LT && op <= OP_GE)
      return raise(vm, Exc::TypeError, "'%s' not supported between instances of '%T' and '%T'", d->sym, x, y);
    return raise(vm, Exc::TypeError, "unsupported operand type(s) for %s: '%T' and '%T'", d->sym, x, y);
  }
  return raise(vm, Exc::TypeError, "unsupported operand");
}

Status compare_lt(VM* vm, const Value& a, const Value& b, bool* out) {
  Value r;
  if (a.tag == T::Int && b.tag == T::Int) { *out = a.i < b.i; return Status::Ok; }
  Status st = binary_op(vm, OP_LT, a, b, &r);
  if (st != Status::Ok) return st;
  *out = truthy(r);
  return Status::Ok;
}

// ---- subscripts ----
namespace {
Status index_of(VM* vm, const Value& k, uint32_t len, const char* what, int64_t* out) {
  if (k.tag != T::Int && k.tag != T::Bool)
    return raise(vm, Exc::TypeError, "%s indices must be integers or slices, not %T", what, k);
  int64_t i = as_i(k);
  if (i < 0) i += len;
  if (i < 0 || i >= static_cast<int64_t>(len)) return raise(vm, Exc::IndexError, "%s index out of range", what);
  *out = i;
  return Status::Ok;
}

Status slice_bound(VM* vm, const Value& v, int64_t def, int64_t len, int64_t* out) {
  if (v.tag == T::None) { *out = def; return Status::Ok; }
  if (v.tag != T::Int && v.tag != T::Bool)
    return raise(vm, Exc::TypeError, "slice indices must be integers or None or have an __index__ method");
  *out = as_i(v);
  return Status::Ok;
  (void)len;
}
}  // namespace

// Resolves a slice against a length: start, step and count of selected items.
Status slice_indices(VM* vm, Slice* s, int64_t len, int64_t* start, int64_t* step, int64_t* count) {
  int64_t st = 1;
  if (s->step.tag != T::None) {
    if (s->step.tag != T::Int) return raise(vm, Exc::TypeError, "slice indices must be integers or None or have an __index__ method");
    st = s->step.i;
    if (st == 0) return raise(vm, Exc::ValueError, "slice step cannot be zero");
  }
  int64_t a = 0, b = 0;
  Status r = slice_bound(vm, s->start, st > 0 ? 0 : len - 1, len, &a);
  if (r != Status::Ok) return r;
  r = slice_bound(vm, s->stop, st > 0 ? len : -len - 1, len, &b);
  if (r != Status::Ok) return r;
  auto clamp = [&](int64_t v, bool is_stop) {
    (void)is_stop;
    if (v < 0) { v += len; if (v < 0) v = st > 0 ? 0 : -1; }
    else if (v >= len) v = st > 0 ? len : len - 1;
    return v;
  };
  if (s->start.tag != T::None) a = clamp(a, false);
  if (s->stop.tag != T::None) b = clamp(b, true);
  else b = st > 0 ? len : -1;
  int64_t n = 0;
  if (st > 0 && b > a) n = (b - a + st - 1) / st;
  if (st < 0 && a > b) n = (a - b + (-st) - 1) / (-st);
  *start = a;
  *step = st;
  *count = n;
  return Status::Ok;
}

Status subscr(VM* vm, const Value& o, const Value& k, Value* out) {
  int64_t i;
  Status st;
  if (k.tag == T::Slice && (o.tag == T::List || o.tag == T::Tuple || o.tag == T::Str || o.tag == T::Bytes)) {
    int64_t len = o.tag == T::List ? as<List>(o)->len : o.tag == T::Tuple ? as<Tuple>(o)->len : as<Str>(o)->len;
    int64_t start, step, n;
    st = slice_indices(vm, as<Slice>(k), len, &start, &step, &n);
    if (st != Status::Ok) return st;
    if (o.tag == T::Str || o.tag == T::Bytes) {
      size_t mark = vm->scratch.len;
      for (int64_t j = 0; j < n; j++) if (!sb_addc(vm, as<Str>(o)->data[start + j * step])) { vm->scratch.len = mark; return Status::Memory; }
      Str* r = o.tag == T::Str ? sb_take(vm, mark) : bytes_new(vm, vm->scratch.buf + mark, vm->scratch.len - mark);
      vm->scratch.len = mark;
      if (!r) return Status::Memory;
      *out = mk_obj(r);
      return Status::Ok;
    }
    const Value* items = o.tag == T::List ? as<List>(o)->items : as<Tuple>(o)->items;
    if (o.tag == T::List) {
      List* l = list_new(vm, static_cast<uint32_t>(n));
      if (!l) return Status::Memory;
      for (int64_t j = 0; j < n; j++) l->items[j] = items[start + j * step];
      l->len = static_cast<uint32_t>(n);
      *out = mk_obj(l);
    } else {
      Tuple* t = tuple_new(vm, static_cast<uint32_t>(n));
      if (!t) return Status::Memory;
      for (int64_t j = 0; j < n; j++) t->items[j] = items[start + j * step];
      *out = mk_obj(t);
    }
    return Status::Ok;
  }
  switch (o.tag) {
    case T::List:
      st = index_of(vm, k, as<List>(o)->len, "list", &i);
      if (st == Status::Ok) *out = as<List>(o)->items[i];
      return st;
    case T::Tuple:
      st = index_of(vm, k, as<Tuple>(o)->len, "tuple", &i);
      if (st == Status::Ok) *out = as<Tuple>(o)->items[i];
      return st;
    case T::Str: {
      st = index_of(vm, k, as<Str>(o)->len, "string", &i);
      if (st != Status::Ok) return st;
      Str* r = str_new(vm, as<Str>(o)->data + i, 1);
      if (!r) return Status::Memory;
      *out = mk_obj(r);
      return Status::Ok;
    }
    case T::Bytes:
      st = index_of(vm, k, as<Str>(o)->len, "index", &i);
      if (st == Status::Ok) *out = mk_int(static_cast<uint8_t>(as<Str>(o)->data[i]));
      return st;
    case T::ByteArray:
      st = index_of(vm, k, as<ByteArray>(o)->len, "bytearray", &i);
      if (st == Status::Ok) *out = mk_int(as<ByteArray>(o)->data[i]);
      return st;
    case T::Range: {
      Range* r = as<Range>(o);
      int64_t n = 0;
      if (r->step > 0 && r->stop > r->start) n = (r->stop - r->start + r->step - 1) / r->step;
      if (r->step < 0 && r->start > r->stop) n = (r->start - r->stop - r->step - 1) / (-r->step);
      st = index_of(vm, k, static_cast<uint32_t>(n), "range object", &i);
      if (st == Status::Ok) *out = mk_int(r->start + i * r->step);
      return st;
    }
    case T::Dict: {
      bool found;
      st = dict_get_v(vm, as<Dict>(o), k, out, &found);
      if (st != Status::Ok) return st;
      if (!found) {
        Value e;
        Status s2 = make_exception(vm, Exc::KeyError, nullptr, &e);
        if (s2 != Status::Ok) return s2;
        push_root(vm, e);
        Tuple* t = tuple_new(vm, 1);
        pop_roots(vm, 1);
        if (!t) return Status::Memory;
        t->items[0] = k;
        push_root(vm, e);
        s2 = dict_set_str(vm, as<Instance>(e)->dict, vm->s_args, mk_obj(t));
        pop_roots(vm, 1);
        if (s2 != Status::Ok) return s2;
        return exc_set(vm, e);
      }
      return Status::Ok;
    }
    case T::Instance: {
      bool found;
      Value fn = lookup_class_attr(as<Instance>(o)->cls, str_intern(vm, "__getitem__", 11), &found);
      if (found) {
        Value a[2] = {o, k};
        return call_value(vm, fn, a, 2, out);
      }
      break;
    }
    default: break;
  }
  return raise(vm, Exc::TypeError, "'%T' object is not subscriptable", o);
}

Status store_subscr(VM* vm, const Value& o, const Value& k, const Value& v) {
  int64_t i;
  Status st;
  switch (o.tag) {
    case T::List: {
      List* l = as<List>(o);
      if (k.tag == T::Slice) {
        int64_t start, step, n;
        st = slice_indices(vm, as<Slice>(k), l->len, &start, &step, &n);
        if (st != Status::Ok) return st;
        Value* items;
        uint32_t m;
        Value holder = mk_none();
        st = seq_items(vm, v, &items, &m, &holder);
        if (st != Status::Ok) return st;
        if (step != 1) {
          if (m != n) return raise(vm, Exc::ValueError, "attempt to assign sequence of size %d to extended slice of size %d", static_cast<int>(m), static_cast<int>(n));
          for (int64_t j = 0; j < n; j++) l->items[start + j * step] = items[j];
          return Status::Ok;
        }
        // replace l[start:start+n] with items[0:m]
        uint32_t newlen = static_cast<uint32_t>(l->len - n + m);
        push_root(vm, holder);
        List* tmp = list_new(vm, newlen);
        pop_roots(vm, 1);
        if (!tmp) return Status::Memory;
        uint32_t w = 0;
        for (int64_t j = 0; j < start; j++) tmp->items[w++] = l->items[j];
        for (uint32_t j = 0; j < m; j++) tmp->items[w++] = items[j];
        for (uint32_t j = static_cast<uint32_t>(start + n); j < l->len; j++) tmp->items[w++] = l->items[j];
        Value* old = l->items;
        l->items = tmp->items;
        l->cap = tmp->cap;
        l->len = newlen;
        tmp->items = old;
        tmp->len = 0;
        return Status::Ok;
      }
      st = index_of(vm, k, l->len, "list assignment", &i);
      if (st == Status::Ok) l->items[i] = v;
      return st;
    }
    case T::Dict: return dict_set_v(vm, as<Dict>(o), k, v);
    case T::ByteArray: {
      st = index_of(vm, k, as<ByteArray>(o)->len, "bytearray", &i);
      if (st != Status::Ok) return st;
      if (v.tag != T::Int || v.i < 0 || v.i > 255) return raise(vm, Exc::ValueError, "byte must be in range(0, 256)");
      as<ByteArray>(o)->data[i] = static_cast<uint8_t>(v.i);
      return Status::Ok;
    }
    case T::Instance: {
      bool found;
      Value fn = lookup_class_attr(as<Instance>(o)->cls, str_intern(vm, "__setitem__", 11), &found);
      if (found) {
        Value a[3] = {o, k, v};
        Value r;
        return call_value(vm, fn, a, 3, &r);
      }
      break;
    }
    default: break;
  }
  return raise(vm, Exc::TypeError, "'%T' object does not support item assignment", o);
}

Status del_subscr(VM* vm, const Value& o, const Value& k) {
  if (o.tag == T::List) {
    List* l = as<List>(o);
    int64_t i;
    if (k.tag == T::Slice) {
      int64_t start, step, n;
      Status st = slice_indices(vm, as<Slice>(k), l->len, &start, &step, &n);
      if (st != Status::Ok) return st;
      if (step < 0) { start = start + (n - 1) * step; step = -step; }
      uint32_t w = 0;
      for (uint32_t j = 0; j < l->len; j++) {
        bool del = n > 0 && static_cast<int64_t>(j) >= start && (static_cast<int64_t>(j) - start) % step == 0 &&
                   (static_cast<int64_t>(j) - start) / step < n;
        if (!del) l->items[w++] = l->items[j];
      }
      l->len = w;
      return Status::Ok;
    }
    Status st = index_of(vm, k, l->len, "list assignment", &i);
    if (st != Status::Ok) return st;
    for (uint32_t j = static_cast<uint32_t>(i); j + 1 < l->len; j++) l->items[j] = l->items[j + 1];
    l->len--;
    return Status::Ok;
  }
  if (o.tag == T::Dict) {
    uint32_t h;
    if (value_hash(vm, k, &h) != Status::Ok) return Status::Runtime;
    if (!dict_del(as<Dict>(o), k, h)) {
      Value dummy;
      return subscr(vm, o, k, &dummy);  // raises KeyError(k)
    }
    return Status::Ok;
  }
  return raise(vm, Exc::TypeError, "'%T' object does not support item deletion", o);
}

}  // namespace hilsim::vm
