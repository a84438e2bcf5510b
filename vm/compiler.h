// Compiler state shared by the expression (expr.cpp) and statement (stmt.cpp) halves.
// One pass from tokens to bytecode, in the style of Lua's lparser/lcode. Where Python
// puts things in the "wrong" order for a one-pass compiler (assignment targets, for
// targets, comprehension elements, conditional expressions, finally bodies inlined at
// return/break/continue), the compiler saves the lexer state, skips ahead, and rewinds.
#pragma once
#include "vm/lexer.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

struct Local {
  Str* name;
  uint16_t reg;
};
struct LoopInfo {
  uint32_t cont_pc;
  int break_list;  // chain of JUMPs to patch (linked through A), -1 = none
  bool is_for;
  int ntries;      // try depth at loop entry
};
struct TryInfo {
  bool is_finally;
  Lexer body;      // lexer state at the start of the finally block (is_finally)
};

struct FuncState {
  FuncState* parent;
  Proto* p;
  int nactive;
  int depth, maxdepth;
  int ntries;
  int nloops;
  int class_reg;   // >= 0 while compiling a class body
  int exc_reg;     // register holding the exception being handled (bare 'raise'), or -1
  uint16_t nregs;
  bool is_module;
  int nglobals_decl;
  int nnonlocal_decl;
  uint32_t code_cap, const_cap, proto_cap, line_cap, upval_cap;
  Local locals[128];
  Str* upnames[64];
  Str* globals_decl[32];
  Str* nonlocal_decl[16];
  LoopInfo loops[16];
  TryInfo tries[12];
};

// Small fields first, then the lexer (its current token lands at a short offset).
struct Compiler {
  FuncState* fs;
  VM* vm;
  bool failed;
  int nest;  // expression nesting depth (bounded to protect the C stack)
  int line_override;  // > 0: line recorded for emitted code instead of the token's
  Str* source_name;
  Lexer L;
};

struct ParamInfo {
  Str* names[64];
  int n;          // positional params
  int ndefaults;
  Str* varargs;
  Str* kwargs;
};
bool parse_params(Compiler& C, ParamInfo& pi, Tok end);
bool build_function(Compiler& C, Str* name, ParamInfo& pi, bool is_lambda, bool is_method);
bool prescan_locals(Compiler& C);  // declares a def body's locals before compiling it

// ---- helpers (compiler.cpp) ----
bool c_error(Compiler& C, int msg);  // msg: MSG("...")
bool c_oom(Compiler& C);  // out of memory while compiling: MemoryError, not SyntaxError
bool c_error_at(Compiler& C, int msg, int line, int col);
bool next(Compiler& C);
bool check(Compiler& C, Tok t, int what);
bool accept(Compiler& C, Tok t, bool* ok);  // consumes t if present
// consumes a NAME (after skipping the current token when skip), null after an error
Str* take_name(Compiler& C, bool skip);
int emit(Compiler& C, Op op, uint32_t a = 0);
int emit_n(Compiler& C, Op op, uint32_t a, int effect);
void patch(Compiler& C, int at, uint32_t target);
uint32_t here(Compiler& C);
int add_const(Compiler& C, const Value& v);
int add_name(Compiler& C, Str* s);
void emit_const(Compiler& C, const Value& v);  // LOAD_CONST of v
void emit_obj_const(Compiler& C, Obj* o);
bool fs_open(Compiler& C, FuncState* fs, Str* name);
bool fs_close(Compiler& C, Proto** out);
int alloc_reg(Compiler& C);
int add_local(Compiler& C, Str* name);  // a new local's register, -1 when there are too many
bool skip_expr_tokens(Compiler& C, bool stop_at_for, bool stop_at_assign, bool* hit);

// name resolution
enum class NameKind { Local, Upval, Global, Class };
NameKind resolve(Compiler& C, Str* name, bool store, int* index);
bool emit_load_name(Compiler& C, Str* name);
bool emit_store_name(Compiler& C, Str* name);

// ---- expressions (expr.cpp) ----
bool expr(Compiler& C);            // test
bool expr_list(Compiler& C, bool* is_tuple);  // test (',' test)* [','] -> tuple if comma
bool target(Compiler& C, bool aug, Op aug_op);  // store TOS into the target at the cursor
bool target_list(Compiler& C);     // possibly a tuple of targets
bool trailer_target(Compiler& C, int mode, Op aug_op);  // store 0 / augment 1 / delete 2
bool or_test(Compiler& C);
bool subscript(Compiler& C);     // after '[': index, slice or tuple

// ---- statements (stmt.cpp) ----
bool block(Compiler& C);
bool statement(Compiler& C);

}  // namespace hilsim::vm
