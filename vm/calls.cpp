// Calls: binding positional/keyword/star arguments to a script function's registers
// and pushing its Frame, calling natives (with the table's argument-count checks),
// bound methods, classes (instance creation + __init__, exception classes), callable
// instances; upvalue capture/closing; and call_value, the re-entry point natives use
// to run script code (bounded by a C recursion limit).
#include "vm/internal.h"

namespace hilsim::vm {

namespace {
constexpr int kMaxCDepth = 40;

Status push_frame(VM* vm, Value* callee, Func* f, uint8_t ctor) {
  Proto* p = f->proto;
  Value* base = callee + 1;
  if (vm->nframes >= vm->cfg.max_frames || base + p->nlocals + p->maxstack >= vm->stack_end)
    return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
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

// Binds positional/keyword arguments to a script function's parameters.
Status bind_args(VM* vm, Value* callee, Func* f, int nargs, int nkw, Tuple* kwnames, uint8_t ctor) {
  Proto* p = f->proto;
  Value* base = callee + 1;
  int np = p->nparams;
  const char* fname = p->name->data;
  if (base + p->nlocals + p->maxstack + 2 >= vm->stack_end || vm->nframes >= vm->cfg.max_frames)
    return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
  if (nkw > 32) return raise(vm, Exc::TypeError, "too many keyword arguments");
  Value kwv[32];
  for (int i = 0; i < nkw; i++) kwv[i] = base[nargs + i];
  Value star = mk_none();
  bool has_var = p->pflags & kProtoVarargs, has_kw = p->pflags & kProtoKwargs;
  if (nargs > np) {
    if (!has_var) {
      if (p->ndefaults)
        return raise(vm, Exc::TypeError, "%s() takes from %d to %d positional arguments but %d were given", fname,
                     np - p->ndefaults, np, nargs);
      return raise(vm, Exc::TypeError, "%s() takes %d positional argument%s but %d %s given", fname, np,
                   np == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
    }
    Tuple* t = tuple_new(vm, nargs - np);
    if (!t) return Status::Memory;
    for (int i = np; i < nargs; i++) t->items[i - np] = base[i];
    star = mk_obj(t);
  } else if (has_var) {
    Tuple* t = tuple_new(vm, 0);
    if (!t) return Status::Memory;
    star = mk_obj(t);
  }
  for (int i = nargs < np ? nargs : np; i < p->nlocals; i++) base[i] = mk_undef();
  int slot = np;
  if (has_var) base[slot++] = star;
  Dict* kwd = nullptr;
  if (has_kw) {
    vm->sp = base + p->nlocals;
    kwd = dict_new(vm);
    if (!kwd) return Status::Memory;
    base[slot] = mk_obj(kwd);
  }
  for (int i = 0; i < nkw; i++) {
    Str* k = as<Str>(kwnames->items[i]);
    int idx = -1;
    for (int j = 0; j < np; j++) if (p->params[j] == k || str_eq(p->params[j], k)) { idx = j; break; }
    if (idx >= 0) {
      if (base[idx].tag != T::Undef)
        return raise(vm, Exc::TypeError, "%s() got multiple values for argument '%s'", fname, k->data);
      base[idx] = kwv[i];
    } else if (kwd) {
      if (dict_set_str(vm, kwd, k, kwv[i]) != Status::Ok) return Status::Memory;
    } else {
      return raise(vm, Exc::TypeError, "%s() got an unexpected keyword argument '%s'", fname, k->data);
    }
  }
  int first_def = np - p->ndefaults;
  for (int i = 0; i < np; i++) {
    if (base[i].tag != T::Undef) continue;
    if (i >= first_def && f->defaults) { base[i] = f->defaults->items[i - first_def]; continue; }
    int missing = 0;
    for (int j = i; j < np; j++) if (base[j].tag == T::Undef && !(j >= first_def && f->defaults)) missing++;
    return raise(vm, Exc::TypeError, "%s() missing %d required positional argument%s: '%s'", fname, missing,
                 missing == 1 ? "" : "s", p->params[i]->data);
  }
  return push_frame(vm, callee, f, ctor);
}

Status exc_init(VM* vm, Args& a, Value* out) {
  // BaseException.__init__(self, *args): self.args = args
  if (a.n < 1 || a.v[0].tag != T::Instance) return raise(vm, Exc::TypeError, "bad __init__ call");
  Tuple* t = tuple_new(vm, a.n - 1);
  if (!t) return Status::Memory;
  for (int i = 1; i < a.n; i++) t->items[i - 1] = a.v[i];
  *out = mk_none();
  return set_attr(vm, a.v[0], vm->s_args, mk_obj(t));
}
Status noop_init(VM*, Args&, Value* out) {
  *out = mk_none();
  return Status::Ok;
}
const NativeDef kExcInit = {"__init__", exc_init, 1, -1, 0, 0};
const NativeDef kNoopInit = {"__init__", noop_init, 1, 1, 0, 0};
}  // namespace

const NativeDef* exc_init_def() { return &kExcInit; }

Status call_setup(VM* vm, Value* callee, int nargs, int nkw, Tuple* kwnames, bool* pushed) {
  *pushed = false;
  for (int hops = 0; hops < 4; hops++) {
    switch (callee->tag) {
      case T::Func: {
        *pushed = true;
        return bind_args(vm, callee, as<Func>(*callee), nargs, nkw, kwnames, 0);
      }
      case T::Native: {
        const NativeDef* d = callee->nf;
        if (nargs < d->min_args || (d->max_args >= 0 && nargs > d->max_args)) {
          if (d->max_args == d->min_args)
            return raise(vm, Exc::TypeError, "%s() takes exactly %d argument%s (%d given)", d->name, d->min_args,
                         d->min_args == 1 ? "" : "s", nargs);
          if (nargs < d->min_args)
            return raise(vm, Exc::TypeError, "%s() takes at least %d argument%s (%d given)", d->name, d->min_args,
                         d->min_args == 1 ? "" : "s", nargs);
          return raise(vm, Exc::TypeError, "%s() takes at most %d argument%s (%d given)", d->name, d->max_args,
                       d->max_args == 1 ? "" : "s", nargs);
        }
        if (nkw && !d->kw_ok) return raise(vm, Exc::TypeError, "%s() takes no keyword arguments", d->name);
        Args a{callee + 1, nargs, callee + 1 + nargs, nkw ? kwnames->items : nullptr, nkw};
        Value out = mk_none();
        vm->sp = callee + 1 + nargs + nkw;
        Status st = d->fn(vm, a, &out);
        if (st != Status::Ok) return st;
        *callee = out;
        vm->sp = callee + 1;
        return Status::Ok;
      }
      case T::Bound: {
        Bound* b = as<Bound>(*callee);
        if (vm->sp + 1 >= vm->stack_end) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
        for (Value* p = callee + nargs + nkw; p > callee; p--) p[1] = p[0];
        callee[1] = b->self;
        *callee = b->fn;
        nargs++;
        vm->sp++;
        continue;
      }
      case T::Class: {
        Class* c = as<Class>(*callee);
        bool found;
        Value init = lookup_class_attr(c, vm->s_init, &found);
        if (!found && is_subclass(c, class_of_exc(vm, Exc::BaseException))) {
          init = mk_native(&kExcInit);  // BaseException.__init__(self, *args) stores args
          found = true;
        }
        Instance* in = static_cast<Instance*>(gc_new(vm, T::Instance, sizeof(Instance)));
        if (!in) return Status::Memory;
        in->cls = c;
        in->dict = nullptr;
        in->line = 0;
        if (!found) {
          if (nargs || nkw) return raise(vm, Exc::TypeError, "%s() takes no arguments", c->name->data);
          *callee = mk_obj(in);
          vm->sp = callee + 1;
          return Status::Ok;
        }
        if (vm->sp + 1 >= vm->stack_end) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
        for (Value* p = callee + nargs + nkw; p > callee; p--) p[1] = p[0];
        callee[1] = mk_obj(in);
        *callee = init;
        nargs++;
        vm->sp++;
        if (init.tag == T::Func) {
          *pushed = true;
          return bind_args(vm, callee, as<Func>(init), nargs, nkw, kwnames, 1);
        }
        bool p2;
        Status st = call_setup(vm, callee, nargs, nkw, kwnames, &p2);
        if (st != Status::Ok) return st;
        *callee = mk_obj(in);
        return Status::Ok;
      }
      case T::Instance: {
        bool found;
        Value fn = lookup_class_attr(as<Instance>(*callee)->cls, str_intern(vm, "__call__", 8), &found);
        if (!found) return raise(vm, Exc::TypeError, "'%T' object is not callable", *callee);
        if (vm->sp + 1 >= vm->stack_end) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
        for (Value* p = callee + nargs + nkw; p > callee; p--) p[1] = p[0];
        callee[1] = *callee;
        *callee = fn;
        nargs++;
        vm->sp++;
        continue;
      }
      default: return raise(vm, Exc::TypeError, "'%T' object is not callable", *callee);
    }
  }
  return raise(vm, Exc::TypeError, "object is not callable");
}

const NativeDef* noop_init_def() { return &kNoopInit; }

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
  if (vm->c_depth >= kMaxCDepth) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
  Value* slot = vm->sp;
  if (slot + nargs + 8 >= vm->stack_end) return raise(vm, Exc::RecursionError, "maximum recursion depth exceeded");
  slot[0] = fn;
  for (int i = 0; i < nargs; i++) slot[1 + i] = args[i];
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
