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
// Dunder names by opcode, built as "__" NAME "__"; the reflected name is "__r" NAME "__"
// for arithmetic and the mirrored comparison for comparisons. Entry = name, symbol.
const char* const kOpNames[] = {
  /* ADD */ "add", "+", /* SUB */ "sub", "-", /* MUL */ "mul", "*", /* TRUEDIV */ "truediv", "/",
  /* FLOORDIV */ "floordiv", "//", /* MOD */ "mod", "%", /* POW */ "pow", "** or pow()",
  /* LSHIFT */ "lshift", "<<", /* RSHIFT */ "rshift", ">>", /* BAND */ "and", "&", /* BOR */ "or", "|",
  /* BXOR */ "xor", "^", /* IADD */ "add", "+=", /* EQ */ "eq", "==", /* NE */ "ne", "!=",
  /* LT */ "lt", "<", /* LE */ "le", "<=", /* GT */ "gt", ">", /* GE */ "ge", ">=",
};
static_assert(OP_GE - OP_ADD == 18 && OP_IADD == OP_BXOR + 1, "opcode order");

// "__NAME__" (reflected: "__rNAME__") into buf
const char* dunder_name(char* buf, const char* name, bool reflected) {
  char* p = buf;
  *p++ = '_';
  *p++ = '_';
  if (reflected) *p++ = 'r';
  while (*name) *p++ = *name++;
  *p++ = '_';
  *p++ = '_';
  *p = 0;
  return buf;
}

Status overflow(VM* vm) { return raise_msg(vm, Exc::OverflowError, MSG("integer overflow (ints are 64-bit)")); }
Status zerodiv(VM* vm, int msg) { return raise_msg(vm, Exc::ZeroDivisionError, msg); }
Status neg_shift(VM* vm) { return raise_msg(vm, Exc::ValueError, MSG("negative shift count")); }

// Result of comparison op (OP_LT..OP_GE) given c: -1 (a < b), 0 (equal), 1 (a > b),
// 2 (unordered: a NaN is involved, every comparison is false).
Status ret_cmp(Value* out, int op, int c) {
  static const uint8_t kHolds[] = {1, 3, 4, 6};  // bit c+1 set: the comparison holds
  return ret_bool(out, (kHolds[op - OP_LT] >> (c + 1)) & 1);
}
template <class N> int cmp3(N a, N b) { return a < b ? -1 : b < a ? 1 : a == b ? 0 : 2; }

// a * b overflows int64: the wrapped product divided by a gives b back only when exact
// (smaller on 32-bit targets than __builtin_mul_overflow).
__attribute__((noinline)) bool mul_ovf(int64_t a, int64_t b, int64_t* r) {
  int64_t p = static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  *r = p;
  if (a == 0) return false;
  if (a == -1) return b == INT64_MIN;
  return p / a != b;
}

Status int_pow(VM* vm, int64_t b, int64_t e, Value* out) {
  if (e < 0) {
    if (b == 0) return zerodiv(vm, MSG("0.0 cannot be raised to a negative power"));
    double r = 1, x = static_cast<double>(b);
    for (uint64_t k = 0 - static_cast<uint64_t>(e); k; k >>= 1) { if (k & 1) r *= x; x *= x; }
    *out = mk_float(1 / r);
    return Status::Ok;
  }
  int64_t r = 1;
  while (e) {
    if ((e & 1) && mul_ovf(r, b, &r)) return overflow(vm);
    e >>= 1;
    if (e && mul_ovf(b, b, &b)) return overflow(vm);
  }
  *out = mk_int(r);
  return Status::Ok;
}

