// Object model helpers: lists/tuples, equality and truthiness, the class machinery
// (attribute lookup through single inheritance, bound methods, super), str()/repr()
// of every value (calling __str__/__repr__ where defined), exceptions, and iteration.
#include "vm/internal.h"

namespace hilsim::vm {

const NativeDef* exc_init_def();
const NativeDef* noop_init_def();

List* list_new(VM* vm, uint32_t cap) {
  List* l = static_cast<List*>(gc_new(vm, T::List, sizeof(List)));
  if (!l) return nullptr;
  l->len = 0;
  l->cap = cap;
  l->items = nullptr;
  if (cap && !(l->items = static_cast<Value*>(raw_alloc(vm, cap * sizeof(Value))))) return nullptr;
  return l;
}

Status list_append(VM* vm, List* l, const Value& v0) {
  Value v = v0;  // v0 may point into l->items, which the growth below frees
  if (l->len == l->cap) {
    uint32_t ncap = l->cap < 4 ? 4 : l->cap + l->cap / 2;
    Value* n = static_cast<Value*>(raw_alloc(vm, ncap * sizeof(Value)));
    if (!n) return Status::Memory;
    copy_vals(n, l->items, l->len);
    heap_free(vm->heap, l->items);
    l->items = n;
    l->cap = ncap;
  }
  l->items[l->len++] = v;
  return Status::Ok;
}

Tuple* tuple_new(VM* vm, uint32_t n) {
  Tuple* t = static_cast<Tuple*>(gc_new(vm, T::Tuple, sizeof(Tuple) + (n ? n - 1 : 0) * sizeof(Value)));
  if (!t) return nullptr;
  t->len = n;
  for (uint32_t i = 0; i < n; i++) t->items[i] = mk_none();
  return t;
}

Status ret_bool(Value* out, bool b) {
  *out = mk_bool(b);
  return Status::Ok;
}
Status ret_obj(Value* out, Obj* o) {
  if (!o) return Status::Memory;
  *out = mk_obj(o);
  return Status::Ok;
}

Status new_seq(VM* vm, T type, uint32_t n, Value* out, Value** items) {
  Obj* o;
  if (type == T::List) {
    List* l = list_new(vm, n);
    if (l) { l->len = n; *items = l->items; }
    o = l;
  } else {
    Tuple* t = tuple_new(vm, n);
    if (t) *items = t->items;
    o = t;
  }
  return ret_obj(out, o);
}

uint32_t seq_view(const Value& v, Value** items) {
  if (v.tag == T::List) { *items = as<List>(v)->items; return as<List>(v)->len; }
  *items = as<Tuple>(v)->items;
  return as<Tuple>(v)->len;
}

uint32_t bytes_view(const Value& v, const uint8_t** data) {
  if (v.tag == T::ByteArray) { *data = as<ByteArray>(v)->data; return as<ByteArray>(v)->len; }
  *data = reinterpret_cast<const uint8_t*>(as<Str>(v)->data);
  return as<Str>(v)->len;
}

int64_t span_count(int64_t from, int64_t to, int64_t step) {
  if (step < 0) { int64_t t = from; from = to; to = t; step = -step; }
  return to > from ? (to - from + step - 1) / step : 0;
}
int64_t range_len(const Range* r) { return span_count(r->start, r->stop, r->step); }

Status raise_key_error(VM* vm, const Value& key) {
  Value e;
  Status st = make_exception(vm, Exc::KeyError, nullptr, &e);
  if (st != Status::Ok) return st;
  push_root(vm, e);
  Tuple* t = tuple_new(vm, 1);
  if (t) {
    t->items[0] = key;
    st = dict_set_str(vm, as<Instance>(e)->dict, vm->s_args, mk_obj(t));
  }
  pop_roots(vm, 1);
  if (!t) return Status::Memory;
  return st != Status::Ok ? st : exc_set(vm, e);
}

Status try_dunder(VM* vm, const Value& self, const char* name, const Value* arg, Value* out, bool* found) {
  *found = false;
  if (self.tag != T::Instance) return Status::Ok;
  Str* nm = str_intern(vm, name, __builtin_strlen(name));
  if (!nm) return Status::Memory;
  Value fn = lookup_class_attr(as<Instance>(self)->cls, nm, found);
  if (!*found) return Status::Ok;
  Value args[2] = {self, arg ? *arg : mk_none()};
  return call_value(vm, fn, args, arg ? 2 : 1, out);
}

Iter* iter_new(VM* vm, IterKind k, const Value& seq) {
  Iter* it = static_cast<Iter*>(gc_new(vm, T::Iter, sizeof(Iter)));
  if (it) {
    it->kind = k;
    it->seq = seq;
    it->seq2 = mk_none();
    it->pos = it->end = 0;
    it->step = 1;
  }
  return it;
}

Status get_kwargs(VM* vm, Args& a, const char* fname, const char* n0, const char* n1, Value* kw) {
  kw[0] = kw[1] = mk_undef();
  for (int i = 0; i < a.nkw; i++) {
    const char* k = as<Str>(a.kwn[i])->data;
    int j = __builtin_strcmp(k, n0) == 0 ? 0 : __builtin_strcmp(k, n1) == 0 ? 1 : -1;
    if (j < 0) return type_error(vm, MSG("'%s' is an invalid keyword argument for %s()"), k, fname);
    kw[j] = a.kwv[i];
  }
  return Status::Ok;
}

Status seq_contains(VM* vm, const Value& c, const Value& x, bool* out) {
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, c, &items, &n, &holder);
  *out = false;
  for (uint32_t i = 0; st == Status::Ok && i < n; i++)
    if (values_equal(items[i], x)) { *out = true; break; }
  return st;
}

