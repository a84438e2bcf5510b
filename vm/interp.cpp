// The dispatch loop. One loop runs every script frame: a call to a script function
// pushes a Frame and continues in the same loop (no C++ recursion); natives that call
// back into scripts (sorted(key=), __str__, exec) re-enter through call_value, bounded
// by a C depth limit. Exceptions unwind to the innermost handler of the current frame,
// then pop frames. Safe points (backward jumps, calls) run the collector, charge the
// instruction budget and poll the interrupt flag.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

namespace {
// Inline fast paths in the dispatch loop trade flash for speed; the size-optimised
// configuration (HILSIM_VM_SMALL: -Os, the firmware) leaves them out and takes the
// generic paths, and dispatches with a switch instead of a computed-goto table.
constexpr bool kFast = !HILSIM_VM_SMALL;
// Operands are referenced in place on the value stack, never copied: a copy whose address
// escapes (the generic paths take const Value&) would live in memory, and in the fast
// paths every type test would then wait on the store. Results overwrite the operand slots
// only after the operands have been read.
#define SVAL const Value&

int line_of(Proto* p, const uint32_t* pc) {
  uint32_t off = static_cast<uint32_t>(pc - p->code);
  if (off) off--;
  int line = 0;
  for (uint32_t i = 0; i < p->nlines && p->lines[i].pc <= off; i++) line = static_cast<int>(p->lines[i].line);
  return line;
}

void tb_add(VM* vm, Frame* f) {
  if (vm->ntb >= 5) return;
  auto& e = vm->tb[vm->ntb++];
  Proto* p = f->fn->proto;
  e.line = line_of(p, f->pc);
  e.name = p->name;
  e.file = p->source_name;
}

}  // namespace


Status binary_op(VM* vm, int op, const Value& a, const Value& b, Value* out);
Status subscr(VM* vm, const Value& obj, const Value& key, Value* out);
Status store_subscr(VM* vm, const Value& obj, const Value& key, const Value& v);
Status del_subscr(VM* vm, const Value& obj, const Value& key);
Status format_value(VM* vm, const Value& v, const char* spec, size_t n, Value* out);
Status import_module(VM* vm, Str* name, Value* out);
const NativeDef* find_builtin(Str* name);

namespace {
Status safepoint(VM* vm) {
  if (vm->interrupt_flag) {
    vm->interrupt_flag = 0;
    return raise_msg(vm, Exc::KeyboardInterrupt, MSG("interrupted"));
  }
  if (vm->budget_on) {
    if (vm->budget == 0) return raise_msg(vm, Exc::KeyboardInterrupt, MSG("instruction budget exhausted"));
    vm->budget--;
  }
  if (vm->heap.used > vm->gc_limit) gc_collect(vm);
  // while a budget runs, force the slow path on every safe point
  vm->gc_threshold = vm->budget_on ? 0 : vm->gc_limit;
  return Status::Ok;
}

Status load_global(VM* vm, Dict* globals, Str* name, Value* out) {
  if (dict_get_str(globals, name, out)) return Status::Ok;
  if (const NativeDef* d = find_builtin(name)) { *out = mk_native(d); return Status::Ok; }
  for (int i = 0; i < static_cast<int>(Exc::Count); i++) {
    if (__builtin_strcmp(exc_name(static_cast<Exc>(i)), name->data) != 0) continue;
    Class* c = class_of_exc(vm, static_cast<Exc>(i));
    if (!c) return raise_memory(vm);
    *out = mk_obj(c);
    return Status::Ok;
  }
  return raise_msg(vm, Exc::NameError, MSG("name '%s' is not defined"), name->data);
}
}  // namespace