// Numbers (bool is an int). Status::Syntax: the operator does not apply to numbers.
Status num_op(VM* vm, int op, const Value& x, const Value& y, Value* out) {
  if (x.tag != T::Float && y.tag != T::Float) {
    int64_t a = ival(x), b = ival(y), r = 0;
    switch (op) {
      case OP_ADD: case OP_IADD: if (__builtin_add_overflow(a, b, &r)) return overflow(vm); break;
      case OP_SUB: if (__builtin_sub_overflow(a, b, &r)) return overflow(vm); break;
      case OP_MUL: if (mul_ovf(a, b, &r)) return overflow(vm); break;
      case OP_TRUEDIV:
        if (b == 0) return zerodiv(vm, MSG("division by zero"));
        *out = mk_float(static_cast<double>(a) / static_cast<double>(b));
        return Status::Ok;
      case OP_FLOORDIV:
        if (b == 0) return zerodiv(vm, MSG("integer division or modulo by zero"));
        if (a == INT64_MIN && b == -1) return overflow(vm);
        r = floordiv_i(a, b);
        break;
      case OP_MOD:
        if (b == 0) return zerodiv(vm, MSG("integer modulo by zero"));
        if (b != -1) r = mod_i(a, b);
        break;
      case OP_POW: return int_pow(vm, a, b, out);
      case OP_LSHIFT:
        if (b < 0) return neg_shift(vm);
        if (a != 0) {
          if (b > __builtin_clrsbll(a)) return overflow(vm);  // more than its redundant sign bits
          r = static_cast<int64_t>(static_cast<uint64_t>(a) << b);
        }
        break;
      case OP_RSHIFT:
        if (b < 0) return neg_shift(vm);
        r = a >> (b >= 63 ? 63 : b);
        break;
      case OP_BAND: case OP_BOR: case OP_BXOR:
        r = op == OP_BAND ? (a & b) : op == OP_BOR ? (a | b) : (a ^ b);
        if (x.tag == T::Bool && y.tag == T::Bool) return ret_bool(out, r);
        break;
      case OP_LT: case OP_LE: case OP_GT: case OP_GE: return ret_cmp(out, op, cmp3(a, b));
      default: return Status::Syntax;
    }
    *out = mk_int(r);
    return Status::Ok;
  }
  double a = x.tag == T::Float ? x.f : static_cast<double>(ival(x));
  double b = y.tag == T::Float ? y.f : static_cast<double>(ival(y));
  double r;
  bool bzero = !(double_bits(b) << 1);  // b == 0 (either sign), without a soft-float compare
  switch (op) {
    case OP_ADD: case OP_IADD: r = a + b; break;
    case OP_SUB: r = a - b; break;
    case OP_MUL: r = a * b; break;
    case OP_TRUEDIV:
      if (bzero) return zerodiv(vm, MSG("float division by zero"));
      r = a / b;
      break;
    case OP_FLOORDIV:
      if (bzero) return zerodiv(vm, MSG("float floor division by zero"));
      r = __builtin_floor(a / b);
      break;
    case OP_MOD:
      if (bzero) return zerodiv(vm, MSG("float modulo"));
      r = __builtin_fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      break;
    case OP_POW:
      if (!(double_bits(a) << 1) && b < 0) return zerodiv(vm, MSG("0.0 cannot be raised to a negative power"));
      r = __builtin_pow(a, b);
      break;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: return ret_cmp(out, op, cmp3(a, b));
    default: return Status::Syntax;
  }
  *out = mk_float(r);
  return Status::Ok;
}

Status contains(VM* vm, const Value& c, const Value& x, bool* out) {
  *out = false;
  switch (c.tag) {
    case T::Str: {
      if (x.tag != T::Str) return type_error(vm, MSG("'in <string>' requires string as left operand, not %t"), &x);
      *out = find_in(as<Str>(c), as<Str>(x), 0) >= 0;
      return Status::Ok;
    }
    case T::Dict: {
      Value v;
      return dict_get_v(vm, as<Dict>(c), x, &v, out);
    }
    case T::Range: {
      Range* r = as<Range>(c);
      if (x.tag == T::Int || x.tag == T::Bool) {
        int64_t v = ival(x);
        if (r->step > 0 ? (v >= r->start && v < r->stop) : (v <= r->start && v > r->stop))
          *out = ((v - r->start) % r->step) == 0;
      }
      return Status::Ok;
    }
    case T::Bytes: case T::ByteArray: {
      const uint8_t* d;
      uint32_t len = bytes_view(c, &d);
      if (x.tag != T::Int) return type_error(vm, MSG("a bytes-like object is required, not '%t'"), &x);
      for (uint32_t i = 0; i < len; i++) if (d[i] == x.i) *out = true;
      return Status::Ok;
    }
    case T::Instance: {
      bool found;
      Value res;
      Status st = try_dunder(vm, c, "__contains__", &x, &res, &found);
      if (st != Status::Ok || !found) return st == Status::Ok ? seq_contains(vm, c, x, out) : st;
      *out = truthy(res);
      return Status::Ok;
    }
    case T::List: case T::Tuple: case T::Iter: return seq_contains(vm, c, x, out);
    default: return type_error(vm, MSG("argument of type '%t' is not iterable"), &c);
  }
}

