// Stop-the-world mark & sweep collector; reclaims cycles.
// Invariant (see internal.h): collection only happens at safe points, where every live
// value is reachable from the VM roots. Marking uses an explicit gray stack threaded
// through a fixed array plus recursion-free rescans, so deep structures cannot overflow
// the C stack. Interned strings are weak: unmarked ones are dropped from the table.
#include "vm/internal.h"

namespace hilsim::vm {

#if HILSIM_VM_SMALL
void push_root(VM* vm, const Value& v) {
  if (vm->sp < vm->stack_end) *vm->sp++ = v;
  else vm->root_overflow++;
}
void pop_roots(VM* vm, int n) {
  for (; n > 0; n--) {
    if (vm->root_overflow) vm->root_overflow--;
    else vm->sp--;
  }
}
#endif

void* raw_alloc(VM* vm, size_t n) {
  void* p = heap_alloc(vm->heap, n ? n : 1);
  if (!p) raise_memory(vm);
  return p;
}
void raw_free(VM* vm, void* p) { heap_free(vm->heap, p); }

Obj* gc_new(VM* vm, T type, size_t size) {
  Obj* o = static_cast<Obj*>(heap_alloc(vm->heap, size));
  if (!o) {
    raise_memory(vm);
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


void mark_vals(Marker& m, const Value* v, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) mark_val(m, v[i]);
}
// n consecutive object pointers (of any Obj subtype) starting at p
void mark_ptrs(Marker& m, const void* p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    Obj* o;
    __builtin_memcpy(&o, static_cast<const char*>(p) + i * sizeof o, sizeof o);
    mark_obj(m, o);
  }
}

// Marks what o refers to; fields of one type that are declared next to each other are
// marked as one run (see the field comments).
void traverse(Marker& m, Obj* o) {
  switch (o->type) {
    case T::List: case T::Tuple: {
      Value* items;
      uint32_t n = seq_view(mk_obj(o), &items);
      mark_vals(m, items, n);
      break;
    }
    case T::Dict: {  // entries are key, value pairs
      auto* d = static_cast<Dict*>(o);
      mark_vals(m, reinterpret_cast<const Value*>(d->entries), 2 * d->used);
      break;
    }
    case T::Slice: mark_vals(m, &static_cast<Slice*>(o)->start, 3); break;
    case T::Bound: mark_vals(m, &static_cast<Bound*>(o)->self, 2); break;
    case T::Iter: mark_vals(m, &static_cast<Iter*>(o)->seq, 2); break;
    case T::Upval: mark_vals(m, static_cast<Upval*>(o)->v, 1); break;
    case T::Proto: {
      auto* p = static_cast<Proto*>(o);
      mark_vals(m, p->consts, p->nconsts);
      mark_ptrs(m, p->protos, p->nprotos);
      mark_ptrs(m, p->params, p->params ? p->nnames : 0);
      mark_ptrs(m, &p->name, 2);  // name, source_name
      break;
    }
    case T::Func: {
      auto* f = static_cast<Func*>(o);
      mark_ptrs(m, &f->proto, 4);  // proto, globals, defaults, owner
      mark_ptrs(m, f->upvals, f->nupvals);
      break;
    }
    case T::Class: mark_ptrs(m, &static_cast<Class*>(o)->name, 3); break;  // name, base, dict
    case T::Instance: mark_ptrs(m, &static_cast<Instance*>(o)->cls, 2); break;  // cls, dict
    case T::Module: mark_ptrs(m, &static_cast<Module*>(o)->name, 2); break;  // name, dict
    default: break;
  }
}
static_assert(sizeof(DictEntry) == 2 * sizeof(Value), "DictEntry layout");
// The runs above rely on same-typed fields being adjacent, in declaration order (value.h).

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
      heap_free(h, d->entries);  // index shares the allocation
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
  mark_ptrs(m, vm->exc_class, static_cast<uint32_t>(Exc::Count));
  mark_ptrs(m, &vm->s_name, 3);  // s_name, s_args, s_init
  mark_obj(m, vm->err_str);
  for (int i = 0; i < vm->ntb; i++) mark_ptrs(m, &vm->tb[i].name, 2);  // name, file
  for (Value* v = vm->stack; v < vm->sp; v++) mark_val(m, *v);
  for (int i = 0; i < vm->nframes; i++) mark_obj(m, vm->frames[i].fn);
  for (Upval* u = vm->open_upvals; u; u = u->next) mark_obj(m, u);
  mark_val(m, vm->exc);
  mark_val(m, vm->mem_error);
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
