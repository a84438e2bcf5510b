// Stop-the-world mark & sweep collector; reclaims cycles.
// Invariant (see internal.h): collection only happens at safe points, where every live
// value is reachable from the VM roots. Marking uses an explicit gray stack threaded
// through a fixed array plus recursion-free rescans, so deep structures cannot overflow
// the C stack. Interned strings are weak: unmarked ones are dropped from the table.
#include "vm/internal.h"

namespace hilsim::vm {

void* raw_alloc(VM* vm, size_t n) {
  void* p = heap_alloc(vm->heap, n ? n : 1);
  if (!p) raise(vm, Exc::MemoryError, "");
  return p;
}
void raw_free(VM* vm, void* p) { heap_free(vm->heap, p); }

Obj* gc_new(VM* vm, T type, size_t size) {
  Obj* o = static_cast<Obj*>(heap_alloc(vm->heap, size));
  if (!o) {
    raise(vm, Exc::MemoryError, "");
    return nullptr;
  }
  o->type = type;
  o->mark = 0;
  o->flags = 0;
  o->gcnext = vm->objects;
  vm->objects = o;
  return o;
}

namespace {
constexpr int kGray = 256;
struct Marker {
  VM* vm;
  Obj* gray[kGray];
  int ngray = 0;
  bool overflow = false;
};

void mark_obj(Marker& m, Obj* o) {
  if (!o || o->mark) return;
  o->mark = 1;
  if (o->type == T::Str || o->type == T::Bytes || o->type == T::Range) return;
  if (m.ngray < kGray) m.gray[m.ngray++] = o;
  else { o->mark = 2; m.overflow = true; }  // rescanned later
}
inline void mark_val(Marker& m, const Value& v) {
  if (is_obj(v)) mark_obj(m, v.o);
}


void traverse(Marker& m, Obj* o) {
  switch (o->type) {
    case T::List: {
      auto* l = static_cast<List*>(o);
      for (uint32_t i = 0; i < l->len; i++) mark_val(m, l->items[i]);
      break;
    }
    case T::Tuple: {
      auto* t = static_cast<Tuple*>(o);
      for (uint32_t i = 0; i < t->len; i++) mark_val(m, t->items[i]);
      break;
    }
    case T::Dict: {
      auto* d = static_cast<Dict*>(o);
      for (uint32_t i = 0; i < d->used; i++) {
        mark_val(m, d->entries[i].key);
        mark_val(m, d->entries[i].val);
      }
      break;
    }
    case T::Slice: {
      auto* s = static_cast<Slice*>(o);
      mark_val(m, s->start); mark_val(m, s->stop); mark_val(m, s->step);
      break;
    }
    case T::Proto: {
      auto* p = static_cast<Proto*>(o);
      for (uint32_t i = 0; i < p->nconsts; i++) mark_val(m, p->consts[i]);
      for (uint32_t i = 0; i < p->nprotos; i++) mark_obj(m, p->protos[i]);
      if (p->params) for (uint32_t i = 0; i < p->nnames; i++) mark_obj(m, p->params[i]);
      mark_obj(m, p->name);
      mark_obj(m, p->source_name);
      break;
    }
    case T::Func: {
      auto* f = static_cast<Func*>(o);
      mark_obj(m, f->proto);
      mark_obj(m, f->globals);
      mark_obj(m, f->defaults);
      mark_obj(m, f->owner);
      for (uint32_t i = 0; i < f->nupvals; i++) mark_obj(m, f->upvals[i]);
      break;
    }
    case T::Class: {
      auto* c = static_cast<Class*>(o);
      mark_obj(m, c->name); mark_obj(m, c->base); mark_obj(m, c->dict);
      break;
    }
    case T::Instance: {
      auto* in = static_cast<Instance*>(o);
      mark_obj(m, in->cls); mark_obj(m, in->dict);
      break;
    }
    case T::Bound: {
      auto* b = static_cast<Bound*>(o);
      mark_val(m, b->self); mark_val(m, b->fn);
      break;
    }
    case T::Upval: {
      auto* u = static_cast<Upval*>(o);
      mark_val(m, *u->v);
      break;
    }
    case T::Module: {
      auto* md = static_cast<Module*>(o);
      mark_obj(m, md->name); mark_obj(m, md->dict);
      break;
    }
    case T::Iter: {
      auto* it = static_cast<Iter*>(o);
      mark_val(m, it->seq); mark_val(m, it->seq2);
      break;
    }
    default: break;
  }
}

void drain(Marker& m) {
  for (;;) {
    while (m.ngray) traverse(m, m.gray[--m.ngray]);
    if (!m.overflow) return;
    m.overflow = false;
    for (Obj* o = m.vm->objects; o; o = o->gcnext)
      if (o->mark == 2) { o->mark = 1; traverse(m, o); while (m.ngray) traverse(m, m.gray[--m.ngray]); }
  }
}

void free_obj(VM* vm, Obj* o) {
  Heap& h = vm->heap;
  switch (o->type) {
    case T::List: heap_free(h, static_cast<List*>(o)->items); break;
    case T::ByteArray: heap_free(h, static_cast<ByteArray*>(o)->data); break;
    case T::Dict: {
      auto* d = static_cast<Dict*>(o);
      heap_free(h, d->entries);
      heap_free(h, d->index);
      break;
    }
    case T::Proto: {
      auto* p = static_cast<Proto*>(o);
      heap_free(h, p->code); heap_free(h, p->consts); heap_free(h, p->protos);
      heap_free(h, p->lines); heap_free(h, p->upvals); heap_free(h, p->params);
      break;
    }
    default: break;
  }
  heap_free(h, o);
}
}  // namespace

void gc_collect(VM* vm) {
  if (vm->gc_running || vm->root_overflow) return;
  vm->gc_running = true;
  Marker m;
  m.vm = vm;
  mark_obj(m, vm->globals);
  mark_obj(m, vm->modules);
  mark_obj(m, vm->main_mod);
  for (auto* c : vm->exc_class) mark_obj(m, c);
  Str* names[] = {vm->s_init, vm->s_str, vm->s_repr, vm->s_name, vm->s_args, vm->s_main};
  for (auto* s : names) mark_obj(m, s);
  for (Value* v = vm->stack; v < vm->sp; v++) mark_val(m, *v);
  for (int i = 0; i < vm->nframes; i++) mark_obj(m, vm->frames[i].fn);
  for (Upval* u = vm->open_upvals; u; u = u->next) mark_obj(m, u);
  mark_val(m, vm->exc);
  mark_val(m, vm->mem_error);
  for (int i = 0; i < vm->ncompiling; i++) mark_obj(m, vm->compiling[i]);
  drain(m);
  strtab_sweep(vm);
  Obj** pp = &vm->objects;
  while (*pp) {
    Obj* o = *pp;
    if (o->mark) {
      o->mark = 0;
      pp = &o->gcnext;
    } else {
      *pp = o->gcnext;
      free_obj(vm, o);
    }
  }
  size_t live = vm->heap.used;
  vm->gc_limit = live + live / 2 + 2048;
#ifdef HILSIM_VM_GC_STRESS
  vm->gc_limit = 0;  // debug builds: collect at every safe point to expose missing roots
#endif
  vm->gc_threshold = (vm->budget_on || vm->interrupt_flag) ? 0 : vm->gc_limit;
  vm->gc_running = false;
}

void gc_check(VM* vm) {
  if (vm->heap.used > vm->gc_limit) gc_collect(vm);
}

}  // namespace hilsim::vm