Status repeat(VM* vm, const Value& s, int64_t n, Value* out) {
  if (n < 0) n = 0;
  if (s.tag == T::Str || s.tag == T::Bytes) {
    Str* x = as<Str>(s);
    if (!x->len) n = 1;
    if (static_cast<uint64_t>(n) * x->len > 0x7fffffff) return raise_memory(vm);
    size_t mark = vm->scratch.len;
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) ok = sb_add(vm, x->data, x->len);
    return sb_done(vm, mark, ok, out, s.tag);
  }
  Value* items;
  uint32_t len = seq_view(s, &items);
  if (len && static_cast<uint64_t>(n) * len > 0x1000000) return raise_memory(vm);
  uint32_t total = static_cast<uint32_t>(n) * len;
  Value* dst;
  Status st = new_seq(vm, s.tag, total, out, &dst);
  if (st == Status::Ok)
    for (uint32_t i = 0; i < total; i++) dst[i] = items[i % len];
  return st;
}

// Lexicographic comparison of list/tuple items
Status seq_compare(VM* vm, int op, const Value& x, const Value& y, Value* out) {
  Value *a, *b;
  uint32_t na = seq_view(x, &a), nb = seq_view(y, &b);
  for (uint32_t i = 0; i < na && i < nb; i++)
    if (!values_equal(a[i], b[i])) return binary_op(vm, op, a[i], b[i], out);
  return ret_cmp(out, op, cmp3(na, nb));
}
}  // namespace