static double fval(const Value& v) { return v.tag == T::Float ? v.f : static_cast<double>(ival(v)); }

bool values_equal(const Value& a, const Value& b) {
  if (is_num(a) && is_num(b)) {  // numeric equality across int/bool/float
    if (a.tag != T::Float && b.tag != T::Float) return ival(a) == ival(b);
    return fval(a) == fval(b);
  }
  if (a.tag != b.tag) return false;
  switch (a.tag) {
    case T::None: case T::Undef: return true;
    case T::Native: return a.nf == b.nf;
    case T::Str: case T::Bytes: return str_eq(as<Str>(a), as<Str>(b));
    case T::Tuple: case T::List: {
      Value *x, *y;
      uint32_t n = seq_view(a, &x);
      if (n != seq_view(b, &y)) return false;
      for (uint32_t i = 0; i < n; i++) if (!values_equal(x[i], y[i])) return false;
      return true;
    }
    case T::Dict: {
      Dict* d = as<Dict>(a);
      Dict* e = as<Dict>(b);
      if (d->count != e->count) return false;
      for (uint32_t i = 0; i < d->used; i++) {
        const DictEntry& de = d->entries[i];
        if (de.key.tag == T::Undef) continue;
        Value v;
        if (!dict_get(e, de.key, de.key.aux, &v) || !values_equal(v, de.val)) return false;
      }
      return true;
    }
    case T::Range: {
      Range* r = as<Range>(a);
      Range* s = as<Range>(b);
      return __builtin_memcmp(&r->start, &s->start, 3 * sizeof(int64_t)) == 0;  // start, stop, step
    }
    case T::ByteArray: {
      ByteArray* x = as<ByteArray>(a);
      ByteArray* y = as<ByteArray>(b);
      return x->len == y->len && __builtin_memcmp(x->data, y->data, x->len) == 0;
    }
    default: return a.o == b.o;
  }
}

int64_t builtin_len(const Value& v) {
  switch (v.tag) {
    case T::Str: case T::Bytes: return as<Str>(v)->len;
    case T::List: return as<List>(v)->len;
    case T::Tuple: return as<Tuple>(v)->len;
    case T::Dict: return as<Dict>(v)->count;
    case T::ByteArray: return as<ByteArray>(v)->len;
    case T::Range: return range_len(as<Range>(v));
    default: return -1;
  }
}

bool truthy(const Value& v) {
  switch (v.tag) {
    case T::None: case T::Undef: return false;
    case T::Bool: case T::Int: return v.i != 0;
    case T::Float: return double_bits(v.f) << 1;  // != 0.0 (NaN is true)
    default: return builtin_len(v) != 0;  // -1 (true) for objects without a length
  }
}

// The names of the type objects in the builtins table, plus a few internal ones.
const char* type_name(const Value& v) {
  if (v.tag == T::Instance) return as<Instance>(v)->cls->name->data;
  T t = v.tag == T::Native && v.nf->type_tag ? T::Class : v.tag;  // a type object's type is "type"
  if (const NativeDef* d = type_native(t)) return d->name;
  return t == T::Iter ? "iterator" : t == T::Proto ? "code" : t == T::Undef ? "undefined" : "cell";
}

