// Object model helpers: lists/tuples, equality and truthiness, the class machinery
// (attribute lookup through single inheritance, bound methods, super), str()/repr()
// of every value (calling __str__/__repr__ where defined), exceptions, and iteration.
#include "vm/internal.h"

namespace hilsim::vm {

List* list_new(VM* vm, uint32_t cap) {
  List* l = static_cast<List*>(gc_new(vm, T::List, sizeof(List)));
  if (!l) return nullptr;
  l->len = 0;
  l->cap = 0;
  l->items = nullptr;
  if (cap) {
    l->items = static_cast<Value*>(heap_alloc(vm->heap, cap * sizeof(Value)));
    if (!l->items) { raise(vm, Exc::MemoryError, ""); return nullptr; }
    l->cap = cap;
  }
  return l;
}

Status list_append(VM* vm, List* l, const Value& v0) {
  Value v = v0;  // v0 may point into l->items, which the growth below frees
  if (l->len == l->cap) {
    uint32_t ncap = l->cap < 4 ? 4 : l->cap + l->cap / 2;
    Value* n = static_cast<Value*>(heap_alloc(vm->heap, ncap * sizeof(Value)));
    if (!n) return raise(vm, Exc::MemoryError, "");
    for (uint32_t i = 0; i < l->len; i++) n[i] = l->items[i];
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

bool values_equal(const Value& a, const Value& b) {
  if (a.tag == b.tag) {
    switch (a.tag) {
      case T::None: case T::Undef: return true;
      case T::Bool: return a.b == b.b;
      case T::Int: return a.i == b.i;
      case T::Float: return a.f == b.f;
      case T::Native: return a.nf == b.nf;
      case T::Str: case T::Bytes: return str_eq(as<Str>(a), as<Str>(b));
      case T::Tuple: case T::List: {
        uint32_t n;
        const Value *x, *y;
        if (a.tag == T::Tuple) {
          if (as<Tuple>(a)->len != as<Tuple>(b)->len) return false;
          n = as<Tuple>(a)->len; x = as<Tuple>(a)->items; y = as<Tuple>(b)->items;
        } else {
          if (as<List>(a)->len != as<List>(b)->len) return false;
          n = as<List>(a)->len; x = as<List>(a)->items; y = as<List>(b)->items;
        }
        for (uint32_t i = 0; i < n; i++) if (!values_equal(x[i], y[i])) return false;
        return true;
      }
      case T::Dict: {
        Dict* d = as<Dict>(a);
        Dict* e = as<Dict>(b);
        if (d->count != e->count) return false;
        for (uint32_t i = 0; i < d->used; i++) {
          if (d->entries[i].key.tag == T::Undef) continue;
          Value v;
          if (!dict_get(e, d->entries[i].key, d->entries[i].hash, &v) || !values_equal(v, d->entries[i].val)) return false;
        }
        return true;
      }
      case T::Range: {
        Range* r = as<Range>(a);
        Range* s = as<Range>(b);
        return r->start == s->start && r->stop == s->stop && r->step == s->step;
      }
      case T::ByteArray: {
        ByteArray* x = as<ByteArray>(a);
        ByteArray* y = as<ByteArray>(b);
        return x->len == y->len && __builtin_memcmp(x->data, y->data, x->len) == 0;
      }
      default: return a.o == b.o;
    }
  }
  // numeric cross-type equality (bool is an int)
  auto num = [](Value v, double* d, int64_t* i, bool* isint) {
    if (v.tag == T::Int) { *i = v.i; *d = static_cast<double>(v.i); *isint = true; return true; }
    if (v.tag == T::Bool) { *i = v.b; *d = v.b; *isint = true; return true; }
    if (v.tag == T::Float) { *d = v.f; *isint = false; return true; }
    return false;
  };
  double da, db;
  int64_t ia, ib;
  bool xa, xb;
  if (num(a, &da, &ia, &xa) && num(b, &db, &ib, &xb)) {
    if (xa && xb) return ia == ib;
    return da == db;
  }
  return false;
}

bool truthy(const Value& v) {
  switch (v.tag) {
    case T::None: case T::Undef: return false;
    case T::Bool: return v.b;
    case T::Int: return v.i != 0;
    case T::Float: return v.f != 0;
    case T::Str: case T::Bytes: return as<Str>(v)->len != 0;
    case T::List: return as<List>(v)->len != 0;
    case T::Tuple: return as<Tuple>(v)->len != 0;
    case T::Dict: return as<Dict>(v)->count != 0;
    case T::ByteArray: return as<ByteArray>(v)->len != 0;
    case T::Range: {
      Range* r = as<Range>(v);
      return r->step > 0 ? r->start < r->stop : r->start > r->stop;
    }
    default: return true;
  }
}

const char* type_name(const Value& v) {
  switch (v.tag) {
    case T::Undef: return "undefined";
    case T::None: return "NoneType";
    case T::Bool: return "bool";
    case T::Int: return "int";
    case T::Float: return "float";
    case T::Native: return v.nf->type_tag ? "type" : "builtin_function_or_method";
    case T::Str: return "str";
    case T::Bytes: return "bytes";
    case T::ByteArray: return "bytearray";
    case T::List: return "list";
    case T::Tuple: return "tuple";
    case T::Dict: return "dict";
    case T::Range: return "range";
    case T::Proto: return "code";
    case T::Func: return "function";
    case T::Class: return "type";
    case T::Instance: return as<Instance>(v)->cls->name->data;
    case T::Bound: return "method";
    case T::Upval: case T::Cell: return "cell";
    case T::Module: return "module";
    case T::Iter: return "iterator";
    case T::Slice: return "slice";
  }
  return "object";
}

namespace {
struct ExcSpec { const char* name; Exc base; };
const ExcSpec kExc[] = {
  {"BaseException", Exc::BaseException}, {"Exception", Exc::BaseException},
  {"KeyboardInterrupt", Exc::BaseException}, {"ArithmeticError", Exc::Exception},
  {"LookupError", Exc::Exception}, {"ValueError", Exc::Exception}, {"TypeError", Exc::Exception},
  {"KeyError", Exc::LookupError}, {"IndexError", Exc::LookupError}, {"AttributeError", Exc::Exception},
  {"NameError", Exc::Exception}, {"ZeroDivisionError", Exc::ArithmeticError},
  {"OverflowError", Exc::ArithmeticError}, {"MemoryError", Exc::Exception},
  {"RecursionError", Exc::RuntimeError}, {"RuntimeError", Exc::Exception},
  {"StopIteration", Exc::Exception}, {"SyntaxError", Exc::Exception},
  {"AssertionError", Exc::Exception}, {"ImportError", Exc::Exception},
  {"NotImplementedError", Exc::RuntimeError}, {"UnboundLocalError", Exc::NameError},
  {"ModuleNotFoundError", Exc::ImportError},
};
static_assert(sizeof(kExc) / sizeof(kExc[0]) == static_cast<size_t>(Exc::Count), "exception table");
}  // namespace

const NativeDef* exc_init_def();
const NativeDef* noop_init_def();

const char* exc_name(Exc e) { return kExc[static_cast<int>(e)].name; }

// Built-in exception classes are created on first use, bases first. nullptr only when
// the arena is exhausted (MemoryError is always present: create() makes it).
Class* class_of_exc(VM* vm, Exc e) {
  Class* c = vm->exc_class[static_cast<int>(e)];
  if (c) return c;
  Class* base = nullptr;
  if (e != Exc::BaseException) {
    base = class_of_exc(vm, kExc[static_cast<int>(e)].base);
    if (!base) return nullptr;
  }
  const char* nm = kExc[static_cast<int>(e)].name;
  Str* name = str_intern(vm, nm, __builtin_strlen(nm));
  if (!name) return nullptr;
  c = static_cast<Class*>(gc_new(vm, T::Class, sizeof(Class)));
  if (!c) return nullptr;
  c->name = name;
  c->base = base;
  c->dict = nullptr;
  c->builtin_exc = 1;
  vm->exc_class[static_cast<int>(e)] = c;
  return c;
}

bool is_subclass(Class* c, Class* base) {
  for (; c; c = c->base) if (c == base) return true;
  return false;
}

Value lookup_class_attr(Class* c, Str* name, bool* found) {
  Value v;
  for (; c; c = c->base) {
    if (c->dict && dict_get_str(c->dict, name, &v)) { *found = true; return v; }
  }
  *found = false;
  return mk_none();
}

bool vm_error_is_memory(VM* vm) {
  return vm->exc.tag == T::Instance && as<Instance>(vm->exc)->cls == vm->exc_class[static_cast<int>(Exc::MemoryError)];
}

// ---- exceptions ----
Status make_exception(VM* vm, Exc kind, Str* msg, Value* out) {
  Class* cls = class_of_exc(vm, kind);
  if (!cls) return raise(vm, Exc::MemoryError, "");
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
  if (exc.tag == T::Instance && vm_error_is_memory(vm)) return Status::Memory;
  return Status::Runtime;
}

Status raise(VM* vm, Exc kind, const char* fmt, ...) {
  if (kind == Exc::MemoryError) {
    // a preallocated instance: raising must not need memory
    vm->exc = vm->mem_error;
    vm->exc_col = 0;
    if (vm->mem_error.tag == T::Instance) as<Instance>(vm->mem_error)->line = 0;
    return Status::Memory;
  }
  va_list ap;
  va_start(ap, fmt);
  size_t mark = vm->scratch.len;
  bool ok = true;
  for (const char* p = fmt; *p && ok; p++) {
    if (*p != '%') { ok = sb_addc(vm, *p); continue; }
    char c = *++p;
    if (!c) break;
    switch (c) {
      case 's': ok = sb_adds(vm, va_arg(ap, const char*)); break;
      case 'd': ok = sb_int(vm, va_arg(ap, int)); break;
      case 'l': ok = sb_int(vm, va_arg(ap, int64_t)); break;
      case 'R': ok = repr_value(vm, va_arg(ap, Value), false) == Status::Ok; break;
      case 'T': ok = sb_adds(vm, type_name(va_arg(ap, Value))); break;
      default: ok = sb_addc(vm, c); break;
    }
  }
  va_end(ap);
  if (!ok) { vm->scratch.len = mark; return raise(vm, Exc::MemoryError, ""); }
  Str* msg = sb_take(vm, mark);
  if (!msg) return Status::Memory;
  Value e;
  if (make_exception(vm, kind, msg, &e) != Status::Ok) return raise(vm, Exc::MemoryError, "");
  return exc_set(vm, e);
}

// ---- repr / str ----
static Status call_dunder(VM* vm, const Value& obj, Str* name, Value* out, bool* found) {
  *found = false;
  if (obj.tag != T::Instance) return Status::Ok;
  Value fn = lookup_class_attr(as<Instance>(obj)->cls, name, found);
  if (!*found || fn.tag != T::Func) { *found = false; return Status::Ok; }
  Value args[1] = {obj};
  return call_value(vm, fn, args, 1, out);
}

static bool repr_str(VM* vm, Str* s) {
  bool dq = false;
  for (uint32_t i = 0; i < s->len; i++) if (s->data[i] == '\'') dq = true;
  for (uint32_t i = 0; i < s->len && dq; i++) if (s->data[i] == '"') dq = false;
  char q = dq ? '"' : '\'';
  if (!sb_addc(vm, q)) return false;
  for (uint32_t i = 0; i < s->len; i++) {
    unsigned char c = static_cast<unsigned char>(s->data[i]);
    bool ok;
    if (c == static_cast<unsigned char>(q) || c == '\\') ok = sb_addc(vm, '\\') && sb_addc(vm, static_cast<char>(c));
    else if (c == '\n') ok = sb_adds(vm, "\\n");
    else if (c == '\t') ok = sb_adds(vm, "\\t");
    else if (c == '\r') ok = sb_adds(vm, "\\r");
    else if (c < 0x20 || c == 0x7f || (s->type == T::Bytes && c >= 0x80)) {
      const char* hx = "0123456789abcdef";
      char b[4] = {'\\', 'x', hx[c >> 4], hx[c & 15]};
      ok = sb_add(vm, b, 4);
    } else ok = sb_addc(vm, static_cast<char>(c));
    if (!ok) return false;
  }
  return sb_addc(vm, q);
}

static Status repr_items(VM* vm, const Value* items, uint32_t n, const char* open, const char* close) {
  if (!sb_adds(vm, open)) return Status::Memory;
  for (uint32_t i = 0; i < n; i++) {
    if (i && !sb_adds(vm, ", ")) return Status::Memory;
    Status st = repr_value(vm, items[i], false);
    if (st != Status::Ok) return st;
  }
  return sb_adds(vm, close) ? Status::Ok : Status::Memory;
}

Status repr_value(VM* vm, const Value& v, bool use_str) {
  if (vm->c_depth > 40) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded while getting the repr of an object");
  bool ok = true;
  switch (v.tag) {
    case T::Undef: ok = sb_adds(vm, "<undefined>"); break;
    case T::None: ok = sb_adds(vm, "None"); break;
    case T::Bool: ok = sb_adds(vm, v.b ? "True" : "False"); break;
    case T::Int: ok = sb_int(vm, v.i); break;
    case T::Float: ok = sb_float(vm, v.f); break;
    case T::Native:
      if (v.nf->type_tag) ok = sb_adds(vm, "<class '") && sb_adds(vm, v.nf->name) && sb_adds(vm, "'>");
      else ok = sb_adds(vm, "<built-in function ") && sb_adds(vm, v.nf->name) && sb_addc(vm, '>');
      break;
    case T::Str:
      if (use_str) ok = sb_add(vm, as<Str>(v)->data, as<Str>(v)->len);
      else ok = repr_str(vm, as<Str>(v));
      break;
    case T::Bytes: ok = sb_addc(vm, 'b') && repr_str(vm, as<Str>(v)); break;
    case T::ByteArray: {
      ByteArray* b = as<ByteArray>(v);
      ok = sb_adds(vm, "bytearray(b");
      if (!ok) break;
      // repr through a temporary bytes object
      Str* s = bytes_new(vm, reinterpret_cast<const char*>(b->data), b->len);
      if (!s) return Status::Memory;
      ok = repr_str(vm, s) && sb_addc(vm, ')');
      break;
    }
    case T::List: {
      // re-read the list on every item: a __repr__ may mutate it
      List* l = as<List>(v);
      if (!sb_addc(vm, '[')) return Status::Memory;
      for (uint32_t i = 0; i < l->len; i++) {
        if (i && !sb_adds(vm, ", ")) return Status::Memory;
        Status st = repr_value(vm, l->items[i], false);
        if (st != Status::Ok) return st;
      }
      ok = sb_addc(vm, ']');
      break;
    }
    case T::Tuple: {
      Tuple* t = as<Tuple>(v);
      if (t->len == 1) {
        if (!sb_addc(vm, '(')) return Status::Memory;
        Status st = repr_value(vm, t->items[0], false);
        if (st != Status::Ok) return st;
        ok = sb_adds(vm, ",)");
        break;
      }
      return repr_items(vm, t->items, t->len, "(", ")");
    }
    case T::Dict: {
      Dict* d = as<Dict>(v);
      if (!sb_addc(vm, '{')) return Status::Memory;
      bool first = true;
      for (uint32_t i = 0; i < d->used; i++) {
        if (d->entries[i].key.tag == T::Undef) continue;
        if (!first && !sb_adds(vm, ", ")) return Status::Memory;
        first = false;
        Status st = repr_value(vm, d->entries[i].key, false);
        if (st == Status::Ok && !sb_adds(vm, ": ")) st = Status::Memory;
        if (st == Status::Ok) st = repr_value(vm, d->entries[i].val, false);
        if (st != Status::Ok) return st;
      }
      ok = sb_addc(vm, '}');
      break;
    }
    case T::Range: {
      Range* r = as<Range>(v);
      ok = sb_adds(vm, "range(") && sb_int(vm, r->start) && sb_adds(vm, ", ") && sb_int(vm, r->stop);
      if (ok && r->step != 1) ok = sb_adds(vm, ", ") && sb_int(vm, r->step);
      ok = ok && sb_addc(vm, ')');
      break;
    }
    case T::Func: ok = sb_adds(vm, "<function ") && sb_adds(vm, as<Func>(v)->proto->name->data) && sb_addc(vm, '>'); break;
    case T::Class: ok = sb_adds(vm, "<class '") && sb_adds(vm, as<Class>(v)->name->data) && sb_adds(vm, "'>"); break;
    case T::Module: ok = sb_adds(vm, "<module '") && sb_adds(vm, as<Module>(v)->name->data) && sb_adds(vm, "'>"); break;
    case T::Bound: ok = sb_adds(vm, "<bound method>"); break;
    case T::Instance: {
      Instance* in = as<Instance>(v);
      Value r;
      bool found = false;
      size_t mark = vm->scratch.len;
      Status st = Status::Ok;
      if (use_str) st = call_dunder(vm, v, vm->s_str, &r, &found);
      if (st == Status::Ok && !found) st = call_dunder(vm, v, vm->s_repr, &r, &found);
      if (st != Status::Ok) return st;
      vm->scratch.len = mark;
      if (found) {
        if (r.tag != T::Str) return raise(vm, Exc::TypeError, "__str__ returned non-string (type %T)", r);
        ok = sb_add(vm, as<Str>(r)->data, as<Str>(r)->len);
        break;
      }
      if (is_subclass(in->cls, class_of_exc(vm, Exc::BaseException))) {
        Value args;
        Tuple* t = nullptr;
        if (in->dict && dict_get_str(in->dict, vm->s_args, &args) && args.tag == T::Tuple) t = as<Tuple>(args);
        if (use_str) {
          if (!t || t->len == 0) break;
          if (t->len == 1) {
            bool keyerr = is_subclass(in->cls, class_of_exc(vm, Exc::KeyError));
            return repr_value(vm, t->items[0], !keyerr);
          }
          return repr_value(vm, args, false);
        }
        ok = sb_adds(vm, in->cls->name->data);
        if (!ok) break;
        if (!t || t->len != 1) {
          if (!t) return sb_adds(vm, "()") ? Status::Ok : Status::Memory;
          return repr_value(vm, args, false);
        }
        if (!sb_addc(vm, '(')) return Status::Memory;
        Status s2 = repr_value(vm, t->items[0], false);
        if (s2 != Status::Ok) return s2;
        ok = sb_addc(vm, ')');
        break;
      }
      ok = sb_adds(vm, "<") && sb_adds(vm, in->cls->name->data) && sb_adds(vm, " object>");
      break;
    }
    default: ok = sb_adds(vm, "<") && sb_adds(vm, type_name(v)) && sb_adds(vm, ">"); break;
  }
  return ok ? Status::Ok : Status::Memory;
}

Status to_str(VM* vm, const Value& v, Value* out) {
  if (v.tag == T::Str) { *out = v; return Status::Ok; }
  size_t mark = vm->scratch.len;
  vm->c_depth++;
  Status st = repr_value(vm, v, true);
  vm->c_depth--;
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  Str* s = sb_take(vm, mark);
  if (!s) return Status::Memory;
  *out = mk_obj(s);
  return Status::Ok;
}

Status to_repr(VM* vm, const Value& v, Value* out) {
  size_t mark = vm->scratch.len;
  vm->c_depth++;
  Status st = repr_value(vm, v, false);
  vm->c_depth--;
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  Str* s = sb_take(vm, mark);
  if (!s) return Status::Memory;
  *out = mk_obj(s);
  return Status::Ok;
}

// ---- attributes ----
static Status bind(VM* vm, const Value& self, const Value& fn, Value* out) {
  Bound* b = static_cast<Bound*>(gc_new(vm, T::Bound, sizeof(Bound)));
  if (!b) return Status::Memory;
  b->self = self;
  b->fn = fn;
  *out = mk_obj(b);
  return Status::Ok;
}

static Status attr_error(VM* vm, const Value& obj, Str* name) {
  if (obj.tag == T::Module)
    return raise(vm, Exc::AttributeError, "module '%s' has no attribute '%s'", as<Module>(obj)->name->data, name->data);
  if (obj.tag == T::Class)
    return raise(vm, Exc::AttributeError, "type object '%s' has no attribute '%s'", as<Class>(obj)->name->data, name->data);
  return raise(vm, Exc::AttributeError, "'%T' object has no attribute '%s'", obj, name->data);
}

Status get_method(VM* vm, const Value& obj, Str* name, Value* fn, Value* self, bool* is_method) {
  *is_method = false;
  switch (obj.tag) {
    case T::Instance: {
      Instance* in = as<Instance>(obj);
      if (in->dict && dict_get_str(in->dict, name, fn)) return Status::Ok;
      bool found;
      Value v = lookup_class_attr(in->cls, name, &found);
      if (found) {
        *fn = v;
        if (v.tag == T::Func || v.tag == T::Native) { *self = obj; *is_method = true; }
        return Status::Ok;
      }
      if (name == vm->s_name) break;
      if (name->len == 9 && __builtin_memcmp(name->data, "__class__", 9) == 0) { *fn = mk_obj(in->cls); return Status::Ok; }
      return attr_error(vm, obj, name);
    }
    case T::Class: {
      Class* c = as<Class>(obj);
      bool found;
      Value v = lookup_class_attr(c, name, &found);
      if (found) { *fn = v; return Status::Ok; }
      if (name == vm->s_name) { *fn = mk_obj(c->name); return Status::Ok; }
      return attr_error(vm, obj, name);
    }
    case T::Module: {
      if (dict_get_str(as<Module>(obj)->dict, name, fn)) return Status::Ok;
      if (name == vm->s_name) { *fn = mk_obj(as<Module>(obj)->name); return Status::Ok; }
      return attr_error(vm, obj, name);
    }
    case T::Bound: {
      Bound* b = as<Bound>(obj);
      if (b->flags == 1 && b->fn.tag == T::None && name == vm->s_init) {  // object.__init__
        *fn = mk_native(noop_init_def());
        *self = b->self;
        *is_method = true;
        return Status::Ok;
      }
      if (b->fn.tag == T::Class && b->flags == 1) {  // super object
        bool found;
        Value v = lookup_class_attr(as<Class>(b->fn), name, &found);
        if (!found && name == vm->s_init) {
          v = mk_native(is_subclass(as<Class>(b->fn), class_of_exc(vm, Exc::BaseException)) ? exc_init_def()
                                                                                            : noop_init_def());
          found = true;
        }
        if (!found) return raise(vm, Exc::AttributeError, "'super' object has no attribute '%s'", name->data);
        *fn = v;
        if (v.tag == T::Func || v.tag == T::Native) { *self = b->self; *is_method = true; }
        return Status::Ok;
      }
      break;
    }
    case T::Func:
      if (name == vm->s_name) { *fn = mk_obj(as<Func>(obj)->proto->name); return Status::Ok; }
      break;
    case T::Native:
      if (name == vm->s_name) { *fn = new_str(vm, obj.nf->name); return fn->tag == T::Undef ? Status::Memory : Status::Ok; }
      break;
    default: {
      const NativeDef* d = find_method(obj.tag, name);
      if (d) { *fn = mk_native(d); *self = obj; *is_method = true; return Status::Ok; }
      break;
    }
  }
  return attr_error(vm, obj, name);
}

Status get_attr(VM* vm, const Value& obj, Str* name, Value* out) {
  Value fn, self;
  bool m;
  Status st = get_method(vm, obj, name, &fn, &self, &m);
  if (st != Status::Ok) return st;
  if (m) return bind(vm, self, fn, out);
  *out = fn;
  return Status::Ok;
}

Status set_attr(VM* vm, const Value& obj, Str* name, const Value& v) {
  Dict** dp = nullptr;
  if (obj.tag == T::Instance) dp = &as<Instance>(obj)->dict;
  else if (obj.tag == T::Class) dp = &as<Class>(obj)->dict;
  else if (obj.tag == T::Module) dp = &as<Module>(obj)->dict;
  else if (obj.tag == T::Bound || obj.tag == T::Func || is_obj(obj) || obj.tag == T::Native) {
    return raise(vm, Exc::AttributeError, "'%T' object has no attribute '%s'", obj, name->data);
  } else {
    return raise(vm, Exc::AttributeError, "'%T' object attribute '%s' is read-only", obj, name->data);
  }
  if (!*dp) {
    *dp = dict_new(vm);
    if (!*dp) return Status::Memory;
  }
  if (obj.tag == T::Class && v.tag == T::Func && !as<Func>(v)->owner) as<Func>(v)->owner = obj.o;
  return dict_set_str(vm, *dp, name, v);
}

// ---- iteration ----
Status get_iter(VM* vm, const Value& v, Value* out) {
  IterKind k;
  int64_t end = 0;
  switch (v.tag) {
    case T::List: k = IterKind::Seq; end = -1; break;
    case T::Tuple: k = IterKind::Seq; end = as<Tuple>(v)->len; break;
    case T::Str: k = IterKind::Str; end = as<Str>(v)->len; break;
    case T::Bytes: k = IterKind::Bytes; end = as<Str>(v)->len; break;
    case T::ByteArray: k = IterKind::Bytes; end = -1; break;
    case T::Dict: k = IterKind::DictKeys; break;
    case T::Range: k = IterKind::Range; break;
    case T::Iter: *out = v; return Status::Ok;
    case T::Instance: {
      bool found;
      Value fn = lookup_class_attr(as<Instance>(v)->cls, str_intern(vm, "__iter__", 8), &found);
      if (found) {
        Value a[1] = {v};
        return call_value(vm, fn, a, 1, out);
      }
      return raise(vm, Exc::TypeError, "'%T' object is not iterable", v);
    }
    default: return raise(vm, Exc::TypeError, "'%T' object is not iterable", v);
  }
  Iter* it = static_cast<Iter*>(gc_new(vm, T::Iter, sizeof(Iter)));
  if (!it) return Status::Memory;
  it->seq = v;
  it->seq2 = mk_none();
  it->kind = k;
  it->pos = 0;
  it->end = end;
  it->step = 1;
  if (k == IterKind::Range) {
    Range* r = as<Range>(v);
    it->pos = r->start;
    it->end = r->stop;
    it->step = r->step;
  }
  *out = mk_obj(it);
  return Status::Ok;
}

Status iter_next(VM* vm, const Value& itv, Value* out, bool* done) {
  *done = false;
  if (itv.tag == T::Instance) {
    bool found;
    Value fn = lookup_class_attr(as<Instance>(itv)->cls, str_intern(vm, "__next__", 8), &found);
    if (!found) return raise(vm, Exc::TypeError, "'%T' object is not an iterator", itv);
    Value a[1] = {itv};
    Status st = call_value(vm, fn, a, 1, out);
    if (st == Status::Runtime && vm->exc.tag == T::Instance &&
        is_subclass(as<Instance>(vm->exc)->cls, class_of_exc(vm, Exc::StopIteration))) {
      vm->exc = mk_undef();
      *done = true;
      return Status::Ok;
    }
    return st;
  }
  if (itv.tag != T::Iter) return raise(vm, Exc::TypeError, "'%T' object is not an iterator", itv);
  Iter* it = as<Iter>(itv);
  switch (it->kind) {
    case IterKind::Range:
      if (it->step > 0 ? it->pos >= it->end : it->pos <= it->end) { *done = true; return Status::Ok; }
      *out = mk_int(it->pos);
      it->pos += it->step;
      return Status::Ok;
    case IterKind::Seq: {
      uint32_t n = it->seq.tag == T::List ? as<List>(it->seq)->len : as<Tuple>(it->seq)->len;
      if (it->pos >= n) { *done = true; return Status::Ok; }
      *out = it->seq.tag == T::List ? as<List>(it->seq)->items[it->pos] : as<Tuple>(it->seq)->items[it->pos];
      it->pos++;
      return Status::Ok;
    }
    case IterKind::Str: {
      Str* s = as<Str>(it->seq);
      if (it->pos >= s->len) { *done = true; return Status::Ok; }
      // one UTF-8 code point
      int64_t p = it->pos;
      unsigned char c = static_cast<unsigned char>(s->data[p]);
      int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (p + n > s->len) n = static_cast<int>(s->len - p);
      Str* r = str_new(vm, s->data + p, n);
      if (!r) return Status::Memory;
      it->pos += n;
      *out = mk_obj(r);
      return Status::Ok;
    }
    case IterKind::Bytes: {
      uint32_t n = it->seq.tag == T::Bytes ? as<Str>(it->seq)->len : as<ByteArray>(it->seq)->len;
      if (it->pos >= n) { *done = true; return Status::Ok; }
      const uint8_t* d = it->seq.tag == T::Bytes ? reinterpret_cast<const uint8_t*>(as<Str>(it->seq)->data) : as<ByteArray>(it->seq)->data;
      *out = mk_int(d[it->pos++]);
      return Status::Ok;
    }
    case IterKind::DictKeys: case IterKind::DictItems: case IterKind::DictValues: {
      Dict* d = as<Dict>(it->seq);
      while (it->pos < d->used && d->entries[it->pos].key.tag == T::Undef) it->pos++;
      if (it->pos >= d->used) { *done = true; return Status::Ok; }
      DictEntry& e = d->entries[it->pos++];
      if (it->kind == IterKind::DictKeys) *out = e.key;
      else if (it->kind == IterKind::DictValues) *out = e.val;
      else {
        Tuple* t = tuple_new(vm, 2);
        if (!t) return Status::Memory;
        t->items[0] = e.key;
        (t->items + 1)[0] = e.val;
        *out = mk_obj(t);
      }
      return Status::Ok;
    }
    case IterKind::Enumerate: {
      Value v;
      Status st = iter_next(vm, it->seq, &v, done);
      if (st != Status::Ok || *done) return st;
      push_root(vm, v);
      Tuple* t = tuple_new(vm, 2);
      pop_roots(vm, 1);
      if (!t) return Status::Memory;
      t->items[0] = mk_int(it->pos++);
      (t->items + 1)[0] = v;
      *out = mk_obj(t);
      return Status::Ok;
    }
    case IterKind::Zip: {
      Value a, b;
      Status st = iter_next(vm, it->seq, &a, done);
      if (st != Status::Ok || *done) return st;
      push_root(vm, a);
      st = iter_next(vm, it->seq2, &b, done);
      if (st != Status::Ok || *done) { pop_roots(vm, 1); return st; }
      push_root(vm, b);
      Tuple* t = tuple_new(vm, 2);
      pop_roots(vm, 2);
      if (!t) return Status::Memory;
      t->items[0] = a;
      (t->items + 1)[0] = b;
      *out = mk_obj(t);
      return Status::Ok;
    }
  }
  *done = true;
  return Status::Ok;
}

// Materialise a sequence's items (list/tuple directly; other iterables into a new
// list held in *holder, which the caller must keep rooted).
Status seq_items(VM* vm, const Value& v, Value** items, uint32_t* n, Value* holder) {
  if (v.tag == T::List) { *items = as<List>(v)->items; *n = as<List>(v)->len; return Status::Ok; }
  if (v.tag == T::Tuple) { *items = as<Tuple>(v)->items; *n = as<Tuple>(v)->len; return Status::Ok; }
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
    if (st != Status::Ok) break;
    if (done) break;
    st = list_append(vm, l, x);
    if (st != Status::Ok) break;
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
  List* l = as<List>(v);
  Tuple* t = tuple_new(vm, l->len);
  if (!t) return Status::Memory;
  for (uint32_t i = 0; i < l->len; i++) t->items[i] = l->items[i];
  *holder = mk_obj(t);
  *items = t->items;
  *n = t->len;
  return Status::Ok;
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