Status binary_op(VM* vm, int op, const Value& x, const Value& y, Value* out) {
  T tx = x.tag, ty = y.tag;
  switch (op) {
    case OP_IS: case OP_IS_NOT: {
      bool same = tx == ty && (tx == T::None || (tx <= T::Float ? x.i == y.i : x.o == y.o));
      return ret_bool(out, same == (op == OP_IS));
    }
    case OP_IN: case OP_NOT_IN: {
      bool r;
      Status st = contains(vm, y, x, &r);
      return st != Status::Ok ? st : ret_bool(out, r == (op == OP_IN));
    }
    case OP_EQ: case OP_NE: {
      if (tx == T::Instance || ty == T::Instance) {
        bool found;
        Value r;
        Value self = tx == T::Instance ? x : y, other = tx == T::Instance ? y : x;
        Status st = try_dunder(vm, self, op == OP_EQ ? "__eq__" : "__ne__", &other, &r, &found);
        if (st != Status::Ok) return st;
        if (found) { *out = r; return Status::Ok; }
        if (op == OP_NE) {
          st = try_dunder(vm, self, "__eq__", &other, &r, &found);
          if (st != Status::Ok) return st;
          if (found) return ret_bool(out, !truthy(r));
        }
      }
      return ret_bool(out, values_equal(x, y) == (op == OP_EQ));
    }
    case OP_NEG: case OP_POS: case OP_INVERT: {
      if (tx == T::Int || tx == T::Bool) {
        int64_t v = ival(x);
        if (op == OP_NEG) {
          if (v == INT64_MIN) return overflow(vm);
          v = -v;
        } else if (op == OP_INVERT) {
          v = ~v;
        }
        *out = mk_int(v);
        return Status::Ok;
      }
      if (tx == T::Float && op != OP_INVERT) {
        *out = mk_float(op == OP_NEG ? -x.f : x.f);
        return Status::Ok;
      }
      const char* nm = op == OP_NEG ? "__neg__" : op == OP_POS ? "__pos__" : "__invert__";
      bool found;
      Status st = try_dunder(vm, x, nm, nullptr, out, &found);
      if (st != Status::Ok || found) return st;
      return type_error(vm, MSG("bad operand type for unary %s: '%t'"),
                   op == OP_NEG ? "-" : op == OP_POS ? "+" : "~", &x);
    }
    default: break;
  }
  if (is_num(x) && is_num(y)) {
    Status st = num_op(vm, op, x, y, out);
    if (st != Status::Syntax) return st;
  }
  bool strs = (tx == T::Str || tx == T::Bytes) && ty == tx;
  bool seqs = (tx == T::List || tx == T::Tuple) && ty == tx;
  if (op == OP_ADD || op == OP_IADD) {
    if (strs) {
      Str* a = as<Str>(x);
      Str* b = as<Str>(y);
      size_t mark = vm->scratch.len;
      return sb_done(vm, mark, sb_add(vm, a->data, a->len) && sb_add(vm, b->data, b->len), out, tx);
    }
    if (op == OP_IADD && tx == T::List) {
      // in-place extend with any iterable (re-reading y: it may be the list itself)
      Value* items;
      uint32_t n;
      Value holder = mk_none();
      Status st = seq_items(vm, y, &items, &n, &holder);
      if (st != Status::Ok) return st;
      push_root(vm, holder);
      for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
        if (ty == T::List) items = as<List>(y)->items;
        st = list_append(vm, as<List>(x), items[i]);
      }
      pop_roots(vm, 1);
      *out = x;
      return st;
    }
    if (op == OP_IADD && tx == T::Dict && ty == T::Dict) {  // internal: f(**d) merging
      Dict* d = as<Dict>(y);
      for (uint32_t i = 0; i < d->used; i++) {
        DictEntry& e = d->entries[i];
        if (e.key.tag == T::Undef) continue;
        Status st = dict_set(vm, as<Dict>(x), e.key, e.key.aux, e.val);
        if (st != Status::Ok) return st;
      }
      *out = x;
      return Status::Ok;
    }
    if (seqs) {
      Value *a, *b, *dst;
      uint32_t na = seq_view(x, &a), nb = seq_view(y, &b);
      Status st = new_seq(vm, tx, na + nb, out, &dst);
      if (st != Status::Ok) return st;
      copy_vals(dst, a, na);
      copy_vals(dst + na, b, nb);
      return Status::Ok;
    }
    if ((tx == T::List || tx == T::Str || tx == T::Tuple) && ty != T::Instance)
      return type_error(vm, MSG("can only concatenate %t (not \"%t\") to %t"), &x, &y, &x);
  }
  if (op == OP_MUL) {
    auto is_seq = [](T t) { return t == T::Str || t == T::List || t == T::Tuple || t == T::Bytes; };
    if (is_seq(tx) && (ty == T::Int || ty == T::Bool)) return repeat(vm, x, ival(y), out);
    if (is_seq(ty) && (tx == T::Int || tx == T::Bool)) return repeat(vm, y, ival(x), out);
  }
  if (op == OP_MOD && tx == T::Str) return format_percent(vm, as<Str>(x), y, out);
  bool cmp = op >= OP_LT && op <= OP_GE;
  if (cmp && strs) {
    Str* a = as<Str>(x);
    Str* b = as<Str>(y);
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = __builtin_memcmp(a->data, b->data, n);
    return ret_cmp(out, op, c ? (c < 0 ? -1 : 1) : cmp3(a->len, b->len));
  }
  if (cmp && seqs) return seq_compare(vm, op, x, y, out);
  if (op < OP_ADD || op > OP_GE) return type_error(vm, MSG("unsupported operand"));
  const char* const* names = &kOpNames[2 * (op - OP_ADD)];
  char buf[16];
  bool found;
  Status st = try_dunder(vm, x, dunder_name(buf, names[0], false), &y, out, &found);
  if (st != Status::Ok || found) return st;
  // reflected: __radd__ ..., comparisons mirror (< and >, <= and >=), == and != are symmetric
  const char* rname = names[0];
  bool refl = !cmp && op != OP_EQ && op != OP_NE;
  if (cmp) rname = kOpNames[2 * ((op == OP_LT ? OP_GT : op == OP_GT ? OP_LT : op == OP_LE ? OP_GE : OP_LE) - OP_ADD)];
  st = try_dunder(vm, y, dunder_name(buf, rname, refl), &x, out, &found);
  if (st != Status::Ok || found) return st;
  if (cmp) return type_error(vm, MSG("'%s' not supported between instances of '%t' and '%t'"), names[1], &x, &y);
  return type_error(vm, MSG("unsupported operand type(s) for %s: '%t' and '%t'"), names[1], &x, &y);
}

