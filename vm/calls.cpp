// Calls: binding positional/keyword/star arguments to a script function's registers
// and pushing its Frame, calling natives (with the table's argument-count checks),
// bound methods, classes (instance creation + __init__, exception classes), callable
// instances; upvalue capture/closing; and call_value, the re-entry point natives use
// to run script code (bounded by a C recursion limit).
#include "vm/internal.h"

namespace hilsim::vm {

namespace {
constexpr int kMaxCDepth = 40;

Status recursion_error(VM* vm) { return raise_msg(vm, Exc::RecursionError, MSG("maximum recursion depth exceeded")); }

// Binds positional/keyword arguments to a script function's parameters and pushes its frame.
Status bind_args(VM* vm, Value* callee, Func* f, int nargs, int nkw, Tuple* kwnames, uint8_t ctor) {
  Proto* p = f->proto;
  Value* base = callee + 1;
  int np = p->nparams;
  const char* fname = p->name->data;
  if (base + p->nlocals + p->maxstack + 2 >= vm->stack_end || vm->nframes >= vm->cfg.max_frames)
    return recursion_error(vm);
  if (nkw > 32) return type_error(vm, MSG("too many keyword arguments"));
  Value kwv[32];
  copy_vals(kwv, base + nargs, nkw);
  bool has_var = p->pflags & kProtoVarargs, has_kw = p->pflags & kProtoKwargs;
  Tuple* star = nullptr;
  if (nargs > np && !has_var) {
    if (p->ndefaults)
      return type_error(vm, MSG("%s() takes from %d to %d positional arguments but %d were given"), fname,
                   np - p->ndefaults, np, nargs);
    return type_error(vm, MSG("%s() takes %d positional argument%s but %d %s given"), fname, np,
                 np == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
  }
  if (has_var) {
    int extra = nargs > np ? nargs - np : 0;
    if (!(star = tuple_new(vm, extra))) return Status::Memory;
    copy_vals(star->items, base + np, extra);
  }
  int set = nargs < np ? nargs : np;
  set_undef(base + set, p->nlocals - set);
  int slot = np;
  if (star) base[slot++] = mk_obj(star);
  Dict* kwd = nullptr;
  if (has_kw) {
    vm->sp = base + p->nlocals;
    if (!(kwd = dict_new(vm))) return Status::Memory;
    base[slot] = mk_obj(kwd);
  }
  for (int i = 0; i < nkw; i++) {
    Str* k = as<Str>(kwnames->items[i]);
    int idx = np;
    while (--idx >= 0 && !str_eq(p->params[idx], k)) {
    }
    if (idx >= 0) {
      if (base[idx].tag != T::Undef)
        return type_error(vm, MSG("%s() got multiple values for argument '%s'"), fname, k->data);
      base[idx] = kwv[i];
    } else if (!kwd) {
      return type_error(vm, MSG("%s() got an unexpected keyword argument '%s'"), fname, k->data);
    } else if (dict_set_str(vm, kwd, k, kwv[i]) != Status::Ok) {
      return Status::Memory;
    }
  }
  int first_def = f->defaults ? np - p->ndefaults : np;
  for (int i = 0; i < np; i++) {
    if (base[i].tag != T::Undef) continue;
    if (i >= first_def) { base[i] = f->defaults->items[i - first_def]; continue; }
    int missing = 0;
    for (int j = i; j < first_def; j++) missing += base[j].tag == T::Undef;
    return type_error(vm, MSG("%s() missing %d required positional argument%s: '%s'"), fname, missing,
                 missing == 1 ? "" : "s", p->params[i]->data);
  }
  Frame* fr = &vm->frames[vm->nframes++];
  fr->fn = f;
  fr->pc = p->code;
  fr->base = base;
  fr->ctor = ctor;
  fr->stop = 0;
  fr->nhandlers_at_entry = vm->nhandlers;
  vm->sp = base + p->nlocals;
  return Status::Ok;
}

Status exc_init(VM* vm, Args& a, Value* out) {
  // BaseException.__init__(self, *args): self.args = args
  if (a.n < 1 || a.v[0].tag != T::Instance) return type_error(vm, MSG("bad __init__ call"));
  Value* items;
  Value t;
  Status st = new_seq(vm, T::Tuple, a.n - 1, &t, &items);
  if (st != Status::Ok) return st;
  copy_vals(items, a.v + 1, a.n - 1);
  return set_attr(vm, a.v[0], vm->s_args, t);
}
Status noop_init(VM*, Args&, Value*) { return Status::Ok; }
const NativeDef kExcInit = {"__init__", exc_init, 1, -1, 0, 0};
const NativeDef kNoopInit = {"__init__", noop_init, 1, 1, 0, 0};
}  // namespace

const NativeDef* exc_init_def() { return &kExcInit; }
const NativeDef* noop_init_def() { return &kNoopInit; }

Status call_setup(VM* vm, Value* callee, int nargs, int nkw, Tuple* kwnames, bool* pushed) {
  *pushed = false;
  Value self, fn;
  uint8_t ctor = 0;  // calling a class's __init__: the call returns the instance
  for (int hops = 0; hops < 4; hops++) {
    switch (callee->tag) {
      case T::Func:
        *pushed = true;
        return bind_args(vm, callee, as<Func>(*callee), nargs, nkw, kwnames, ctor);
      case T::Native: {
        const NativeDef* d = callee->nf;
        if (nargs < d->min_args || (d->max_args >= 0 && nargs > d->max_args)) {
          int lim = nargs < d->min_args ? d->min_args : d->max_args;
          return type_error(vm, MSG("%s() takes %s %d argument%s (%d given)"), d->name,
                       d->max_args == d->min_args ? "exactly" : nargs < d->min_args ? "at least" : "at most", lim,
                       lim == 1 ? "" : "s", nargs);
        }
        if (nkw && !d->kw_ok) return type_error(vm, MSG("%s() takes no keyword arguments"), d->name);
        Args a{callee + 1, nargs, callee + 1 + nargs, nkw ? kwnames->items : nullptr, nkw};
        Value out = mk_none();
        vm->sp = callee + 1 + nargs + nkw;
        Status st = d->fn(vm, a, &out);
        if (st != Status::Ok) return st;
        *callee = out;
        vm->sp = callee + 1;
        return Status::Ok;
      }
      case T::Bound:
        self = as<Bound>(*callee)->self;
        fn = as<Bound>(*callee)->fn;
        break;
      case T::Class: {
        Class* c = as<Class>(*callee);
        bool found;
        fn = lookup_class_attr(c, vm->s_init, &found);
        if (!found && is_subclass(c, class_of_exc(vm, Exc::BaseException))) {
          fn = mk_native(&kExcInit);  // BaseException.__init__(self, *args) stores args
          found = true;
        }
        Instance* in = static_cast<Instance*>(gc_new(vm, T::Instance, sizeof(Instance)));
        if (!in) return Status::Memory;
        in->cls = c;
        in->dict = nullptr;
        in->line = 0;
        self = mk_obj(in);
        if (!found) {
          if (nargs || nkw) return type_error(vm, MSG("%s() takes no arguments"), c->name->data);
          *callee = self;
          vm->sp = callee + 1;
          return Status::Ok;
        }
        if (fn.tag != T::Func) {  // a native __init__: call it, the result is the instance
          if (vm->sp + 1 >= vm->stack_end) return recursion_error(vm);
          copy_vals(callee + 2, callee + 1, nargs + nkw);
          callee[1] = self;
          *callee = fn;
          vm->sp++;
          bool p2;
          Status st = call_setup(vm, callee, nargs + 1, nkw, kwnames, &p2);
          if (st == Status::Ok) *callee = self;
          return st;
        }
        ctor = 1;
        break;
      }
      case T::Instance: {
        bool found;
        Str* nm = str_intern(vm, "__call__", 8);
        if (!nm) return Status::Memory;
        fn = lookup_class_attr(as<Instance>(*callee)->cls, nm, &found);
        if (!found) return type_error(vm, MSG("'%t' object is not callable"), callee);
        self = *callee;
        break;
      }
      default: return type_error(vm, MSG("'%t' object is not callable"), callee);
    }
    // insert self as the first argument and call fn
    if (vm->sp + 1 >= vm->stack_end) return recursion_error(vm);
    copy_vals(callee + 2, callee + 1, nargs + nkw);
    callee[1] = self;
    *callee = fn;
    nargs++;
    vm->sp++;
  }
  return type_error(vm, MSG("object is not callable"));
}

Upval* find_upval(VM* vm, Value* slot) {
  Upval** pp = &vm->open_upvals;
  while (*pp && (*pp)->v > slot) pp = &(*pp)->next;
  if (*pp && (*pp)->v == slot) return *pp;
  Upval* u = static_cast<Upval*>(gc_new(vm, T::Upval, sizeof(Upval)));
  if (!u) return nullptr;
  u->v = slot;
  u->closed = mk_none();
  u->next = *pp;
  *pp = u;
  return u;
}

void close_upvals(VM* vm, Value* level) {
  while (vm->open_upvals && vm->open_upvals->v >= level) {
    Upval* u = vm->open_upvals;
    u->closed = *u->v;
    u->v = &u->closed;
    vm->open_upvals = u->next;
  }
}

Status call_value(VM* vm, const Value& fn, const Value* args, int nargs, Value* out) {
  Value* slot = vm->sp;
  if (vm->c_depth >= kMaxCDepth || slot + nargs + 8 >= vm->stack_end) return recursion_error(vm);
  slot[0] = fn;
  copy_vals(slot + 1, args, nargs);
  vm->sp = slot + 1 + nargs;
  bool pushed;
  Status st = call_setup(vm, slot, nargs, 0, nullptr, &pushed);
  if (st == Status::Ok && pushed) {
    vm->frames[vm->nframes - 1].stop = 1;
    vm->c_depth++;
    st = run_frame(vm);
    vm->c_depth--;
  }
  if (st == Status::Ok) *out = *slot;
  vm->sp = slot;
  return st;
}

}  // namespace hilsim::vm
