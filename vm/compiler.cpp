// Compiler infrastructure: error reporting (the compiler's raise function), code and
// constant emission with line tables and stack-depth tracking, function states, name
// resolution (locals, upvalues Lua-style, globals, class bodies), and the entry point.
#include "vm/compiler.h"

namespace hilsim::vm {

// Stack effect per opcode (-99: depends on the operand); also used by the verifier.
extern const int8_t kOpEffect[];
const int8_t kOpEffect[] = {
#define X(name, eff, doc) eff,
    HILSIM_VM_OPCODES(X)
#undef X
};

namespace {
// Doubles a growable array (trivially copyable elements) until it holds need items;
// returns the new array (the old one is freed), nullptr when out of memory.
void* grow_raw(VM* vm, void* arr, uint32_t* cap, uint32_t need, uint32_t esz) {
  uint32_t ncap = *cap ? *cap * 2 : 8;
  while (ncap < need) ncap *= 2;
  void* n = heap_alloc(vm->heap, ncap * esz);
  if (!n) return nullptr;
  if (*cap) __builtin_memcpy(n, arr, *cap * esz);
  heap_free(vm->heap, arr);
  *cap = ncap;
  return n;
}
template <class E>
bool grow(VM* vm, E*& arr, uint32_t& cap, uint32_t need) {
  if (need <= cap) return true;
  void* n = grow_raw(vm, arr, &cap, need, sizeof(E));
  if (n) arr = static_cast<E*>(n);
  return n != nullptr;
}
}  // namespace

bool c_error_at(Compiler& C, int id, int line, int col) {
  if (C.failed) return false;
  C.failed = true;
  if (vm_error_is_memory(C.vm)) return false;
  Value e;
  char buf[kMsgMax];
  const char* msg = msg_text(id, buf);
  Str* m = str_new(C.vm, msg, __builtin_strlen(msg));
  if (!m || make_exception(C.vm, Exc::SyntaxError, m, &e) != Status::Ok) return false;
  // like CPython: e.msg, e.lineno, e.offset
  Dict* d = as<Instance>(e)->dict;
  Str* k_msg = str_intern(C.vm, "msg", 3);
  Str* k_line = str_intern(C.vm, "lineno", 6);
  Str* k_off = str_intern(C.vm, "offset", 6);
  if (k_msg && k_line && k_off) {
    dict_set_str(C.vm, d, k_msg, mk_obj(m));
    dict_set_str(C.vm, d, k_line, mk_int(line));
    dict_set_str(C.vm, d, k_off, mk_int(col));
  }
  exc_set(C.vm, e);
  C.vm->exc_line = line;
  C.vm->exc_col = col;
  as<Instance>(e)->line = line;
  return false;
}
bool c_oom(Compiler& C) {
  if (!C.failed) {
    C.failed = true;
    raise_memory(C.vm);
  }
  return false;
}
bool c_error(Compiler& C, int msg) {
  if (C.L.tok.t == TK_ERROR) return c_error_at(C, C.L.errmsg, C.L.errline, C.L.errcol);
  return c_error_at(C, msg, C.L.tok.line, C.L.tok.col);
}

bool next(Compiler& C) {
  if (!lex_next(C.L)) return c_error(C, C.L.errmsg);
  return true;
}
bool check(Compiler& C, Tok t, int what) {
  if (C.L.tok.t != t) return c_error(C, what);
  return next(C);
}
bool accept(Compiler& C, Tok t, bool* ok) {
  *ok = true;
  if (C.L.tok.t != t) return false;
  *ok = next(C);
  return true;
}

Str* take_name(Compiler& C, bool skip) {
  if (skip && !next(C)) return nullptr;
  if (C.L.tok.t != TK_NAME) { c_error(C, MSG("invalid syntax")); return nullptr; }
  Str* nm = C.L.tok.s;
  return next(C) ? nm : nullptr;
}

uint32_t here(Compiler& C) { return C.fs->p->ncode; }

int emit_n(Compiler& C, Op op, uint32_t a, int effect) {
  FuncState* fs = C.fs;
  Proto* p = fs->p;
  if (C.failed) return -1;
  if (a > 0xffffff) { c_error(C, MSG("too many constants or code too large")); return -1; }
  if (!grow(C.vm, p->code, fs->code_cap, p->ncode + 1)) { c_oom(C); return -1; }
  int line = C.line_override > 0 ? C.line_override : C.L.tok.line;
  if (p->nlines == 0 || p->lines[p->nlines - 1].line != static_cast<uint32_t>(line)) {
    if (!grow(C.vm, p->lines, fs->line_cap, p->nlines + 1)) { c_oom(C); return -1; }
    if (p->nlines && p->lines[p->nlines - 1].pc == p->ncode) p->nlines--;
    p->lines[p->nlines].pc = p->ncode;
    p->lines[p->nlines].line = static_cast<uint32_t>(line);
    p->nlines++;
  }
  p->code[p->ncode] = ins(op, a);
  fs->depth += effect;
  if (fs->depth < 0) fs->depth = 0;
  if (fs->depth > fs->maxdepth) fs->maxdepth = fs->depth;
  return static_cast<int>(p->ncode++);
}
int emit(Compiler& C, Op op, uint32_t a) { return emit_n(C, op, a, kOpEffect[op]); }

void patch(Compiler& C, int at, uint32_t target) {
  if (at < 0 || C.failed) return;
  uint32_t& i = C.fs->p->code[at];
  i = ins(ins_op(i), target);
}

int add_const(Compiler& C, const Value& v) {
  Proto* p = C.fs->p;
  for (uint32_t i = 0; i < p->nconsts; i++) {
    Value k = p->consts[i];
    if (k.tag != v.tag) continue;
    if ((v.tag == T::Int && k.i == v.i) || (is_obj(v) && k.o == v.o) ||
        (v.tag == T::Float && __builtin_memcmp(&k.f, &v.f, 8) == 0))
      return static_cast<int>(i);
  }
  if (!grow(C.vm, p->consts, C.fs->const_cap, p->nconsts + 1)) { c_oom(C); return 0; }
  p->consts[p->nconsts] = v;
  return static_cast<int>(p->nconsts++);
}
int add_name(Compiler& C, Str* s) { return add_const(C, mk_obj(s)); }
void emit_const(Compiler& C, const Value& v) { emit(C, OP_LOAD_CONST, add_const(C, v)); }
void emit_obj_const(Compiler& C, Obj* o) { emit_const(C, mk_obj(o)); }

int alloc_reg(Compiler& C) {
  if (C.fs->nregs >= 4000) { c_error(C, MSG("too many local variables")); return 0; }
  return C.fs->nregs++;
}

int add_local(Compiler& C, Str* name) {
  FuncState* fs = C.fs;
  if (fs->nactive >= 128) return -1;
  int reg = alloc_reg(C);
  fs->locals[fs->nactive].name = name;
  fs->locals[fs->nactive].reg = static_cast<uint16_t>(reg);
  fs->nactive++;
  return reg;
}

bool fs_open(Compiler& C, FuncState* fs, Str* name) {
  __builtin_memset(static_cast<void*>(fs), 0, sizeof(FuncState));
  fs->parent = C.fs;
  fs->class_reg = -1;
  fs->exc_reg = -1;
  Proto* p = static_cast<Proto*>(gc_new(C.vm, T::Proto, sizeof(Proto)));
  if (!p) { C.failed = true; return false; }
  __builtin_memset(reinterpret_cast<char*>(p) + sizeof(Obj), 0, sizeof(Proto) - sizeof(Obj));
  p->name = name;
  p->source_name = C.source_name;
  fs->p = p;
  if (C.vm->ncompiling >= 24) { c_error(C, MSG("too many nested functions")); return false; }
  C.vm->ncompiling++;
  push_root(C.vm, mk_obj(p));  // rooted while compiling (popped by fs_close)
  C.fs = fs;
  return true;
}

bool fs_close(Compiler& C, Proto** out) {
  FuncState* fs = C.fs;
  Proto* p = fs->p;
  p->nlocals = fs->nregs;
  p->maxstack = static_cast<uint16_t>(fs->maxdepth + 4);
  // names of all registers (for UnboundLocalError messages); params keep their slots
  if (!C.failed && fs->nregs) {
    Str** names = static_cast<Str**>(heap_alloc(C.vm->heap, fs->nregs * sizeof(Str*)));
    if (!names) {
      c_oom(C);
    } else {
      __builtin_memset(names, 0, fs->nregs * sizeof(Str*));
      uint32_t np = p->params ? p->nparams + ((p->pflags & kProtoVarargs) ? 1 : 0) + ((p->pflags & kProtoKwargs) ? 1 : 0) : 0;
      if (np) __builtin_memcpy(names, p->params, np * sizeof(Str*));
      for (int i = 0; i < fs->nactive; i++) if (fs->locals[i].reg < fs->nregs && !names[fs->locals[i].reg]) names[fs->locals[i].reg] = fs->locals[i].name;
      heap_free(C.vm->heap, p->params);
      p->params = names;
      p->nnames = fs->nregs;
    }
  }
  C.fs = fs->parent;
  C.vm->ncompiling--;
  pop_roots(C.vm, 1);
  if (C.fs && !C.failed) {
    FuncState* pf = C.fs;
    if (!grow(C.vm, pf->p->protos, pf->proto_cap, pf->p->nprotos + 1)) return c_oom(C);
    pf->p->protos[pf->p->nprotos++] = p;
  }
  *out = p;
  return !C.failed;
}

// ---- name resolution ------------------------------------------------------------
namespace {
int find_local(FuncState* fs, Str* name) {
  for (int i = fs->nactive - 1; i >= 0; i--)
    if (fs->locals[i].name == name) return fs->locals[i].reg;
  return -1;
}
bool in_list(Str* const* l, int n, Str* s) {
  for (int i = 0; i < n; i++) if (l[i] == s) return true;
  return false;
}
int find_upval(Compiler& C, FuncState* fs, Str* name) {
  for (int i = 0; i < fs->p->nupvals; i++) if (fs->upnames[i] == name) return i;
  FuncState* pf = fs->parent;
  if (!pf) return -1;
  if (in_list(pf->globals_decl, pf->nglobals_decl, name)) return -1;
  int idx = find_local(pf, name);
  uint8_t from_local = 1;
  if (idx < 0) {
    if (pf->is_module) return -1;
    idx = find_upval(C, pf, name);
    if (idx < 0) return -1;
    from_local = 0;
  }
  Proto* p = fs->p;
  if (p->nupvals >= 64) { c_error(C, MSG("too many closure variables")); return -1; }
  if (!grow(C.vm, p->upvals, fs->upval_cap, p->nupvals + 1u)) { c_oom(C); return -1; }
  p->upvals[p->nupvals].from_parent_local = from_local;
  p->upvals[p->nupvals].index = static_cast<uint16_t>(idx);
  fs->upnames[p->nupvals] = name;
  return p->nupvals++;
}
}  // namespace

NameKind resolve(Compiler& C, Str* name, bool store, int* index) {
  FuncState* fs = C.fs;
  if (in_list(fs->globals_decl, fs->nglobals_decl, name)) return NameKind::Global;
  if (store && in_list(fs->nonlocal_decl, fs->nnonlocal_decl, name)) {
    *index = find_upval(C, fs, name);
    if (*index < 0) { c_error(C, MSG("no binding for nonlocal found")); return NameKind::Global; }
    return NameKind::Upval;
  }
  int r = find_local(fs, name);
  if (r >= 0) { *index = r; return NameKind::Local; }
  if (fs->class_reg >= 0) { *index = fs->class_reg; return NameKind::Class; }
  if (fs->is_module) return NameKind::Global;
  if (!store || in_list(fs->nonlocal_decl, fs->nnonlocal_decl, name)) {
    int u = find_upval(C, fs, name);
    if (u >= 0) { *index = u; return NameKind::Upval; }
    return NameKind::Global;
  }
  int reg = add_local(C, name);
  if (reg < 0) { c_error(C, MSG("too many local variables")); return NameKind::Global; }
  *index = reg;
  return NameKind::Local;
}

// LOAD_x (store: STORE_x, the next opcode) of a name, as resolved
bool emit_name(Compiler& C, Str* name, bool store) {
  static_assert(OP_STORE_FAST == OP_LOAD_FAST + 1 && OP_STORE_UPVAL == OP_LOAD_UPVAL + 1 &&
                OP_STORE_GLOBAL == OP_LOAD_GLOBAL + 1 && OP_STORE_CLSNAME == OP_LOAD_CLSNAME + 1, "opcode pairs");
  int idx = 0;
  NameKind k = resolve(C, name, store, &idx);
  int op = k == NameKind::Local ? OP_LOAD_FAST : k == NameKind::Upval ? OP_LOAD_UPVAL
           : k == NameKind::Global ? OP_LOAD_GLOBAL : OP_LOAD_CLSNAME;
  if (k == NameKind::Global || k == NameKind::Class) {
    int kn = add_name(C, name);
    if (k == NameKind::Class && (kn > 0xfff || idx > 0xfff)) return c_error(C, MSG("class body too large"));
    idx = k == NameKind::Class ? kn | (idx << 12) : kn;
  }
  emit(C, static_cast<Op>(op + store), idx);
  return !C.failed;
}
bool emit_load_name(Compiler& C, Str* name) { return emit_name(C, name, false); }
bool emit_store_name(Compiler& C, Str* name) { return emit_name(C, name, true); }

// Skip one expression's tokens (to the next ',' ')' ']' '}' ':' NEWLINE at depth 0, or
// 'for' / '=' if asked). *hit is set when stopped at 'for' or '='.
bool skip_expr_tokens(Compiler& C, bool stop_at_for, bool stop_at_assign, bool* hit) {
  int depth = 0;
  bool in_lambda = false;
  *hit = false;
  for (;;) {
    Tok t = C.L.tok.t;
    if (t == TK_EOF) return true;
    if (depth == 0) {
      if (t == TK_NEWLINE || t == TK_RPAREN || t == TK_RBRACK || t == TK_RBRACE || t == TK_SEMI) return true;
      if (t == TK_COMMA && !stop_at_assign && !in_lambda) return true;
      if (t == TK_COLON) { if (in_lambda) in_lambda = false; else return true; }
      if (t == TK_LAMBDA) in_lambda = true;
      if (t == TK_FOR && stop_at_for) { *hit = true; return true; }
      if (t == TK_ASSIGN && stop_at_assign && !in_lambda) { *hit = true; return true; }
      if (stop_at_assign && t >= TK_PLUSEQ && t <= TK_CARETEQ) return true;
    }
    depth += bracket(t);
    if (!next(C)) return false;
  }
}

// ---- entry point ----------------------------------------------------------------
Status compile(VM* vm, const char* src, size_t len, const char* name, bool eval_mode, Proto** out) {
  Compiler C;
  C.vm = vm;
  C.fs = nullptr;
  C.failed = false;
  C.nest = 0;
  C.line_override = 0;
  vm->exc = mk_undef();
  int saved_compiling = vm->ncompiling;
  Value* saved_sp = vm->sp;
  int saved_overflow = vm->root_overflow;
  C.source_name = str_new(vm, name, __builtin_strlen(name));
  if (!C.source_name) return Status::Memory;
  push_root(vm, mk_obj(C.source_name));
  lex_init(C.L, vm, src, len, 1);
  FuncState fs;
  Str* modname = str_intern(vm, "<module>", 8);
  Proto* p = nullptr;
  if (modname && fs_open(C, &fs, modname)) {
    fs.is_module = true;
    fs.p->pflags |= kProtoModule;
    if (next(C)) {
      if (eval_mode) {
        while (C.L.tok.t == TK_NEWLINE || C.L.tok.t == TK_INDENT) { if (!next(C)) break; }
        bool tup;
        if (!C.failed && expr_list(C, &tup)) {
          while (C.L.tok.t == TK_NEWLINE || C.L.tok.t == TK_DEDENT) { if (!next(C)) break; }
          if (!C.failed && C.L.tok.t != TK_EOF) c_error(C, MSG("invalid syntax"));
          emit(C, OP_RETURN);
        }
      } else {
        while (!C.failed && C.L.tok.t != TK_EOF) {
          if (C.L.tok.t == TK_NEWLINE) { next(C); continue; }
          if (C.L.tok.t == TK_INDENT) { c_error(C, MSG("unexpected indent")); break; }
          statement(C);
        }
        emit(C, OP_LOAD_NONE);
        emit(C, OP_RETURN);
      }
    }
    while (C.fs && C.fs != &fs) { Proto* dummy; fs_close(C, &dummy); }
    if (C.fs) fs_close(C, &p);
  }
  vm->ncompiling = saved_compiling;
  vm->sp = saved_sp;
  vm->root_overflow = saved_overflow;
  if (C.failed || !p) {
    if (vm->exc.tag == T::Undef) raise_memory(vm);
    return vm_error_is_memory(vm) ? Status::Memory : Status::Syntax;
  }
  *out = p;
  return Status::Ok;
}

}  // namespace hilsim::vm