Status compare_lt(VM* vm, const Value& a, const Value& b, bool* out) {
  Value r;
  if (a.tag == T::Int && b.tag == T::Int) { *out = a.i < b.i; return Status::Ok; }
  Status st = binary_op(vm, OP_LT, a, b, &r);
  if (st == Status::Ok) *out = truthy(r);
  return st;
}

// ---- subscripts ----
namespace {
Status index_of(VM* vm, const Value& k, uint32_t len, const char* what, uint32_t* out) {
  if (k.tag != T::Int && k.tag != T::Bool)
    return type_error(vm, MSG("%s indices must be integers or slices, not %t"), what, &k);
  int64_t i = ival(k);
  if (i < 0) i += len;
  if (i < 0 || i >= static_cast<int64_t>(len)) return raise_msg(vm, Exc::IndexError, MSG("%s index out of range"), what);
  *out = static_cast<uint32_t>(i);
  return Status::Ok;
}
Status bad_slice(VM* vm) { return type_error(vm, MSG("slice indices must be integers or None or have an __index__ method")); }
}  // namespace

// Resolves a slice against a length: start, step and count of selected items.
Status slice_indices(VM* vm, Slice* s, int64_t len, int64_t* start, int64_t* step, int64_t* count) {
  int64_t st = 1;
  if (s->step.tag != T::None) {
    if (s->step.tag != T::Int) return bad_slice(vm);
    st = s->step.i;
    if (st == 0) return raise_msg(vm, Exc::ValueError, MSG("slice step cannot be zero"));
  }
  int64_t b[2];
  const Value* bv[2] = {&s->start, &s->stop};
  for (int k = 0; k < 2; k++) {
    const Value& v = *bv[k];
    if (v.tag == T::None) {
      b[k] = k == 0 ? (st > 0 ? 0 : len - 1) : (st > 0 ? len : -1);
      continue;
    }
    if (v.tag != T::Int && v.tag != T::Bool) return bad_slice(vm);
    int64_t x = ival(v);
    if (x < 0) { x += len; if (x < 0) x = st > 0 ? 0 : -1; }
    else if (x >= len) x = st > 0 ? len : len - 1;
    b[k] = x;
  }
  *start = b[0];
  *step = st;
  *count = span_count(b[0], b[1], st);
  return Status::Ok;
}

Status subscr(VM* vm, const Value& o, const Value& k, Value* out) {
  uint32_t i;
  Status st;
  T t = o.tag;
  if (k.tag == T::Slice && (t == T::List || t == T::Tuple || t == T::Str || t == T::Bytes)) {
    Value* items = nullptr;
    bool chars = t == T::Str || t == T::Bytes;
    int64_t len = chars ? as<Str>(o)->len : seq_view(o, &items);
    int64_t start, step, n;
    st = slice_indices(vm, as<Slice>(k), len, &start, &step, &n);
    if (st != Status::Ok) return st;
    if (chars) {
      size_t mark = vm->scratch.len;
      bool ok = true;
      for (int64_t j = 0; j < n && ok; j++) ok = sb_addc(vm, as<Str>(o)->data[start + j * step]);
      return sb_done(vm, mark, ok, out, t);
    }
    Value* dst;
    st = new_seq(vm, t, static_cast<uint32_t>(n), out, &dst);
    if (st == Status::Ok)
      for (int64_t j = 0; j < n; j++) dst[j] = items[start + j * step];
    return st;
  }
  switch (t) {
    case T::List: case T::Tuple: {
      Value* items;
      st = index_of(vm, k, seq_view(o, &items), t == T::List ? "list" : "tuple", &i);
      if (st == Status::Ok) *out = items[i];
      return st;
    }
    case T::Str: {
      st = index_of(vm, k, as<Str>(o)->len, "string", &i);
      if (st != Status::Ok) return st;
      return ret_obj(out, str_new(vm, as<Str>(o)->data + i, 1));
    }
    case T::Bytes: case T::ByteArray: {
      const uint8_t* d;
      st = index_of(vm, k, bytes_view(o, &d), t == T::Bytes ? "index" : "bytearray", &i);
      if (st == Status::Ok) *out = mk_int(d[i]);
      return st;
    }
    case T::Range: {
      Range* r = as<Range>(o);
      st = index_of(vm, k, static_cast<uint32_t>(range_len(r)), "range object", &i);
      if (st == Status::Ok) *out = mk_int(r->start + static_cast<int64_t>(i) * r->step);
      return st;
    }
    case T::Dict: {
      bool found;
      st = dict_get_v(vm, as<Dict>(o), k, out, &found);
      if (st != Status::Ok || found) return st;
      return raise_key_error(vm, k);
    }
    case T::Instance: {
      bool found;
      Value r;
      st = try_dunder(vm, o, "__getitem__", &k, &r, &found);
      if (st != Status::Ok) return st;
      if (found) { *out = r; return st; }
      break;
    }
    default: break;
  }
  return type_error(vm, MSG("'%t' object is not subscriptable"), &o);
}