namespace {
// Exception names ("\0"-separated, in Exc order) and each one's base.
const char kExcNames[] =
    "BaseException\0Exception\0KeyboardInterrupt\0ArithmeticError\0LookupError\0ValueError\0TypeError\0"
    "KeyError\0IndexError\0AttributeError\0NameError\0ZeroDivisionError\0OverflowError\0MemoryError\0"
    "RecursionError\0RuntimeError\0StopIteration\0SyntaxError\0AssertionError\0ImportError\0"
    "NotImplementedError\0UnboundLocalError\0ModuleNotFoundError";
#define E(x) static_cast<uint8_t>(Exc::x)
const uint8_t kExcBase[] = {
  0, E(BaseException), E(BaseException), E(Exception), E(Exception), E(Exception), E(Exception),
  E(LookupError), E(LookupError), E(Exception), E(Exception), E(ArithmeticError), E(ArithmeticError),
  E(Exception), E(RuntimeError), E(Exception), E(Exception), E(Exception), E(Exception), E(Exception),
  E(RuntimeError), E(NameError), E(ImportError),
};
#undef E
static_assert(sizeof(kExcBase) == static_cast<size_t>(Exc::Count), "exception table");
}  // namespace

const char* exc_name(Exc e) {
  const char* p = kExcNames;
  for (int i = static_cast<int>(e); i > 0; i--) p += __builtin_strlen(p) + 1;
  return p;
}

// Built-in exception classes are created on first use, bases first. nullptr only when
// the arena is exhausted (MemoryError is always present: create() makes it).
Class* class_of_exc(VM* vm, Exc e) {
  Class*& slot = vm->exc_class[static_cast<int>(e)];
  if (slot) return slot;
  Class* base = nullptr;
  if (e != Exc::BaseException && !(base = class_of_exc(vm, static_cast<Exc>(kExcBase[static_cast<int>(e)]))))
    return nullptr;
  const char* nm = exc_name(e);
  Str* name = str_intern(vm, nm, __builtin_strlen(nm));
  Class* c = name ? static_cast<Class*>(gc_new(vm, T::Class, sizeof(Class))) : nullptr;
  if (c) {
    c->name = name;
    c->base = base;
    c->dict = nullptr;
    c->builtin_exc = 1;
    slot = c;
  }
  return c;
}

bool is_subclass(Class* c, Class* base) {
  for (; c; c = c->base) if (c == base) return true;
  return false;
}

Value lookup_class_attr(Class* c, Str* name, bool* found) {
  Value v = mk_none();
  for (*found = false; c && !*found; c = c->base) *found = c->dict && dict_get_str(c->dict, name, &v);
  return v;
}

bool vm_error_is_memory(VM* vm) {
  return vm->exc.tag == T::Instance && as<Instance>(vm->exc)->cls == vm->exc_class[static_cast<int>(Exc::MemoryError)];
}

// ---- exceptions ----
Status make_exception(VM* vm, Exc kind, Str* msg, Value* out) {
  Class* cls = class_of_exc(vm, kind);
  if (!cls) return raise_memory(vm);
  Instance* in = static_cast<Instance*>(gc_new(vm, T::Instance, sizeof(Instance)));
  if (!in) return Status::Memory;
  in->cls = cls;
  in->dict = nullptr;
  in->line = 0;
  Value v = mk_obj(in);
  push_root(vm, v);
  Tuple* args = tuple_new(vm, msg ? 1 : 0);
  Status st = Status::Memory;
  if (args) {
    if (msg) args->items[0] = mk_obj(msg);
    push_root(vm, mk_obj(args));
    in->dict = dict_new(vm);
    if (in->dict) st = dict_set_str(vm, in->dict, vm->s_args, mk_obj(args));
    pop_roots(vm, 1);
  }
  pop_roots(vm, 1);
  *out = v;
  return st;
}

Status exc_set(VM* vm, const Value& exc) {
  vm->exc = exc;
  vm->exc_col = 0;
  return vm_error_is_memory(vm) ? Status::Memory : Status::Runtime;
}

// Appends fmt to the scratch buffer: %s %d %l(int64) %R %T (repr / type name of a Value)
// and, internally, %r %t (of a const Value*); any other character after % is literal.
bool sb_vformat(VM* vm, const char* fmt, va_list ap) {
  bool ok = true;
  for (const char* p = fmt; *p && ok; p++) {
    char c = *p;
    if (c == '%' && p[1]) {
      Value v;
      switch (c = *++p) {
        case 's': ok = sb_adds(vm, va_arg(ap, const char*)); continue;
        case 'd': ok = sb_int(vm, va_arg(ap, int)); continue;
        case 'l': ok = sb_int(vm, va_arg(ap, int64_t)); continue;
        case 'R': case 'T': v = va_arg(ap, Value); break;
        case 'r': case 't': v = *va_arg(ap, const Value*); break;
        default: ok = sb_addc(vm, c); continue;
      }
      ok = (c | 0x20) == 'r' ? repr_value(vm, v, false) == Status::Ok : sb_adds(vm, type_name(v));
      continue;
    }
    if (c == '%') break;
    ok = sb_addc(vm, c);
  }
  return ok;
}
bool sb_format(VM* vm, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  bool ok = sb_vformat(vm, fmt, ap);
  va_end(ap);
  return ok;
}

