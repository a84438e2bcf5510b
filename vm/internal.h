// Internal state of the VM and the functions the modules share. Not for embedders.
// Index: [heap] arena allocator  [gc] collector  [str] interning + builder
// [dict] hash tables  [obj] object helpers  [interp] dispatch loop  [compile] compiler.
#pragma once
#include <stdarg.h>

#include "vm/vm.h"

// HILSIM_VM_SMALL selects the size-optimised configuration (same semantics, generic paths
// instead of inline fast paths): automatically under -Os (the firmware builds).
#ifndef HILSIM_VM_SMALL
#if defined(__OPTIMIZE_SIZE__)
#define HILSIM_VM_SMALL 1
#else
#define HILSIM_VM_SMALL 0
#endif
#endif

namespace hilsim::vm {

// ============================== [heap] mem.cpp ==============================
// Size-class free lists for small blocks (<= 512 bytes), an address-ordered first-fit
// list with coalescing for larger ones, and a bump pointer for untouched memory.
struct FreeBlock {
  uint32_t size;
  uint32_t pad;
  FreeBlock* next;
};
struct Heap {
  uint8_t* top;
  uint8_t* end;
  FreeBlock* small[65];
  FreeBlock* large;
  size_t used;
  size_t peak;
  size_t fail_after;  // debug: fail the Nth allocation (0 = never)
};
void heap_init(Heap& h, void* mem, size_t size);
void* heap_alloc(Heap& h, size_t n);
void heap_free(Heap& h, void* p);
size_t heap_block_size(void* p);

// ============================== VM state ==============================
struct Frame {
  Func* fn;
  const uint32_t* pc;
  Value* base;      // locals start here; base[-1] is the callee slot
  uint16_t nhandlers_at_entry;
  uint8_t ctor;     // 1: __init__ call, return self instead of None
  uint8_t stop;     // 1: return to the C++ caller after this frame
};
struct Handler {
  const uint32_t* pc;
  Value* sp;
  uint16_t frame;
};
struct Scratch {
  char* buf;
  size_t len, cap;
};
enum class Err : uint8_t { None, Syntax, Runtime, Memory };

struct VM {
  Config cfg;
  Heap heap;
  Obj* objects;
  size_t gc_threshold;  // safe points take the slow path when heap.used exceeds this
  size_t gc_limit;      // collect when heap.used exceeds this
  bool gc_running;
  // strings
  Str** strtab;
  uint32_t strtab_cap, strtab_count;
  // stack and frames
  Value* stack;
  Value* stack_end;
  Value* sp;
  Frame* frames;
  uint16_t nframes;
  Handler* handlers;
  uint16_t nhandlers, max_handlers;
  Upval* open_upvals;
  int c_depth;
  // namespaces
  Dict* globals;   // __main__
  Dict* modules;   // name -> Module
  Module* main_mod;
  const ModuleDef* native_mods[12];
  int nnative_mods;
  Class* exc_class[(int)Exc::Count];
  Str* s_init;
  Str* s_str;
  Str* s_repr;
  Str* s_name;
  Str* s_args;
  Str* s_main;
  // current exception (Undef when none); mem_error is preallocated so MemoryError can
  // be raised with an exhausted arena
  Value exc;
  Value mem_error;
  struct TbEntry { int line; char name[20]; char file[20]; } tb[5];
  int ntb;
  int exc_line;
  int exc_col;
  char errtype[32];
  char errmsg[128];
  // control
  uint64_t budget;   // remaining instructions (0 = unlimited)
  bool budget_on;
  volatile int interrupt_flag;
  // temporary roots pushed by natives/compiler live on the value stack above sp;
  // root_overflow counts pushes that did not fit (the collector is then disabled)
  int root_overflow;
  Scratch scratch;
  // compiler state being built (rooted during compilation)
  Obj* compiling[24];
  int ncompiling;
};

// ============================== [gc] gc.cpp ==============================
// Invariant: an object is reachable only through roots (globals, modules, stack below
// sp (natives push their temporaries there), frames, handlers, open upvalues, exc,
// compiling[]) or other reachable
// objects. Collection runs only at safe points (gc_check from the dispatch loop and from
// entry points), never inside an allocation, so natives may hold unrooted temporaries
// as long as they do not run script code in between.
Obj* gc_new(VM* vm, T type, size_t size);  // nullptr after raising MemoryError
void gc_check(VM* vm);
void gc_collect(VM* vm);
void* raw_alloc(VM* vm, size_t n);  // non-GC memory; raises MemoryError on failure
void raw_free(VM* vm, void* p);
inline void push_root(VM* vm, const Value& v) {
  if (vm->sp < vm->stack_end) *vm->sp++ = v;
  else vm->root_overflow++;
}
inline void pop_roots(VM* vm, int n) {
  for (; n > 0; n--) {
    if (vm->root_overflow) vm->root_overflow--;
    else vm->sp--;
  }
}

// ============================== [str] str.cpp ==============================
uint32_t hash_bytes(const char* s, size_t n);
Str* str_new(VM* vm, const char* s, size_t n);   // interns short strings
Str* str_intern(VM* vm, const char* s, size_t n);
Str* bytes_new(VM* vm, const char* s, size_t n);
void strtab_sweep(VM* vm);
inline bool str_eq(const Str* a, const Str* b) {
  if (a == b) return true;
  if (a->len != b->len || a->hash != b->hash) return false;
  for (uint32_t i = 0; i < a->len; i++)
    if (a->data[i] != b->data[i]) return false;
  return true;
}
// scratch builder (stack discipline: callers remember len and restore it)
bool sb_add(VM* vm, const char* s, size_t n);
bool sb_addc(VM* vm, char c);
bool sb_adds(VM* vm, const char* s);
bool sb_int(VM* vm, int64_t i);
bool sb_float(VM* vm, double d);
Str* sb_take(VM* vm, size_t mark);  // makes a Str of scratch[mark..], resets len to mark

// ============================== [dict] dict.cpp ==============================
Dict* dict_new(VM* vm);
Status value_hash(VM* vm, const Value& k, uint32_t* h);
bool dict_get(Dict* d, const Value& k, uint32_t h, Value* out);
bool dict_get_str(Dict* d, Str* k, Value* out);
Status dict_set(VM* vm, Dict* d, const Value& k, uint32_t h, const Value& v);
Status dict_set_str(VM* vm, Dict* d, Str* k, const Value& v);
bool dict_del(Dict* d, const Value& k, uint32_t h);
Status dict_get_v(VM* vm, Dict* d, const Value& k, Value* out, bool* found);
Status dict_set_v(VM* vm, Dict* d, const Value& k, const Value& v);

// ============================== [obj] object.cpp ==============================
List* list_new(VM* vm, uint32_t cap);
Status list_append(VM* vm, List* l, const Value& v);
Tuple* tuple_new(VM* vm, uint32_t n);
bool values_equal(const Value& a, const Value& b);  // structural, no dunder calls
const char* type_name(const Value& v);
bool truthy(const Value& v);
Class* class_of_exc(VM* vm, Exc e);  // created on first use; nullptr if out of memory
const char* exc_name(Exc e);
Value lookup_class_attr(Class* c, Str* name, bool* found);
bool is_subclass(Class* c, Class* base);
Status repr_value(VM* vm, const Value& v, bool use_str);  // appends to scratch
Status to_str(VM* vm, const Value& v, Value* out);
Status to_repr(VM* vm, const Value& v, Value* out);
Status get_attr(VM* vm, const Value& obj, Str* name, Value* out);
Status set_attr(VM* vm, const Value& obj, Str* name, const Value& v);
Status get_method(VM* vm, const Value& obj, Str* name, Value* fn, Value* self, bool* is_method);
Status make_exception(VM* vm, Exc kind, Str* msg, Value* out);
Status get_iter(VM* vm, const Value& v, Value* out);
// next item; *done set at exhaustion
Status iter_next(VM* vm, const Value& it, Value* out, bool* done);
Status seq_items(VM* vm, const Value& v, Value** items, uint32_t* n, Value* holder);
// like seq_items, but lists are copied first: for callers that run script code while
// walking the items (which could resize the list)
Status seq_snapshot(VM* vm, const Value& v, Value** items, uint32_t* n, Value* holder);
const NativeDef* find_method(T type, Str* name);
Status call_value(VM* vm, const Value& fn, const Value* args, int nargs, Value* out);  // re-enters interp
Status compare_lt(VM* vm, const Value& a, const Value& b, bool* out);
Status exc_set(VM* vm, const Value& exc);
bool vm_error_is_memory(VM* vm);
int64_t floordiv_i(int64_t a, int64_t b);
int64_t mod_i(int64_t a, int64_t b);

// ============================== [interp] interp.cpp ==============================
Status run_frame(VM* vm);  // runs until the frame marked `stop` returns
Status call_setup(VM* vm, Value* callee, int nargs, int nkw, Tuple* kwnames, bool* pushed);
Upval* find_upval(VM* vm, Value* slot);
void close_upvals(VM* vm, Value* level);
Status binary_op(VM* vm, int op, const Value& a, const Value& b, Value* out);

// ============================== [compile] compiler ==============================
Status compile(VM* vm, const char* src, size_t len, const char* name, bool eval_mode,
               Proto** out);
Status exec_proto(VM* vm, Proto* p, Dict* globals, Value* result);

// ============================== [builtins] ==============================
const NativeDef* find_builtin(Str* name);
extern const NativeDef kBuiltinTypes[];  // int, float, str, ...

}  // namespace hilsim::vm
