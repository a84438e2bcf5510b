// Public embedding API of the hilsim script VM (a Python subset, see vm/README.md).
// The embedder hands over one memory arena; the VM never calls malloc/new and never
// throws. Every entry point returns a Status; on error the exception type, message and
// line are available from error_*(). Natives are C++ functions grouped in ModuleDefs.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vm/value.h"

namespace hilsim::vm {

// ---- native functions -------------------------------------------------------------
struct Args {
  Value* v;             // positional arguments (for methods, v[0] is self)
  int n;
  Value* kwv;           // keyword argument values
  const Value* kwn;     // keyword argument names (str values)
  int nkw;
};
using NativeFn = Status (*)(VM* vm, Args& a, Value* out);
struct NativeDef {
  const char* name;
  NativeFn fn;
  int8_t min_args;  // checked by the VM before the call (TypeError otherwise)
  int8_t max_args;  // -1: any number
  uint8_t type_tag; // non-zero: this native is also the type object of T(type_tag)
  uint8_t kw_ok;    // 0: keyword arguments are rejected with TypeError
};
struct ModuleDef {
  const char* name;
  const NativeDef* fns;
  int nfns;
};

// Exception classes the VM knows by number (the script sees them as classes).
enum class Exc : uint8_t {
  BaseException, Exception, KeyboardInterrupt, ArithmeticError, LookupError,
  ValueError, TypeError, KeyError, IndexError, AttributeError, NameError,
  ZeroDivisionError, OverflowError, MemoryError, RecursionError, RuntimeError,
  StopIteration, SyntaxError, AssertionError, ImportError, NotImplementedError,
  UnboundLocalError, ModuleNotFoundError, Count
};

// ---- creating a VM ----------------------------------------------------------------
struct Config {
  void* arena = nullptr;       // 8-byte aligned
  size_t arena_size = 0;
  uint32_t stack_slots = 512;  // value stack (16 bytes each), fixed at creation
  uint16_t max_frames = 64;    // recursion limit (RecursionError beyond)
  void (*write)(void* ud, const char* s, size_t n) = nullptr;  // print() output
  void* write_ud = nullptr;
  // Stored script modules: return the source of `name` or nullptr.
  const char* (*find_module)(void* ud, const char* name, size_t* len) = nullptr;
  void* find_module_ud = nullptr;
};

VM* create(const Config& cfg);  // nullptr if the arena is too small
bool register_module(VM* vm, const ModuleDef* def);  // at most 12 modules

// ---- running code -----------------------------------------------------------------
Status exec_source(VM* vm, const char* src, size_t len, const char* name = "<script>");
Status exec_bytecode(VM* vm, const uint8_t* data, size_t len);
// Compile to the versioned, checksummed bytecode format; *out_len receives the size.
Status compile_bytecode(VM* vm, const char* src, size_t len, const char* name, uint8_t* out,
                        size_t cap, size_t* out_len);
// Call a global function of the main module. result may be null.
Status call_global(VM* vm, const char* name, const Value* args, int nargs, Value* result);
bool has_global(VM* vm, const char* name);

// ---- errors -----------------------------------------------------------------------
const char* error_type(VM* vm);     // e.g. "ZeroDivisionError"
const char* error_message(VM* vm);  // e.g. "division by zero"
int error_line(VM* vm);             // 1-based, 0 if unknown
int error_col(VM* vm);              // 1-based for SyntaxError, else 0
// "Traceback (most recent call last):\n  File "f.py", line N, in fn\n...Type: message\n"
// into buf (always NUL-terminated).
void format_traceback(VM* vm, char* buf, size_t cap);

// ---- control ----------------------------------------------------------------------
// Budget in safe points (every backward jump and call); at 0 the script gets
// KeyboardInterrupt at each safe point until a new budget is set. 0 = unlimited.
void set_budget(VM* vm, uint64_t instructions);
void interrupt(VM* vm);                          // async-safe; raises KeyboardInterrupt
size_t heap_used(VM* vm);   // bytes currently allocated in the arena (incl. VM state)
size_t heap_peak(VM* vm);
void collect(VM* vm);       // full garbage collection
// Debug/test hook: make the Nth allocation from now fail (0 = off).
void debug_fail_allocation(VM* vm, size_t nth);

// ---- helpers for natives ----------------------------------------------------------
Status raise(VM* vm, Exc kind, const char* fmt, ...);  // %s %d %l(int64) %R(repr) %T(type name) of a Value
Status arg_int(VM* vm, Args& a, int i, int64_t* out);
Status arg_float(VM* vm, Args& a, int i, double* out);
Status arg_str(VM* vm, Args& a, int i, const char** s, size_t* len);
Value new_str(VM* vm, const char* s, size_t len);  // tag Undef on MemoryError
Value new_str(VM* vm, const char* s);
void write(VM* vm, const char* s, size_t n);

}  // namespace hilsim::vm
