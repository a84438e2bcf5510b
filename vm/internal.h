// Internal state of the VM and the functions the modules share. Not for embedders.
// Index: [heap] arena allocator  [gc] collector  [str] interning + builder
// [dict] hash tables  [obj] object helpers  [interp] dispatch loop  [compile] compiler.
#pragma once
#include <stdarg.h>

#include "vm/vm.h"
#include "vm/msg.h"

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
  size_t used;
  uint8_t* top;
  uint8_t* end;
  FreeBlock* large;
  FreeBlock** small;  // kSmallClasses lists, kept at the start of the arena
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

// Field order matters for code size on Thumb-2: the most used fields come first, where
// 16-bit loads and stores reach them (words below offset 128, bytes below 32).
struct VM {
  Heap heap;
  bool gc_running;
  bool budget_on;
  uint16_t nframes;
  Value* sp;
  Value* stack_end;
  Scratch scratch;
  Frame* frames;
  uint16_t nhandlers, max_handlers;
  int c_depth;
  // current exception (Undef when none); mem_error is preallocated so MemoryError can
  // be raised with an exhausted arena
  Value exc;
  Dict* globals;   // __main__
  Upval* open_upvals;
  Str** strtab;
  uint32_t strtab_cap, strtab_count;
  size_t gc_threshold;  // safe points take the slow path when heap.used exceeds this
  size_t gc_limit;      // collect when heap.used exceeds this
  Str* s_name;  // s_name, s_args, s_init: marked as one run (gc.cpp)
  Str* s_args;
  Str* s_init;
  Value* stack;
  Dict* modules;   // name -> Module
  int ncompiling;  // nesting of functions being compiled/loaded (their protos are rooted on the stack)
  Obj* objects;
  Handler* handlers;
  // temporary roots pushed by natives/compiler live on the value stack above sp;
  // root_overflow counts pushes that did not fit (the collector is then disabled)
  int root_overflow;
  Module* main_mod;
  Value mem_error;
  int ntb;
  int exc_line;
  int exc_col;
  // control
  uint64_t budget;   // remaining instructions (0 = unlimited)
  volatile int interrupt_flag;
  int nnative_mods;
  Config cfg;
  Class* exc_class[(int)Exc::Count];
  const ModuleDef* native_mods[12];
  // traceback of the last error (innermost first); function and file names are rooted
  struct TbEntry { int line; Str* name; Str* file; } tb[5];
  const char* errmsg;  // str() of the last error: err_str's text, or a constant
  Str* err_str;
  char errtype[32];
};

// ============================== [gc] gc.cpp ==============================
// Invariant: an object is reachable only through roots (globals, modules, stack below
// sp (natives push their temporaries there, the compiler its protos), frames, handlers,
// open upvalues, exc, the last error's message and traceback) or other reachable
// objects. Collection runs only at safe points (gc_check from the dispatch loop and from
// entry points), never inside an allocation, so natives may hold unrooted temporaries
// as long as they do not run script code in between.
Obj* gc_new(VM* vm, T type, size_t size);  // nullptr after raising MemoryError
void gc_check(VM* vm);
void gc_collect(VM* vm);
void* raw_alloc(VM* vm, size_t n);  // non-GC memory; raises MemoryError on failure
void raw_free(VM* vm, void* p);
#if HILSIM_VM_SMALL
void push_root(VM* vm, const Value& v);  // gc.cpp (one copy instead of one per object file)
void pop_roots(VM* vm, int n);
#else
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
#endif

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
bool sb_float(VM* vm, double d);   // repr (shortest round trip)
bool sb_fixed(VM* vm, double d, int decimals);
uint64_t double_bits(double d);
constexpr uint64_t kInfBits = 0x7ff0000000000000ULL;  // |inf| (larger magnitudes: NaN)
Str* sb_take(VM* vm, size_t mark);  // makes a Str of scratch[mark..], resets len to mark
// appends formatted text (raise()'s formats) to scratch; false after MemoryError
bool sb_format(VM* vm, const char* fmt, ...);
bool sb_vformat(VM* vm, const char* fmt, va_list ap);
// raise() with a MSG()-encoded format (the VM's own messages)
Status raise_msg(VM* vm, Exc kind, int msg, ...);
// float -> int (truncating) for int() and %d: ValueError for NaN, OverflowError outside int64.
Status float_to_int(VM* vm, double f, Value* out);
Status type_error(VM* vm, int msg, ...);  // raise_msg(vm, Exc::TypeError, ...)
Status raise_memory(VM* vm);  // MemoryError (preallocated): Status::Memory