#if HILSIM_VM_SMALL
void copy_vals(Value* dst, const Value* src, size_t n) {
  if (n) __builtin_memmove(dst, src, n * sizeof(Value));
}
void set_undef(Value* v, size_t n) {
  static_assert(static_cast<int>(T::Undef) == 0, "Undef is all zero bits");
  if (n) __builtin_memset(v, 0, n * sizeof(Value));
}
#endif

namespace {
// kMsgTable encoded at compile time (see msg.h): the only copy of the messages in the
// image. The encoder matches the codes' expansions, chained by first character.
struct MsgWordIndex {
  char text[kMsgWordCount * 16];  // expansions, back to back
  uint16_t off[kMsgWordCount];
  uint8_t len[kMsgWordCount];
  int16_t next[kMsgWordCount];
  int16_t head[128];
  constexpr size_t expand(size_t o, unsigned c) {
    if (!msg_is_code(c)) { text[o] = static_cast<char>(c); return o + 1; }
    return expand(expand(o, kMsgPairs[msg_code_index(c)][0]), kMsgPairs[msg_code_index(c)][1]);
  }
  constexpr MsgWordIndex() : text(), off(), len(), next(), head() {
    for (int c = 0; c < 128; c++) head[c] = -1;
    size_t o = 0;
    for (int k = 0; k < kMsgWordCount; k++) {
      off[k] = static_cast<uint16_t>(o);
      o = expand(o, msg_code(k));
      len[k] = static_cast<uint8_t>(o - off[k]);
    }
    for (int k = kMsgWordCount - 1; k >= 0; k--) {
      int c = text[off[k]];
      next[k] = head[c];
      head[c] = static_cast<int16_t>(k);
    }
  }
};
constexpr MsgWordIndex kWordIndex;

// Encodes all of kMsgTable into out (when given); returns the encoded size.
constexpr size_t msg_encode_all(char* out, bool write) {
  size_t n = 0;
  const char* s = kMsgTable;
  for (; *s; s++, n++) {  // one message per pass
    if (__builtin_strlen(s) >= kMsgMax) msg_not_in_table();  // must expand into kMsgMax bytes
    while (*s) {
      if (*s < 0x20 || *s > 0x7e) msg_not_in_table();  // printable ASCII only
      size_t best = 0;
      int code = 0;
      for (int k = kWordIndex.head[static_cast<int>(*s)]; k >= 0; k = kWordIndex.next[k]) {
        size_t l = kWordIndex.len[k], i = 1;
        const char* w = kWordIndex.text + kWordIndex.off[k];
        while (i < l && w[i] == s[i]) i++;
        if (i == l && l > best) { best = l; code = k; }
      }
      if (write) out[n] = best ? static_cast<char>(msg_code(code)) : *s;
      n++;
      s += best ? best : 1;
    }
    if (write) out[n] = 0;
  }
  return n;
}
constexpr size_t kMsgEncSize = msg_encode_all(nullptr, false);
struct MsgEnc {
  char d[kMsgEncSize];
  constexpr MsgEnc() : d() { msg_encode_all(d, true); }
};
constexpr MsgEnc kMsgEnc;
}  // namespace

namespace {
char* msg_expand(char* o, char* end, unsigned c) {
  if (msg_is_code(c)) {
    const unsigned char* p = kMsgPairs[msg_code_index(c)];
    return msg_expand(msg_expand(o, end, p[0]), end, p[1]);
  }
  if (o < end) *o++ = static_cast<char>(c);
  return o;
}
}  // namespace

const char* msg_text(int id, char* buf) {
  const char* m = kMsgEnc.d;
  while (id-- > 0) m += __builtin_strlen(m) + 1;
  char* o = buf;
  while (*m) o = msg_expand(o, buf + kMsgMax - 1, static_cast<unsigned char>(*m++));
  *o = 0;
  return buf;
}

Status raise_memory(VM* vm) {
  // a preallocated instance: raising must not need memory
  vm->exc = vm->mem_error;
  vm->exc_col = 0;
  if (vm->mem_error.tag == T::Instance) as<Instance>(vm->mem_error)->line = 0;
  return Status::Memory;
}

namespace {
Status raise_v(VM* vm, Exc kind, const char* fmt, va_list ap) {
  if (kind == Exc::MemoryError) return raise_memory(vm);
  size_t mark = vm->scratch.len;
  bool ok = sb_vformat(vm, fmt, ap);
  Value m, e;
  if (sb_done(vm, mark, ok, &m) != Status::Ok || make_exception(vm, kind, as<Str>(m), &e) != Status::Ok)
    return raise_memory(vm);
  return exc_set(vm, e);
}
}  // namespace

