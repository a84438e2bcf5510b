// Values and heap objects of the script VM.
// A Value is a 16-byte tagged union: None/bool/int/float and native functions are
// unboxed; everything else points at a heap object allocated from the VM arena.
// Ints are int64 with checked arithmetic (overflow raises OverflowError, never wraps).
// Every heap object starts with Obj, which links it into the collector's list.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace hilsim::vm {

enum class T : uint8_t {
  // unboxed
  Undef, None, Bool, Int, Float, Native,
  // heap (keep Str first: is_obj() tests >= Str)
  Str, Bytes, ByteArray, List, Tuple, Dict, Range, Proto, Func, Class, Instance,
  Bound, Upval, Module, Iter, Slice, Cell
};

struct Obj;
struct Str;
struct VM;
struct NativeDef;

struct Value {
  T tag;
  uint32_t aux;  // internal: a dict entry's key keeps its hash here (padding otherwise)
  union {
    bool b;
    int64_t i;
    double f;
    Obj* o;
    const NativeDef* nf;
  };
};

// None and Undef carry no payload (only the tag is meaningful)
inline Value mk_none() { Value v; v.tag = T::None; return v; }
inline Value mk_undef() { Value v; v.tag = T::Undef; return v; }
// v.b == b (little-endian) and v.i == b: ival() reads int and bool alike
inline Value mk_bool(bool b) { Value v; v.tag = T::Bool; v.i = b; return v; }
inline Value mk_int(int64_t i) { Value v; v.tag = T::Int; v.i = i; return v; }
inline Value mk_float(double f) { Value v; v.tag = T::Float; v.f = f; return v; }
inline Value mk_native(const NativeDef* d) { Value v; v.tag = T::Native; v.nf = d; return v; }
inline bool is_obj(Value v) { return v.tag >= T::Str; }

struct Obj {
  Obj* gcnext;
  T type;
  uint8_t mark;
  uint16_t flags;
};
template <class O> inline O* as(Value v) { return static_cast<O*>(v.o); }
inline Value mk_obj(Obj* o) { Value v; v.tag = o->type; v.o = o; return v; }

// Str and Bytes share a layout; strings are always interned when short (<= 40 bytes),
// so equal short strings are the same pointer.
enum : uint16_t { kStrInterned = 1 };
struct Str : Obj {
  uint32_t hash;
  uint32_t len;
  Str* chain;  // intern table chain
  char data[1];
};

struct List : Obj {  // also bytearray (items hold ints) — no: ByteArray uses Bytes-like data
  Value* items;
  uint32_t len, cap;
};
struct ByteArray : Obj {
  uint8_t* data;
  uint32_t len, cap;
};
struct Tuple : Obj {
  uint32_t len;
  Value items[1];
};

// Insertion-ordered hash table: entries[] in insertion order, index[] open-addressed
// (linear probing) holding entry numbers; -1 empty, -2 deleted. Deleted entries keep
// tag Undef as key until the next resize compacts them. A key's hash is kept in
// key.aux. entries and index share one allocation (index follows the entries).
struct DictEntry {
  Value key, val;
};
struct Dict : Obj {
  DictEntry* entries;
  int32_t* index;
  uint32_t count;   // live entries
  uint32_t used;    // entries[] slots used (incl. deleted)
  uint32_t ecap;    // entries[] capacity
  uint32_t icap;    // index[] capacity (power of two, or 0)
};

struct Range : Obj {
  int64_t start, stop, step;
};
struct Slice : Obj {
  Value start, stop, step;
};

struct UpvalDesc {
  uint8_t from_parent_local;  // 1: parent's register, 0: parent's upvalue
  uint8_t pad;
  uint16_t index;
};
struct LineRun {
  uint32_t pc;
  uint32_t line;
};
enum : uint16_t { kProtoVarargs = 1, kProtoKwargs = 2, kProtoModule = 4 };
struct Proto : Obj {
  uint32_t* code;
  Value* consts;
  Proto** protos;
  LineRun* lines;
  UpvalDesc* upvals;
  Str** params;  // register names [0, nnames): params first (+*args, +**kw), then other locals (null = hidden)
  Str* name;
  Str* source_name;
  uint32_t ncode, nconsts, nprotos, nlines;
  // the next six are stored in this order in bytecode (bytecode.cpp walks them)
  uint16_t nparams;   // positional params (incl. those with defaults)
  uint16_t ndefaults;
  uint16_t nlocals;   // registers incl. params
  uint16_t maxstack;  // operand stack depth above the locals
  uint16_t pflags;
  uint16_t nupvals;
  uint16_t nnames;
};
struct Upval : Obj {
  Value* v;  // points into the stack while open, at `closed` once closed
  Value closed;
  Upval* next;  // open list, sorted by stack address (descending)
};
struct Func : Obj {
  Proto* proto;
  Dict* globals;
  Tuple* defaults;  // may be null
  Obj* owner;       // class the function was defined in (for super()), or null
  uint32_t nupvals;
  Upval* upvals[1];
};
struct Class : Obj {
  Str* name;
  Class* base;
  Dict* dict;
  uint8_t builtin_exc;  // 1 for the built-in exception hierarchy
};
struct Instance : Obj {
  Class* cls;
  Dict* dict;
  int32_t line;  // exceptions: line where first raised (0 = not yet raised)
};
struct Bound : Obj {
  Value self;
  Value fn;
};
struct Module : Obj {
  Str* name;
  Dict* dict;
};
enum class IterKind : uint8_t { Seq, Range, DictKeys, DictItems, DictValues, Str, Bytes, Enumerate, Zip };
struct Iter : Obj {
  Value seq;
  Value seq2;
  int64_t pos, end, step;
  IterKind kind;
};

// Status codes: every layer reports errors as a Status after recording the exception
// in the VM with its layer's raise function.
enum class Status : uint8_t { Ok = 0, Syntax, Runtime, Memory };

}  // namespace hilsim::vm