// result helpers: store into *out and return Ok (ret_obj: Memory when o is null, the
// failed allocation having raised MemoryError)
Status ret_bool(Value* out, bool b);
Status ret_obj(Value* out, Obj* o);
// n values from src to dst (the ranges may overlap); n values become Undef. Calls to
// memmove/memset in the small configuration, loops (short counts, no call) otherwise.
#if HILSIM_VM_SMALL
void copy_vals(Value* dst, const Value* src, size_t n);
void set_undef(Value* v, size_t n);
#else
inline void copy_vals(Value* dst, const Value* src, size_t n) {
  if (dst <= src) for (size_t i = 0; i < n; i++) dst[i] = src[i];
  else for (size_t i = n; i-- > 0;) dst[i] = src[i];
}
inline void set_undef(Value* v, size_t n) {
  for (size_t i = 0; i < n; i++) v[i].tag = T::Undef;
}
#endif
// int or bool: mk_bool stores 0/1 in the whole of i, so both read i
inline int64_t ival(const Value& v) { return v.i; }
inline bool is_num(const Value& v) { return v.tag == T::Int || v.tag == T::Float || v.tag == T::Bool; }
// scratch[mark..] becomes a str (or bytes) in *out, scratch is reset to mark; when !ok
// (a failed sb_add, which raised MemoryError) only the reset happens.
Status sb_done(VM* vm, size_t mark, bool ok, Value* out, T type = T::Str);
int64_t find_in(const Str* h, const Str* n, int64_t from);  // index of n in h at/after from, -1
extern const char kHexDigits[];  // "0123456789abcdef"
int digit_value(char c);        // 0-9, a-z/A-Z as 10-35, else 99
int utf8_encode(uint32_t cp, char* out);  // 1-4 bytes
// A decimal number at p: digits ['.' digits] [e[+-]digits] ('_' between digits when
// underscores). Returns its end (the exponent only counts with digits; '.' only when not
// followed by a name other than e/E), or null without digits. *v: the value.
const char* scan_decimal(const char* p, const char* end, bool underscores, double* v, bool* isf = nullptr);

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
void dict_clear(VM* vm, Dict* d);

// ============================== [obj] object.cpp ==============================
List* list_new(VM* vm, uint32_t cap);
Status list_append(VM* vm, List* l, const Value& v);
Tuple* tuple_new(VM* vm, uint32_t n);
// a new list (len n) or tuple of n items, into *out; *items: the n slots to fill
Status new_seq(VM* vm, T type, uint32_t n, Value* out, Value** items);
uint32_t seq_view(const Value& v, Value** items);           // list/tuple items
uint32_t bytes_view(const Value& v, const uint8_t** data);  // bytes/bytearray data
int64_t range_len(const Range* r);
int64_t builtin_len(const Value& v);  // len() of str, bytes, list, tuple, dict, bytearray, range; else -1
int64_t span_count(int64_t from, int64_t to, int64_t step);  // len(range(from, to, step)), step != 0
Status raise_key_error(VM* vm, const Value& key);           // KeyError(key)
Status seq_contains(VM* vm, const Value& c, const Value& x, bool* out);  // x in iterable c
// self.NAME(arg) (no arg when arg is null) when self is an instance whose class defines
// NAME; otherwise *found = false and nothing is called.
Status try_dunder(VM* vm, const Value& self, const char* name, const Value* arg, Value* out, bool* found);
Iter* iter_new(VM* vm, IterKind k, const Value& seq);  // pos 0, step 1, seq2 None
// keyword arguments n0/n1 of native fname into kw[0..1] (Undef when absent); any other
// keyword raises TypeError
Status get_kwargs(VM* vm, Args& a, const char* fname, const char* n0, const char* n1, Value* kw);
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
const NativeDef* type_native(T t);  // the type object of values tagged t, or null

}  // namespace hilsim::vm