Status raise(VM* vm, Exc kind, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Status st = raise_v(vm, kind, fmt, ap);
  va_end(ap);
  return st;
}
Status raise_msg(VM* vm, Exc kind, int msg, ...) {
  char buf[kMsgMax];
  va_list ap;
  va_start(ap, msg);
  Status st = raise_v(vm, kind, msg_text(msg, buf), ap);
  va_end(ap);
  return st;
}
Status type_error(VM* vm, int msg, ...) {
  char buf[kMsgMax];
  va_list ap;
  va_start(ap, msg);
  Status st = raise_v(vm, Exc::TypeError, msg_text(msg, buf), ap);
  va_end(ap);
  return st;
}

// ---- repr / str ----
namespace {
// obj.NAME() for __str__/__repr__ (only script functions count)
Status call_repr_dunder(VM* vm, const Value& obj, const char* name, Value* out, bool* found) {
  Str* nm = str_intern(vm, name, __builtin_strlen(name));
  if (!nm) return Status::Memory;
  Value fn = lookup_class_attr(as<Instance>(obj)->cls, nm, found);
  if (!*found || fn.tag != T::Func) { *found = false; return Status::Ok; }
  return call_value(vm, fn, &obj, 1, out);
}

bool repr_str(VM* vm, Str* s) {
  bool dq = false;
  for (uint32_t i = 0; i < s->len; i++) if (s->data[i] == '\'') dq = true;
  for (uint32_t i = 0; i < s->len && dq; i++) if (s->data[i] == '"') dq = false;
  char q = dq ? '"' : '\'';
  bool ok = sb_addc(vm, q);
  for (uint32_t i = 0; i < s->len && ok; i++) {
    unsigned char c = static_cast<unsigned char>(s->data[i]);
    char b[4] = {'\\', static_cast<char>(c), 0, 0};
    int n = 1;
    if (c == static_cast<unsigned char>(q) || c == '\\') n = 2;
    else if (c == '\n') { b[1] = 'n'; n = 2; }
    else if (c == '\t') { b[1] = 't'; n = 2; }
    else if (c == '\r') { b[1] = 'r'; n = 2; }
    else if (c < 0x20 || c == 0x7f || (s->type == T::Bytes && c >= 0x80)) {
      b[1] = 'x';
      b[2] = kHexDigits[c >> 4];
      b[3] = kHexDigits[c & 15];
      n = 4;
    }
    ok = n == 1 ? sb_addc(vm, static_cast<char>(c)) : sb_add(vm, b, n);
  }
  return ok && sb_addc(vm, q);
}
}  // namespace