Status run_frame(VM* vm) {
#if !HILSIM_VM_SMALL
  static const void* const kLabels[] = {
#define X(name, eff, doc) &&L_##name,
      HILSIM_VM_OPCODES(X)
#undef X
  };
#endif
  Frame* fr;
  Func* fn;
  const uint32_t* pc;
  Value* base;
  Value* sp;
  Value* K;
  uint32_t i, a;
  Status st;
  bool pushed;  // a call pushed a script frame

#define LOAD_STATE()                          \
  do {                                        \
    fr = &vm->frames[vm->nframes - 1];        \
    fn = fr->fn;                              \
    pc = fr->pc;                              \
    base = fr->base;                          \
    K = fn->proto->consts;                    \
    sp = vm->sp;                              \
  } while (0)
#define SAVE_STATE() do { fr->pc = pc; vm->sp = sp; } while (0)
#if HILSIM_VM_SMALL
#define DISPATCH() goto dispatch
#define TARGET(name) case OP_##name:
#else
#define DISPATCH() do { i = *pc++; a = i >> 8; goto *kLabels[i & 0xff]; } while (0)
#define TARGET(name) L_##name:
#endif
#define CHECK(expr) do { SAVE_STATE(); st = (expr); if (st != Status::Ok) goto on_error; sp = vm->sp; } while (0)
#define FAIL(expr) do { SAVE_STATE(); st = (expr); goto on_error; } while (0)
// Every backward jump is a safe point (loops cannot escape the budget, interrupt or GC).
#define JUMP_TO(tgt)                                                       \
  do {                                                                     \
    const uint32_t* t_ = (tgt);                                            \
    bool back_ = t_ < pc;                                                  \
    pc = t_;                                                               \
    if (back_ && vm->heap.used > vm->gc_threshold) CHECK(safepoint(vm));   \
  } while (0)
// Operand types the bytecode verifier cannot see are checked where they are used.
#define REQUIRE_TYPE(v, t) do { if ((v).tag != (t)) goto bad_code; } while (0)

  LOAD_STATE();
#if HILSIM_VM_SMALL
  for (;;) {
  dispatch:
    i = *pc++;
    a = i >> 8;
    switch (i & 0xff) {
#else
  DISPATCH();
#endif

TARGET(NOP) DISPATCH();
TARGET(LOAD_CONST) *sp++ = K[a]; DISPATCH();
TARGET(LOAD_NONE) *sp++ = mk_none(); DISPATCH();
TARGET(LOAD_TRUE) *sp++ = mk_bool(true); DISPATCH();
TARGET(LOAD_FALSE) *sp++ = mk_bool(false); DISPATCH();
TARGET(LOAD_INT) *sp++ = mk_int(static_cast<int64_t>(a) - kIntBias); DISPATCH();
TARGET(LOAD_FAST)
  if (__builtin_expect(base[a].tag == T::Undef, 0)) {
    Proto* p = fn->proto;
    Str* nm = a < p->nnames && p->params ? p->params[a] : nullptr;
    FAIL(raise_msg(vm, Exc::UnboundLocalError, MSG("cannot access local variable '%s' where it is not associated with a value"),
               nm ? nm->data : "?"));
  }
  *sp++ = base[a];
  DISPATCH();
TARGET(STORE_FAST) base[a] = *--sp; DISPATCH();
TARGET(DELETE_FAST) base[a] = mk_undef(); DISPATCH();
TARGET(LOAD_UPVAL) *sp++ = *fn->upvals[a]->v; DISPATCH();
TARGET(STORE_UPVAL) *fn->upvals[a]->v = *--sp; DISPATCH();
TARGET(LOAD_GLOBAL) {
  Str* nm = as<Str>(K[a]);
  if (kFast && dict_get_str(fn->globals, nm, sp)) { sp++; DISPATCH(); }
  CHECK(load_global(vm, fn->globals, nm, sp));
  sp++;
  DISPATCH();
}
TARGET(STORE_GLOBAL)
  CHECK(dict_set_str(vm, fn->globals, as<Str>(K[a]), sp[-1]));
  sp--;
  DISPATCH();
TARGET(DELETE_GLOBAL) {
  Str* nm = as<Str>(K[a]);
  if (!dict_del(fn->globals, K[a], nm->hash)) FAIL(raise_msg(vm, Exc::NameError, MSG("name '%s' is not defined"), nm->data));
  DISPATCH();
}
TARGET(LOAD_CLSNAME) {
  SVAL cls = base[a >> 12];
  Str* nm = as<Str>(K[a & 0xfff]);
  REQUIRE_TYPE(cls, T::Class);
  if (as<Class>(cls)->dict && dict_get_str(as<Class>(cls)->dict, nm, sp)) { sp++; DISPATCH(); }
  CHECK(load_global(vm, fn->globals, nm, sp));
  sp++;
  DISPATCH();
}
TARGET(STORE_CLSNAME)
  REQUIRE_TYPE(base[a >> 12], T::Class);
  CHECK(set_attr(vm, base[a >> 12], as<Str>(K[a & 0xfff]), sp[-1]));
  sp--;
  DISPATCH();
TARGET(LOAD_ATTR) {
  SVAL o = sp[-1];
  Str* nm = as<Str>(K[a]);
  if (kFast && o.tag == T::Instance && as<Instance>(o)->dict && dict_get_str(as<Instance>(o)->dict, nm, sp - 1)) DISPATCH();
  CHECK(get_attr(vm, o, nm, sp - 1));
  DISPATCH();
}
TARGET(STORE_ATTR) {
  SVAL o = sp[-1];
  Str* nm = as<Str>(K[a]);
  if (kFast && o.tag == T::Instance && as<Instance>(o)->dict) {
    CHECK(dict_set_str(vm, as<Instance>(o)->dict, nm, sp[-2]));
  } else {
    CHECK(set_attr(vm, o, nm, sp[-2]));
  }
  sp -= 2;
  DISPATCH();
}
TARGET(DELETE_ATTR) {
  SVAL o = sp[-1];
  Str* nm = as<Str>(K[a]);
  Dict* d = o.tag == T::Instance ? as<Instance>(o)->dict : o.tag == T::Class ? as<Class>(o)->dict : nullptr;
  if (!d || !dict_del(d, K[a], nm->hash)) FAIL(raise(vm, Exc::AttributeError, "%s", nm->data));
  sp--;
  DISPATCH();
}
TARGET(LOAD_METHOD) {
  SVAL o = sp[-1];
  Str* nm = as<Str>(K[a]);
  if (kFast && o.tag == T::Instance) {
    Instance* in = as<Instance>(o);
    if (!(in->dict && dict_get_str(in->dict, nm, sp))) {
      bool found;
      Value m = lookup_class_attr(in->cls, nm, &found);
      if (found && m.tag == T::Func) {
        sp[0] = o;  // before o's slot is overwritten
        sp[-1] = m;
        sp++;
        DISPATCH();
      }
    } else {
      sp[-1] = mk_undef();
      sp++;
      DISPATCH();
    }
  }
  Value f, self;
  bool is_m;
  CHECK(get_method(vm, o, nm, &f, &self, &is_m));
  if (is_m) { sp[-1] = f; sp[0] = self; }
  else { sp[-1] = mk_undef(); sp[0] = f; }
  sp++;
  DISPATCH();
}
TARGET(SUBSCR) {
  SVAL o = sp[-2], &k = sp[-1];
  if (kFast && o.tag == T::List && k.tag == T::Int) {
    List* l = as<List>(o);
    int64_t idx = k.i < 0 ? k.i + l->len : k.i;
    if (static_cast<uint64_t>(idx) < l->len) { sp[-2] = l->items[idx]; sp--; DISPATCH(); }
  }
  CHECK(subscr(vm, o, k, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(STORE_SUBSCR) {
  SVAL o = sp[-2], &k = sp[-1];
  if (kFast && o.tag == T::List && k.tag == T::Int) {
    List* l = as<List>(o);
    int64_t idx = k.i < 0 ? k.i + l->len : k.i;
    if (static_cast<uint64_t>(idx) < l->len) { l->items[idx] = sp[-3]; sp -= 3; DISPATCH(); }
  }
  CHECK(store_subscr(vm, o, k, sp[-3]));
  sp -= 3;
  DISPATCH();
}
TARGET(DELETE_SUBSCR)
  CHECK(del_subscr(vm, sp[-2], sp[-1]));
  sp -= 2;
  DISPATCH();
TARGET(BUILD_SLICE) {
  Slice* s = static_cast<Slice*>(gc_new(vm, T::Slice, sizeof(Slice)));
  if (!s) FAIL(Status::Memory);
  copy_vals(&s->start, sp - 3, 3);  // start, stop, step
  sp -= 2;
  sp[-1] = mk_obj(s);
  DISPATCH();
}
#if !HILSIM_VM_SMALL
TARGET(ADD) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) {
    int64_t r;
    if (!__builtin_add_overflow(x.i, y.i, &r)) {
      uint32_t nx = *pc;
      if ((nx & 0xff) == OP_STORE_FAST) {  // fused "x = a op b" into a local
        base[nx >> 8] = mk_int(r);
        sp -= 2;
        pc++;
        DISPATCH();
      }
      sp[-2].i = r;
      sp--;
      DISPATCH();
    }
  } else if (kFast && x.tag == T::Float && y.tag == T::Float) {
    sp[-2].f = x.f + y.f; sp--; DISPATCH();
  }
  CHECK(binary_op(vm, OP_ADD, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(SUB) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) {
    int64_t r;
    if (!__builtin_sub_overflow(x.i, y.i, &r)) {
      uint32_t nx = *pc;
      if ((nx & 0xff) == OP_STORE_FAST) {  // fused "x = a op b" into a local
        base[nx >> 8] = mk_int(r);
        sp -= 2;
        pc++;
        DISPATCH();
      }
      sp[-2].i = r;
      sp--;
      DISPATCH();
    }
  } else if (kFast && x.tag == T::Float && y.tag == T::Float) {
    sp[-2].f = x.f - y.f; sp--; DISPATCH();
  }
  CHECK(binary_op(vm, OP_SUB, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(MUL) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) {
    int64_t r;
    if (!__builtin_mul_overflow(x.i, y.i, &r)) { sp[-2].i = r; sp--; DISPATCH(); }
  } else if (kFast && x.tag == T::Float && y.tag == T::Float) {
    sp[-2].f = x.f * y.f; sp--; DISPATCH();
  }
  CHECK(binary_op(vm, OP_MUL, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(MOD) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int && y.i > 0) { sp[-2].i = mod_i(x.i, y.i); sp--; DISPATCH(); }
  CHECK(binary_op(vm, OP_MOD, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(FLOORDIV) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int && y.i > 0) { sp[-2].i = floordiv_i(x.i, y.i); sp--; DISPATCH(); }
  CHECK(binary_op(vm, OP_FLOORDIV, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(IADD) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) {
    int64_t r;
    if (!__builtin_add_overflow(x.i, y.i, &r)) {
      uint32_t nx = *pc;
      if ((nx & 0xff) == OP_STORE_FAST) {  // fused "x = a op b" into a local
        base[nx >> 8] = mk_int(r);
        sp -= 2;
        pc++;
        DISPATCH();
      }
      sp[-2].i = r;
      sp--;
      DISPATCH();
    }
  } else if (kFast && x.tag == T::Float && y.tag == T::Float) {
    sp[-2].f = x.f + y.f; sp--; DISPATCH();
  }
  CHECK(binary_op(vm, OP_IADD, x, y, sp - 2));
  sp--;
  DISPATCH();
}
#endif
#if HILSIM_VM_SMALL
TARGET(ADD) TARGET(SUB) TARGET(MUL) TARGET(MOD) TARGET(FLOORDIV) TARGET(IADD)
TARGET(EQ) TARGET(NE) TARGET(LT) TARGET(LE) TARGET(GT) TARGET(GE)
#endif
TARGET(TRUEDIV) TARGET(POW) TARGET(LSHIFT) TARGET(RSHIFT) TARGET(BAND) TARGET(BOR) TARGET(BXOR)
TARGET(IS) TARGET(IS_NOT) TARGET(IN) TARGET(NOT_IN)
  CHECK(binary_op(vm, i & 0xff, sp[-2], sp[-1], sp - 2));
  sp--;
  DISPATCH();
#if !HILSIM_VM_SMALL
// Integer comparisons followed by a conditional jump skip materialising the bool.
#define INT_COMPARE(OPNAME, EXPR)                                                   \
  {                                                                                 \
    SVAL x = sp[-2], &y = sp[-1];                                                   \
    if (kFast && x.tag == T::Int && y.tag == T::Int) {                                       \
      bool r = (EXPR);                                                              \
      uint32_t nx = *pc;                                                            \
      if ((nx & 0xff) == OP_POP_JUMP_IF_FALSE) {                                    \
        sp -= 2;                                                                    \
        if (r) pc++;                                                                \
        else JUMP_TO(fn->proto->code + (nx >> 8));                                  \
        DISPATCH();                                                                 \
      }                                                                             \
      sp[-2] = mk_bool(r);                                                          \
      sp--;                                                                         \
      DISPATCH();                                                                   \
    }                                                                               \
    CHECK(binary_op(vm, OPNAME, x, y, sp - 2));                                     \
    sp--;                                                                           \
    DISPATCH();                                                                     \
  }
TARGET(GT) INT_COMPARE(OP_GT, x.i > y.i)
TARGET(GE) INT_COMPARE(OP_GE, x.i >= y.i)
TARGET(LE) INT_COMPARE(OP_LE, x.i <= y.i)
TARGET(NE) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) { sp[-2] = mk_bool(x.i != y.i); sp--; DISPATCH(); }
  CHECK(binary_op(vm, OP_NE, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(EQ) {
  SVAL x = sp[-2], &y = sp[-1];
  if (kFast && x.tag == T::Int && y.tag == T::Int) { sp[-2] = mk_bool(x.i == y.i); sp--; DISPATCH(); }
  if (kFast && x.tag == T::Str && y.tag == T::Str) { sp[-2] = mk_bool(str_eq(as<Str>(x), as<Str>(y))); sp--; DISPATCH(); }
  CHECK(binary_op(vm, OP_EQ, x, y, sp - 2));
  sp--;
  DISPATCH();
}
TARGET(LT) INT_COMPARE(OP_LT, x.i < y.i)
TARGET(NEG) {
  SVAL x = sp[-1];
  if (x.tag == T::Int && x.i != INT64_MIN) { sp[-1].i = -x.i; DISPATCH(); }
  if (x.tag == T::Float) { sp[-1].f = -x.f; DISPATCH(); }
  CHECK(binary_op(vm, OP_NEG, x, x, sp - 1));
  DISPATCH();
}
#endif
#if HILSIM_VM_SMALL
TARGET(NEG)
#endif
TARGET(POS) TARGET(INVERT)
  CHECK(binary_op(vm, i & 0xff, sp[-1], sp[-1], sp - 1));
  DISPATCH();
TARGET(NOT) sp[-1] = mk_bool(!truthy(sp[-1])); DISPATCH();
TARGET(JUMP)
  JUMP_TO(fn->proto->code + a);
  DISPATCH();
TARGET(POP_JUMP_IF_FALSE) TARGET(POP_JUMP_IF_TRUE) {
  bool t = sp[-1].tag == T::Bool ? sp[-1].b : truthy(sp[-1]);
  sp--;
  if (t == ((i & 0xff) == OP_POP_JUMP_IF_TRUE)) JUMP_TO(fn->proto->code + a);
  DISPATCH();
}
TARGET(JUMP_IF_FALSE_OR_POP)
  if (!truthy(sp[-1])) JUMP_TO(fn->proto->code + a);
  else sp--;
  DISPATCH();
TARGET(JUMP_IF_TRUE_OR_POP)
  if (truthy(sp[-1])) JUMP_TO(fn->proto->code + a);
  else sp--;
  DISPATCH();
TARGET(POP) sp--; DISPATCH();
TARGET(DUP) sp[0] = sp[-1]; sp++; DISPATCH();
TARGET(DUP2) copy_vals(sp, sp - 2, 2); sp += 2; DISPATCH();
TARGET(ROT2) { Value t = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; DISPATCH(); }
TARGET(ROT3) { Value t = sp[-1]; copy_vals(sp - 2, sp - 3, 2); sp[-3] = t; DISPATCH(); }
TARGET(BUILD_LIST) {
  SAVE_STATE();
  List* l = list_new(vm, a);
  if (!l) FAIL(Status::Memory);
  copy_vals(l->items, sp - a, a);
  l->len = a;
  sp -= a;
  *sp++ = mk_obj(l);
  DISPATCH();
}
TARGET(BUILD_TUPLE) {
  SAVE_STATE();
  Tuple* t = tuple_new(vm, a);
  if (!t) FAIL(Status::Memory);
  copy_vals(t->items, sp - a, a);
  sp -= a;
  *sp++ = mk_obj(t);
  DISPATCH();
}
TARGET(BUILD_DICT) {
  SAVE_STATE();
  Dict* d = dict_new(vm);
  if (!d) FAIL(Status::Memory);
  *sp++ = mk_obj(d);
  vm->sp = sp;
  {
    Value* first = sp - 1 - 2 * static_cast<ptrdiff_t>(a);
    for (uint32_t k = 0; k < a; k++) CHECK(dict_set_v(vm, d, first[2 * k], first[2 * k + 1]));
  }
  sp -= 2 * a + 1;
  *sp++ = mk_obj(d);
  DISPATCH();
}
TARGET(BUILD_STRING) {
  size_t mark = vm->scratch.len;
  SAVE_STATE();
  for (uint32_t k = 0; k < a; k++) {
    REQUIRE_TYPE((sp - a)[k], T::Str);
    Str* s = as<Str>((sp - a)[k]);
    if (!sb_add(vm, s->data, s->len)) { vm->scratch.len = mark; FAIL(Status::Memory); }
  }
  Str* r = sb_take(vm, mark);
  if (!r) FAIL(Status::Memory);
  sp -= a;
  *sp++ = mk_obj(r);
  DISPATCH();
}
TARGET(LIST_APPEND)
  REQUIRE_TYPE(sp[-1 - static_cast<int>(a)], T::List);
  CHECK(list_append(vm, as<List>(sp[-1 - static_cast<int>(a)]), sp[-1]));
  sp--;
  DISPATCH();
TARGET(DICT_SET)
  REQUIRE_TYPE(sp[-2 - static_cast<int>(a)], T::Dict);
  CHECK(dict_set_v(vm, as<Dict>(sp[-2 - static_cast<int>(a)]), sp[-2], sp[-1]));
  sp -= 2;
  DISPATCH();
TARGET(UNPACK) {
  SVAL s = sp[-1];
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  CHECK(seq_items(vm, s, &items, &n, &holder));
  if (n != a) {
    if (n < a) FAIL(raise_msg(vm, Exc::ValueError, MSG("not enough values to unpack (expected %d, got %d)"), static_cast<int>(a), static_cast<int>(n)));
    FAIL(raise_msg(vm, Exc::ValueError, MSG("too many values to unpack (expected %d)"), static_cast<int>(a)));
  }
  if (sp - 1 + a >= vm->stack_end) FAIL(raise_msg(vm, Exc::RecursionError, MSG("stack overflow")));
  sp--;
  for (uint32_t k = 0; k < n; k++) sp[k] = items[n - 1 - k];
  sp += n;
  DISPATCH();
}
TARGET(GET_ITER) {
  SVAL v = sp[-1];
  CHECK(get_iter(vm, v, sp - 1));
  DISPATCH();
}
TARGET(FOR_ITER) TARGET(FOR_RANGE) {
  SVAL itv = sp[-1];
  if (kFast && itv.tag == T::Iter) {
    Iter* it = as<Iter>(itv);
    if (it->kind == IterKind::Range) {
      if (it->step > 0 ? it->pos < it->end : it->pos > it->end) {
        uint32_t nx = *pc;
        if ((nx & 0xff) == OP_STORE_FAST) {
          base[nx >> 8] = mk_int(it->pos);
          pc++;
        } else {
          *sp++ = mk_int(it->pos);
        }
        it->pos += it->step;
        DISPATCH();
      }
      sp--;
      JUMP_TO(fn->proto->code + a);
      DISPATCH();
    }
    if (it->kind == IterKind::Seq && it->seq.tag == T::List) {
      List* l = as<List>(it->seq);
      if (it->pos < l->len) { *sp++ = l->items[it->pos++]; DISPATCH(); }
      sp--;
      JUMP_TO(fn->proto->code + a);
      DISPATCH();
    }
  }
  Value v;
  bool done;
  CHECK(iter_next(vm, itv, &v, &done));
  if (done) { sp--; JUMP_TO(fn->proto->code + a); DISPATCH(); }
  *sp++ = v;
  DISPATCH();
}
TARGET(MAKE_FUNC) {
  Proto* p = fn->proto->protos[a];
  SAVE_STATE();
  Func* f = static_cast<Func*>(gc_new(vm, T::Func, sizeof(Func) + (p->nupvals ? p->nupvals - 1 : 0) * sizeof(Upval*)));
  if (!f) FAIL(Status::Memory);
  f->proto = p;
  f->globals = fn->globals;
  f->owner = nullptr;
  f->nupvals = 0;
  f->defaults = nullptr;
  if (p->ndefaults) {
    REQUIRE_TYPE(sp[-1], T::Tuple);
    if (as<Tuple>(sp[-1])->len != p->ndefaults) goto bad_code;
    f->defaults = as<Tuple>(*--sp);
  }
  for (uint32_t k = 0; k < p->nupvals; k++) {
    const UpvalDesc& d = p->upvals[k];
    Upval* u = d.from_parent_local ? find_upval(vm, base + d.index) : fn->upvals[d.index];
    if (!u) FAIL(Status::Memory);
    f->upvals[k] = u;
    f->nupvals = k + 1;
  }
  *sp++ = mk_obj(f);
  DISPATCH();
}
TARGET(MAKE_CLASS) {
  Value b = sp[-1];
  if (b.tag != T::None && b.tag != T::Class) FAIL(type_error(vm, MSG("base class must be a class, not '%t'"), &b));
  SAVE_STATE();
  Class* c = static_cast<Class*>(gc_new(vm, T::Class, sizeof(Class)));
  if (!c) FAIL(Status::Memory);
  c->name = as<Str>(K[a]);
  c->base = b.tag == T::Class ? as<Class>(b) : nullptr;
  c->dict = nullptr;
  c->builtin_exc = 0;
  sp[-1] = mk_obj(c);
  DISPATCH();
}
TARGET(CALL_METHOD) {
  // [fn self args...] or [Undef callable args...]
  Value* slot = sp - a - 2;
  int n = static_cast<int>(a) + 1;
  if (slot->tag == T::Undef) {
    copy_vals(slot, slot + 1, sp - 1 - slot);
    sp--;
    n--;
  }
  a = static_cast<uint32_t>(n);
  goto do_call;
}
TARGET(CALL) {
do_call:
  Value* callee = sp - a - 1;
  if (kFast && callee->tag == T::Func) {
    Func* f = as<Func>(*callee);
    Proto* p = f->proto;
    if (p->nparams == a && !(p->pflags & (kProtoVarargs | kProtoKwargs))) {
      Value* nb = callee + 1;
      if (__builtin_expect(vm->nframes >= vm->cfg.max_frames || nb + p->nlocals + p->maxstack >= vm->stack_end, 0))
        FAIL(raise_msg(vm, Exc::RecursionError, MSG("maximum recursion depth exceeded")));
      set_undef(nb + a, p->nlocals - a);
      fr->pc = pc;
      fr = &vm->frames[vm->nframes++];
      fr->fn = f;
      fr->base = nb;
      fr->ctor = 0;
      fr->stop = 0;
      fr->nhandlers_at_entry = vm->nhandlers;
      fn = f;
      pc = p->code;
      base = nb;
      K = p->consts;
      sp = nb + p->nlocals;
      if (vm->heap.used > vm->gc_threshold) CHECK(safepoint(vm));
      DISPATCH();
    }
  }
  SAVE_STATE();
  st = call_setup(vm, callee, static_cast<int>(a), 0, nullptr, &pushed);
}
after_call:  // every call opcode ends here
  if (st != Status::Ok) goto on_error;
  if (!pushed) { sp = vm->sp; DISPATCH(); }
  LOAD_STATE();
  if (vm->heap.used > vm->gc_threshold) CHECK(safepoint(vm));
  DISPATCH();
TARGET(CALL_KW) {
  uint32_t npos = a & 0xff, nkw = (a >> 8) & 0xff;
  bool method = a & 0x10000;
  REQUIRE_TYPE(sp[-1], T::Tuple);
  Tuple* names = as<Tuple>(*--sp);
  if (names->len != nkw) goto bad_code;
  for (uint32_t k = 0; k < nkw; k++) REQUIRE_TYPE(names->items[k], T::Str);
  Value* callee = sp - npos - nkw - 1;
  if (method) {
    callee--;
    if (callee->tag == T::Undef) {
      copy_vals(callee, callee + 1, sp - 1 - callee);
      sp--;
    } else {
      npos++;
    }
  }
  SAVE_STATE();
  st = call_setup(vm, callee, static_cast<int>(npos), static_cast<int>(nkw), names, &pushed);
  goto after_call;
}
TARGET(CALL_EX) {
  // [callee (self)] list [dict]
  bool has_kw = a & 1, method = a & 2;
  if (has_kw) REQUIRE_TYPE(sp[-1], T::Dict);
  Value kw = has_kw ? *--sp : mk_none();
  REQUIRE_TYPE(sp[-1], T::List);
  Value args = *--sp;
  Value* callee = sp - 1;
  List* l = as<List>(args);
  uint32_t extra = 0;
  if (method) {
    callee--;
    if (callee->tag == T::Undef) { callee[0] = callee[1]; sp--; }
    else extra = 1;
  }
  Dict* kd = has_kw ? as<Dict>(kw) : nullptr;
  uint32_t nkw = kd ? kd->count : 0;
  if (callee + 1 + extra + l->len + nkw + 8 >= vm->stack_end) FAIL(raise_msg(vm, Exc::RecursionError, MSG("stack overflow")));
  // keep list/dict reachable while spreading them
  sp = callee + 1 + extra;
  Value* keep = sp + l->len + nkw;
  keep[0] = args;
  keep[1] = kw;
  copy_vals(sp, l->items, l->len);
  sp += l->len;
  Tuple* names = nullptr;
  if (nkw) {
    vm->sp = keep + 2;
    SAVE_STATE();
    vm->sp = keep + 2;
    names = tuple_new(vm, nkw);
    if (!names) FAIL(Status::Memory);
    keep[2] = mk_obj(names);
    uint32_t j = 0;
    for (uint32_t k = 0; k < kd->used; k++) {
      if (kd->entries[k].key.tag == T::Undef) continue;
      if (kd->entries[k].key.tag != T::Str) FAIL(type_error(vm, MSG("keywords must be strings")));
      names->items[j++] = kd->entries[k].key;
      *sp++ = kd->entries[k].val;
    }
  }
  SAVE_STATE();
  st = call_setup(vm, callee, static_cast<int>(l->len + extra), static_cast<int>(nkw), names, &pushed);
  goto after_call;
}
TARGET(RETURN) {
  if (vm->open_upvals && vm->open_upvals->v >= base) close_upvals(vm, base);
  const Value* r = sp - 1;
  if (fr->ctor) {  // __init__: the call's result is the instance
    if (r->tag != T::None) FAIL(type_error(vm, MSG("__init__() should return None, not '%t'"), r));
    r = base;
  }
  while (vm->nhandlers > fr->nhandlers_at_entry) vm->nhandlers--;
  Value* dst = base - 1;
  *dst = *r;
  bool stop = fr->stop;
  vm->nframes--;
  vm->sp = dst + 1;
  if (stop) return Status::Ok;
  LOAD_STATE();
  DISPATCH();
}
TARGET(SETUP_TRY) {
  if (vm->nhandlers >= vm->max_handlers) FAIL(raise_msg(vm, Exc::RecursionError, MSG("too many nested try blocks")));
  Handler& h = vm->handlers[vm->nhandlers++];
  h.pc = fn->proto->code + a;
  h.sp = sp;
  h.frame = static_cast<uint16_t>(vm->nframes - 1);
  DISPATCH();
}
TARGET(POP_TRY)
  if (vm->nhandlers > fr->nhandlers_at_entry) vm->nhandlers--;
  DISPATCH();
TARGET(RAISE) {
  if (a == 0) FAIL(raise_msg(vm, Exc::RuntimeError, MSG("No active exception to reraise")));
  Value e = sp[-1];
  if (e.tag == T::Class) {
    SAVE_STATE();
    st = call_value(vm, e, nullptr, 0, &e);
    if (st != Status::Ok) goto on_error;
  }
  if (e.tag != T::Instance || !is_subclass(as<Instance>(e)->cls, class_of_exc(vm, Exc::BaseException)))
    FAIL(type_error(vm, MSG("exceptions must derive from BaseException")));
  as<Instance>(e)->line = 0;
  sp--;
  FAIL(exc_set(vm, e));
}
TARGET(RERAISE) {
  Value e = *--sp;
  FAIL(exc_set(vm, e));
}
TARGET(EXC_MATCH) {
  SVAL c = sp[-1];
  SVAL e = sp[-2];
  bool m = false;
  Class* base_exc = class_of_exc(vm, Exc::BaseException);
  const Value* cs = &c;
  uint32_t n = c.tag == T::Tuple ? as<Tuple>(c)->len : 1;
  if (c.tag == T::Tuple) cs = as<Tuple>(c)->items;
  for (uint32_t k = 0; k < n; k++) {
    if (cs[k].tag != T::Class || !is_subclass(as<Class>(cs[k]), base_exc))
      FAIL(type_error(vm, MSG("catching classes that do not inherit from BaseException is not allowed")));
    if (e.tag == T::Instance && is_subclass(as<Instance>(e)->cls, as<Class>(cs[k]))) m = true;
  }
  sp[-2] = mk_bool(m);
  sp--;
  DISPATCH();
}
TARGET(IMPORT)
  CHECK(import_module(vm, as<Str>(K[a]), sp));
  sp++;
  DISPATCH();
TARGET(IMPORT_FROM) {
  Str* nm = as<Str>(K[a]);
  Value v;
  SAVE_STATE();
  st = get_attr(vm, sp[-1], nm, &v);
  if (st != Status::Ok) {
    if (sp[-1].tag == T::Module)
      FAIL(raise_msg(vm, Exc::ImportError, MSG("cannot import name '%s' from '%s'"), nm->data, as<Module>(sp[-1])->name->data));
    goto on_error;
  }
  *sp++ = v;
  DISPATCH();
}
TARGET(FORMAT) {
  // [value (spec)]: the spec stays on the stack (rooted) until it has been used
  Value* v = sp - 1 - ((a >> 2) & 1);
  if (a & 4) REQUIRE_TYPE(sp[-1], T::Str);
  if ((a & 3) == 1) CHECK(to_repr(vm, *v, v));
  if (a & 4) {
    CHECK(format_value(vm, *v, as<Str>(sp[-1])->data, as<Str>(sp[-1])->len, v));
    sp--;
  } else if ((a & 3) != 1) {
    CHECK(to_str(vm, *v, v));
  }
  DISPATCH();
}
TARGET(SUPER) {
  if (!fn->owner || fn->proto->nlocals == 0 || base[0].tag != T::Instance)
    FAIL(raise_msg(vm, Exc::RuntimeError, MSG("super(): no arguments")));
  SAVE_STATE();
  Bound* b = static_cast<Bound*>(gc_new(vm, T::Bound, sizeof(Bound)));
  if (!b) FAIL(Status::Memory);
  b->flags = 1;
  b->self = base[0];
  Class* sup = static_cast<Class*>(fn->owner)->base;
  b->fn = sup ? mk_obj(sup) : mk_none();
  *sp++ = mk_obj(b);
  DISPATCH();
}
TARGET(LOAD_EXC) {
  SAVE_STATE();
  Class* c = class_of_exc(vm, static_cast<Exc>(a));
  if (!c) FAIL(raise_memory(vm));
  *sp++ = mk_obj(c);
  DISPATCH();
}
#if HILSIM_VM_SMALL
default:
  FAIL(raise_msg(vm, Exc::RuntimeError, MSG("bad opcode")));
  }  // switch
  }  // for
#endif

bad_code:
  FAIL(type_error(vm, MSG("malformed bytecode")));
on_error: {
  // vm->exc holds the exception; fr/pc describe where it happened
  if (vm->exc.tag == T::Instance) {
    Instance* e = as<Instance>(vm->exc);
    if (e->line == 0) {
      e->line = line_of(fr->fn->proto, fr->pc);
      vm->exc_line = e->line;
      vm->ntb = 0;
    }
  }
  for (;;) {
    fr = &vm->frames[vm->nframes - 1];
    if (vm->nhandlers > fr->nhandlers_at_entry) {
      Handler& h = vm->handlers[--vm->nhandlers];
      pc = h.pc;
      sp = h.sp;
      *sp++ = vm->exc;
      vm->exc = mk_undef();
      fn = fr->fn;
      base = fr->base;
      K = fn->proto->consts;
      DISPATCH();
    }
    tb_add(vm, fr);
    if (vm->open_upvals && vm->open_upvals->v >= fr->base) close_upvals(vm, fr->base);
    vm->sp = fr->base - 1;
    bool stop = fr->stop;
    vm->nframes--;
    if (stop || vm->nframes == 0) return vm_error_is_memory(vm) ? Status::Memory : Status::Runtime;
  }
}
}

}  // namespace hilsim::vm