Status store_subscr(VM* vm, const Value& o, const Value& k, const Value& v) {
  uint32_t i;
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
          if (m != n)
            return raise_msg(vm, Exc::ValueError, MSG("attempt to assign sequence of size %d to extended slice of size %d"),
                         static_cast<int>(m), static_cast<int>(n));
          for (int64_t j = 0; j < n; j++) l->items[start + j * step] = items[j];
          return Status::Ok;
        }
        // replace l[start:start+n] with items[0:m]
        uint32_t s0 = static_cast<uint32_t>(start), e0 = static_cast<uint32_t>(start + n);
        uint32_t newlen = l->len - static_cast<uint32_t>(n) + m;
        push_root(vm, holder);
        List* tmp = list_new(vm, newlen);
        pop_roots(vm, 1);
        if (!tmp) return Status::Memory;
        copy_vals(tmp->items, l->items, s0);
        copy_vals(tmp->items + s0, items, m);
        copy_vals(tmp->items + s0 + m, l->items + e0, l->len - e0);
        Value* old = l->items;
        l->items = tmp->items;
        l->cap = tmp->cap;
        l->len = newlen;
        tmp->items = old;
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
      if (v.tag != T::Int || v.i < 0 || v.i > 255) return raise_msg(vm, Exc::ValueError, MSG("byte must be in range(0, 256)"));
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
  return type_error(vm, MSG("'%t' object does not support item assignment"), &o);
}

Status del_subscr(VM* vm, const Value& o, const Value& k) {
  if (o.tag == T::List) {
    List* l = as<List>(o);
    int64_t start, step, n = 1;
    if (k.tag == T::Slice) {
      Status st = slice_indices(vm, as<Slice>(k), l->len, &start, &step, &n);
      if (st != Status::Ok) return st;
      if (step < 0) { start = start + (n - 1) * step; step = -step; }
    } else {
      uint32_t i;
      Status st = index_of(vm, k, l->len, "list assignment", &i);
      if (st != Status::Ok) return st;
      start = i;
      step = 1;
    }
    // drop items start, start+step, ... (n of them)
    uint32_t w = 0;
    for (uint32_t j = 0; j < l->len; j++) {
      int64_t d = static_cast<int64_t>(j) - start;
      if (!(n > 0 && d >= 0 && d % step == 0 && d / step < n)) l->items[w++] = l->items[j];
    }
    l->len = w;
    return Status::Ok;
  }
  if (o.tag == T::Dict) {
    uint32_t h;
    if (value_hash(vm, k, &h) != Status::Ok) return Status::Runtime;
    if (!dict_del(as<Dict>(o), k, h)) return raise_key_error(vm, k);
    return Status::Ok;
  }
  return type_error(vm, MSG("'%t' object does not support item deletion"), &o);
}

}  // namespace hilsim::vm