Status repr_value(VM* vm, const Value& v, bool use_str) {
  if (vm->c_depth > 40) return raise_msg(vm, Exc::RecursionError, MSG("maximum recursion depth exceeded while getting the repr of an object"));
  bool ok = true;
  switch (v.tag) {
    case T::Undef: ok = sb_adds(vm, "<undefined>"); break;
    case T::None: ok = sb_adds(vm, "None"); break;
    case T::Bool: ok = sb_adds(vm, v.b ? "True" : "False"); break;
    case T::Int: ok = sb_int(vm, v.i); break;
    case T::Float: ok = sb_float(vm, v.f); break;
    case T::Native: ok = sb_format(vm, v.nf->type_tag ? "<class '%s'>" : "<built-in function %s>", v.nf->name); break;
    case T::Str:
      ok = use_str ? sb_add(vm, as<Str>(v)->data, as<Str>(v)->len) : repr_str(vm, as<Str>(v));
      break;
    case T::Bytes: ok = sb_addc(vm, 'b') && repr_str(vm, as<Str>(v)); break;
    case T::ByteArray: {
      // repr through a temporary bytes object
      ByteArray* b = as<ByteArray>(v);
      Str* s = bytes_new(vm, reinterpret_cast<const char*>(b->data), b->len);
      if (!s) return Status::Memory;
      ok = sb_adds(vm, "bytearray(b") && repr_str(vm, s) && sb_addc(vm, ')');
      break;
    }
    case T::List: case T::Tuple: case T::Dict: {
      // re-read the container on every item: a __repr__ may mutate it
      bool dict = v.tag == T::Dict;
      ok = sb_addc(vm, v.tag == T::List ? '[' : dict ? '{' : '(');
      uint32_t n = 0;
      for (uint32_t i = 0; ok; i++) {
        const Value* item;
        if (dict) {
          Dict* d = as<Dict>(v);
          if (i >= d->used) break;
          if (d->entries[i].key.tag == T::Undef) continue;
          item = &d->entries[i].key;
        } else {
          Value* items;
          if (i >= seq_view(v, &items)) break;
          item = &items[i];
        }
        if (n++ && !sb_adds(vm, ", ")) return Status::Memory;
        Status st = repr_value(vm, *item, false);
        if (st == Status::Ok && dict) {
          if (!sb_adds(vm, ": ")) return Status::Memory;
          st = repr_value(vm, as<Dict>(v)->entries[i].val, false);
        }
        if (st != Status::Ok) return st;
      }
      ok = ok && sb_adds(vm, v.tag == T::List ? "]" : dict ? "}" : n == 1 ? ",)" : ")");
      break;
    }
    case T::Range: {
      Range* r = as<Range>(v);
      ok = sb_format(vm, r->step != 1 ? "range(%l, %l, %l)" : "range(%l, %l)", r->start, r->stop, r->step);
      break;
    }
    case T::Func: ok = sb_format(vm, "<function %s>", as<Func>(v)->proto->name->data); break;
    case T::Class: ok = sb_format(vm, "<class '%s'>", as<Class>(v)->name->data); break;
    case T::Module: ok = sb_format(vm, "<module '%s'>", as<Module>(v)->name->data); break;
    case T::Bound: ok = sb_adds(vm, "<bound method>"); break;
    case T::Instance: {
      Instance* in = as<Instance>(v);
      Value r;
      bool found = false;
      size_t mark = vm->scratch.len;
      Status st = Status::Ok;
      if (use_str) st = call_repr_dunder(vm, v, "__str__", &r, &found);
      if (st == Status::Ok && !found) st = call_repr_dunder(vm, v, "__repr__", &r, &found);
      if (st != Status::Ok) return st;
      vm->scratch.len = mark;
      if (found) {
        if (r.tag != T::Str) return type_error(vm, MSG("__str__ returned non-string (type %t)"), &r);
        ok = sb_add(vm, as<Str>(r)->data, as<Str>(r)->len);
        break;
      }
      if (!is_subclass(in->cls, class_of_exc(vm, Exc::BaseException))) {
        ok = sb_format(vm, "<%s object>", in->cls->name->data);
        break;
      }
      Value args;
      Tuple* t = nullptr;
      if (in->dict && dict_get_str(in->dict, vm->s_args, &args) && args.tag == T::Tuple) t = as<Tuple>(args);
      if (use_str) {
        if (!t || t->len == 0) break;
        if (t->len == 1) return repr_value(vm, t->items[0], !is_subclass(in->cls, class_of_exc(vm, Exc::KeyError)));
        return repr_value(vm, args, false);
      }
      ok = sb_adds(vm, in->cls->name->data);
      if (!ok) break;
      if (!t) return sb_adds(vm, "()") ? Status::Ok : Status::Memory;
      if (t->len != 1) return repr_value(vm, args, false);
      if (!sb_addc(vm, '(')) return Status::Memory;
      st = repr_value(vm, t->items[0], false);
      if (st != Status::Ok) return st;
      ok = sb_addc(vm, ')');
      break;
    }
    default: ok = sb_format(vm, "<%s>", type_name(v)); break;
  }
  return ok ? Status::Ok : Status::Memory;
}

static Status repr_to(VM* vm, const Value& v, Value* out, bool use_str) {
  size_t mark = vm->scratch.len;
  vm->c_depth++;
  Status st = repr_value(vm, v, use_str);
  vm->c_depth--;
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  return sb_done(vm, mark, true, out);
}
Status to_str(VM* vm, const Value& v, Value* out) {
  if (v.tag == T::Str) { *out = v; return Status::Ok; }
  return repr_to(vm, v, out, true);
}
Status to_repr(VM* vm, const Value& v, Value* out) { return repr_to(vm, v, out, false); }

// ---- attributes ----
static Status attr_error(VM* vm, const Value& obj, Str* name) {
  if (obj.tag == T::Module)
    return raise_msg(vm, Exc::AttributeError, MSG("module '%s' has no attribute '%s'"), as<Module>(obj)->name->data, name->data);
  if (obj.tag == T::Class)
    return raise_msg(vm, Exc::AttributeError, MSG("type object '%s' has no attribute '%s'"), as<Class>(obj)->name->data, name->data);
  return raise_msg(vm, Exc::AttributeError, MSG("'%t' object has no attribute '%s'"), &obj, name->data);
}

Status get_method(VM* vm, const Value& obj, Str* name, Value* fn, Value* self, bool* is_method) {
  *is_method = false;
  bool found = false;
  Value v;
  bool is_name = name == vm->s_name;
  switch (obj.tag) {
    case T::Instance: {
      Instance* in = as<Instance>(obj);
      if (in->dict && dict_get_str(in->dict, name, fn)) return Status::Ok;
      v = lookup_class_attr(in->cls, name, &found);
      if (found) break;
      if (is_name) return attr_error(vm, obj, name);
      if (name->len == 9 && __builtin_memcmp(name->data, "__class__", 9) == 0) { *fn = mk_obj(in->cls); return Status::Ok; }
      return attr_error(vm, obj, name);
    }
    case T::Class:
      *fn = lookup_class_attr(as<Class>(obj), name, &found);
      if (found) return Status::Ok;
      if (is_name) { *fn = mk_obj(as<Class>(obj)->name); return Status::Ok; }
      return attr_error(vm, obj, name);
    case T::Module:
      if (dict_get_str(as<Module>(obj)->dict, name, fn)) return Status::Ok;
      if (is_name) { *fn = mk_obj(as<Module>(obj)->name); return Status::Ok; }
      return attr_error(vm, obj, name);
    case T::Bound: {
      Bound* b = as<Bound>(obj);
      if (b->flags != 1) break;  // super objects: flags 1, fn = the base class or None
      if (b->fn.tag == T::Class) v = lookup_class_attr(as<Class>(b->fn), name, &found);
      if (!found && name == vm->s_init) {  // object.__init__ / BaseException.__init__
        bool exc = b->fn.tag == T::Class && is_subclass(as<Class>(b->fn), class_of_exc(vm, Exc::BaseException));
        v = mk_native(exc ? exc_init_def() : noop_init_def());
        found = true;
      }
      if (!found) {
        if (b->fn.tag == T::None) break;
        return raise_msg(vm, Exc::AttributeError, MSG("'super' object has no attribute '%s'"), name->data);
      }
      *fn = v;
      if (v.tag == T::Func || v.tag == T::Native) { *self = b->self; *is_method = true; }
      return Status::Ok;
    }
    case T::Func:
      if (is_name) { *fn = mk_obj(as<Func>(obj)->proto->name); return Status::Ok; }
      break;
    case T::Native:
      if (is_name) return ret_obj(fn, str_new(vm, obj.nf->name, __builtin_strlen(obj.nf->name)));
      break;
    default: {
      const NativeDef* d = find_method(obj.tag, name);
      if (d) { v = mk_native(d); found = true; }
      break;
    }
  }
  if (!found) return attr_error(vm, obj, name);
  *fn = v;
  if (v.tag == T::Func || v.tag == T::Native) { *self = obj; *is_method = true; }
  return Status::Ok;
}

Status get_attr(VM* vm, const Value& obj, Str* name, Value* out) {
  Value fn, self;
  bool m;
  Status st = get_method(vm, obj, name, &fn, &self, &m);
  if (st != Status::Ok || !m) {
    if (st == Status::Ok) *out = fn;
    return st;
  }
  Bound* b = static_cast<Bound*>(gc_new(vm, T::Bound, sizeof(Bound)));
  if (b) {
    b->self = self;
    b->fn = fn;
  }
  return ret_obj(out, b);
}

Status set_attr(VM* vm, const Value& obj, Str* name, const Value& v) {
  Dict** dp;
  if (obj.tag == T::Instance) dp = &as<Instance>(obj)->dict;
  else if (obj.tag == T::Class) dp = &as<Class>(obj)->dict;
  else if (obj.tag == T::Module) dp = &as<Module>(obj)->dict;
  else
    return raise_msg(vm, Exc::AttributeError,
                 obj.tag >= T::Native ? MSG("'%t' object has no attribute '%s'") : MSG("'%t' object attribute '%s' is read-only"),
                 &obj, name->data);
  if (!*dp && !(*dp = dict_new(vm))) return Status::Memory;
  if (obj.tag == T::Class && v.tag == T::Func && !as<Func>(v)->owner) as<Func>(v)->owner = obj.o;
  return dict_set_str(vm, *dp, name, v);
}

// ---- iteration ----
Status get_iter(VM* vm, const Value& v, Value* out) {
  IterKind k;
  switch (v.tag) {
    case T::List: case T::Tuple: k = IterKind::Seq; break;
    case T::Str: k = IterKind::Str; break;
    case T::Bytes: case T::ByteArray: k = IterKind::Bytes; break;
    case T::Dict: k = IterKind::DictKeys; break;
    case T::Range: k = IterKind::Range; break;
    case T::Iter: *out = v; return Status::Ok;
    case T::Instance: {
      bool found;
      Status st = try_dunder(vm, v, "__iter__", nullptr, out, &found);
      if (st != Status::Ok || found) return st;
    }
    // fall through
    default: return type_error(vm, MSG("'%t' object is not iterable"), &v);
  }
  Iter* it = iter_new(vm, k, v);
  if (it && k == IterKind::Range) {
    Range* r = as<Range>(v);
    it->pos = r->start;
    it->end = r->stop;
    it->step = r->step;
  }
  return ret_obj(out, it);
}

Status iter_next(VM* vm, const Value& itv, Value* out, bool* done) {
  *done = false;
  if (itv.tag == T::Instance) {
    bool found;
    Status st = try_dunder(vm, itv, "__next__", nullptr, out, &found);
    if (st == Status::Ok && !found) return type_error(vm, MSG("'%t' object is not an iterator"), &itv);
    if (st == Status::Runtime && vm->exc.tag == T::Instance &&
        is_subclass(as<Instance>(vm->exc)->cls, class_of_exc(vm, Exc::StopIteration))) {
      vm->exc = mk_undef();
      *done = true;
      return Status::Ok;
    }
    return st;
  }
  if (itv.tag != T::Iter) return type_error(vm, MSG("'%t' object is not an iterator"), &itv);
  Iter* it = as<Iter>(itv);
  Value pair[2];
  switch (it->kind) {
    case IterKind::Range:
      if (it->step > 0 ? it->pos >= it->end : it->pos <= it->end) break;
      *out = mk_int(it->pos);
      it->pos += it->step;
      return Status::Ok;
    case IterKind::Seq: {
      Value* items;
      if (it->pos >= seq_view(it->seq, &items)) break;
      *out = items[it->pos++];
      return Status::Ok;
    }
    case IterKind::Str: {
      Str* s = as<Str>(it->seq);
      if (it->pos >= s->len) break;
      // one UTF-8 code point
      uint32_t p = static_cast<uint32_t>(it->pos);
      unsigned char c = static_cast<unsigned char>(s->data[p]);
      uint32_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (p + n > s->len) n = s->len - p;
      it->pos += n;
      return ret_obj(out, str_new(vm, s->data + p, n));
    }
    case IterKind::Bytes: {
      const uint8_t* d;
      if (it->pos >= bytes_view(it->seq, &d)) break;
      *out = mk_int(d[it->pos++]);
      return Status::Ok;
    }
    case IterKind::DictKeys: case IterKind::DictItems: case IterKind::DictValues: {
      Dict* d = as<Dict>(it->seq);
      while (it->pos < d->used && d->entries[it->pos].key.tag == T::Undef) it->pos++;
      if (it->pos >= d->used) break;
      DictEntry& e = d->entries[it->pos++];
      if (it->kind != IterKind::DictItems) {
        *out = it->kind == IterKind::DictKeys ? e.key : e.val;
        return Status::Ok;
      }
      copy_vals(pair, &e.key, 2);  // key, val
      goto make_pair;
    }
    case IterKind::Enumerate: case IterKind::Zip: {
      Status st = iter_next(vm, it->seq, &pair[1], done);
      if (st != Status::Ok || *done) return st;
      if (it->kind == IterKind::Enumerate) {
        pair[0] = mk_int(it->pos++);
      } else {
        pair[0] = pair[1];
        push_root(vm, pair[0]);
        st = iter_next(vm, it->seq2, &pair[1], done);
        pop_roots(vm, 1);
        if (st != Status::Ok || *done) return st;
      }
      goto make_pair;
    }
  }
  *done = true;
  return Status::Ok;
make_pair:
  push_root(vm, pair[0]);
  push_root(vm, pair[1]);
  Value* t;
  Status st = new_seq(vm, T::Tuple, 2, out, &t);
  pop_roots(vm, 2);
  if (st == Status::Ok) copy_vals(t, pair, 2);
  return st;
}

// Materialise a sequence's items (list/tuple directly; other iterables into a new
// list held in *holder, which the caller must keep rooted).
Status seq_items(VM* vm, const Value& v, Value** items, uint32_t* n, Value* holder) {
  if (v.tag == T::List || v.tag == T::Tuple) { *n = seq_view(v, items); return Status::Ok; }
  Value it;
  Status st = get_iter(vm, v, &it);
  if (st != Status::Ok) return st;
  push_root(vm, it);
  List* l = list_new(vm, 0);
  if (!l) { pop_roots(vm, 1); return Status::Memory; }
  push_root(vm, mk_obj(l));
  for (;;) {
    Value x;
    bool done;
    st = iter_next(vm, it, &x, &done);
    if (st != Status::Ok || done || (st = list_append(vm, l, x)) != Status::Ok) break;
  }
  pop_roots(vm, 2);
  if (st != Status::Ok) return st;
  *holder = mk_obj(l);
  *items = l->items;
  *n = l->len;
  return Status::Ok;
}

Status seq_snapshot(VM* vm, const Value& v, Value** items, uint32_t* n, Value* holder) {
  if (v.tag != T::List) return seq_items(vm, v, items, n, holder);
  Value* src;
  *n = seq_view(v, &src);
  Status st = new_seq(vm, T::Tuple, *n, holder, items);
  if (st == Status::Ok) copy_vals(*items, src, *n);
  return st;
}

int64_t floordiv_i(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
int64_t mod_i(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

}  // namespace hilsim::vm
