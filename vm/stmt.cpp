// Statements: simple statements (assignment, augmented assignment, del, pass, flow
// control, raise, assert, global, nonlocal, import) and compound statements (if,
// while, for, try/except/else/finally, def, class). finally bodies are compiled once
// for the exception path and inlined again on every normal exit (fall-through,
// return, break, continue), by rewinding the lexer to the start of the body.
#include "vm/compiler.h"

namespace hilsim::vm {

#define TRY(x) do { if (!(x)) return false; } while (0)


namespace {


bool end_of_simple(Compiler& C) {
  Tok t = C.L.tok.t;
  return t == TK_NEWLINE || t == TK_SEMI || t == TK_EOF;
}

// Skip a block after ':' (an indented suite or the rest of the line).
bool skip_block(Compiler& C) {
  TRY(check(C, TK_COLON, MSG("expected ':'")));
  if (C.L.tok.t != TK_NEWLINE) {
    while (C.L.tok.t != TK_NEWLINE && C.L.tok.t != TK_EOF) TRY(next(C));
    return next(C);
  }
  TRY(next(C));
  if (C.L.tok.t != TK_INDENT) return c_error(C, MSG("expected an indented block"));
  int depth = 0;
  do {
    if (C.L.tok.t == TK_INDENT) depth++;
    if (C.L.tok.t == TK_DEDENT) depth--;
    if (C.L.tok.t == TK_EOF) return c_error(C, MSG("unexpected end of file"));
    TRY(next(C));
  } while (depth > 0);
  return true;
}

// Leaves try region i (POP_TRY, plus the finally body when it has one).
bool exit_try(Compiler& C, int i) {
  FuncState* fs = C.fs;
  emit(C, OP_POP_TRY);
  if (!fs->tries[i].is_finally) return !C.failed;
  Lexer saved = C.L;
  int saved_n = fs->ntries;
  int depth = fs->depth;
  fs->ntries = i;
  C.L = fs->tries[i].body;
  bool ok = block(C);
  fs->ntries = saved_n;
  fs->depth = depth;
  C.L = saved;
  return ok;
}

bool do_return(Compiler& C) {
  FuncState* fs = C.fs;
  if (fs->is_module && fs->class_reg < 0) return c_error(C, MSG("'return' outside function"));
  TRY(next(C));
  if (end_of_simple(C)) emit(C, OP_LOAD_NONE);
  else { bool tup; TRY(expr_list(C, &tup)); }
  for (int i = fs->ntries - 1; i >= 0; i--) TRY(exit_try(C, i));
  emit(C, OP_RETURN);
  return !C.failed;
}

bool do_break(Compiler& C, bool is_break) {
  FuncState* fs = C.fs;
  if (!fs->nloops) return c_error(C, is_break ? MSG("'break' outside loop") : MSG("'continue' not properly in loop"));
  TRY(next(C));
  LoopInfo& lp = fs->loops[fs->nloops - 1];
  for (int i = fs->ntries - 1; i >= lp.ntries; i--) TRY(exit_try(C, i));
  if (is_break) {
    int depth = fs->depth;
    if (lp.is_for) emit(C, OP_POP);
    int j = emit(C, OP_JUMP, lp.break_list < 0 ? 0xffffff : static_cast<uint32_t>(lp.break_list));
    lp.break_list = j;
    fs->depth = depth;
  } else {
    emit(C, OP_JUMP, lp.cont_pc);
  }
  return !C.failed;
}

void patch_breaks(Compiler& C, int list, uint32_t target) {
  while (list >= 0 && !C.failed) {
    uint32_t nx = ins_a(C.fs->p->code[list]);
    patch(C, list, target);
    list = nx == 0xffffff ? -1 : static_cast<int>(nx);
  }
}

bool del_target(Compiler& C) {
  if (C.L.tok.t == TK_NAME) {
    Str* nm = C.L.tok.s;
    TRY(next(C));
    if (C.L.tok.t != TK_DOT && C.L.tok.t != TK_LBRACK && C.L.tok.t != TK_LPAREN) {
      int idx = 0;
      NameKind k = resolve(C, nm, true, &idx);
      if (k == NameKind::Local) emit(C, OP_DELETE_FAST, idx);
      else if (k == NameKind::Global) emit(C, OP_DELETE_GLOBAL, add_name(C, nm));
      else return c_error(C, MSG("cannot delete this name"));
      return !C.failed;
    }
    TRY(emit_load_name(C, nm));
  } else {
    return c_error(C, MSG("cannot delete expression"));
  }
  return trailer_target(C, 2, OP_NOP);
}

// ['as' NAME]: the name replaces *nm
bool opt_as(Compiler& C, Str** nm) {
  if (C.L.tok.t != TK_AS) return true;
  return (*nm = take_name(C, true)) != nullptr;
}

Str* dotted_name(Compiler& C) {
  Str* nm = take_name(C, false);
  if (!nm) return nullptr;
  if (C.L.tok.t == TK_DOT) { c_error(C, MSG("dotted module names are not supported")); return nullptr; }
  return nm;
}

// expr_stmt: testlist (augassign testlist | ('=' testlist)*)
bool expr_statement(Compiler& C) {
  Lexer s0 = C.L;
  Lexer parts[16];
  int n = 0;
  bool hit;
  TRY(skip_expr_tokens(C, false, true, &hit));
  if (!hit) {
    Tok t = C.L.tok.t;
    if (t >= TK_PLUSEQ && t <= TK_CARETEQ) {
      static const Op kAug[] = {OP_IADD, OP_SUB, OP_MUL, OP_TRUEDIV, OP_FLOORDIV, OP_MOD,
                                OP_POW, OP_LSHIFT, OP_RSHIFT, OP_BAND, OP_BOR, OP_BXOR};
      C.L = s0;
      return target(C, true, kAug[t - TK_PLUSEQ]);
    }
    C.L = s0;
    bool tup;
    TRY(expr_list(C, &tup));
    emit(C, OP_POP);
    return !C.failed;
  }
  parts[n++] = s0;
  while (hit) {
    TRY(next(C));
    if (n >= 16) return c_error(C, MSG("too many chained assignments"));
    parts[n++] = C.L;
    TRY(skip_expr_tokens(C, false, true, &hit));
  }
  // parts[n-1] is the value
  C.L = parts[n - 1];
  bool tup;
  TRY(expr_list(C, &tup));
  if (!end_of_simple(C)) return c_error(C, MSG("invalid syntax"));
  Lexer end = C.L;
  for (int i = 0; i < n - 1; i++) {
    if (i < n - 2) emit(C, OP_DUP);
    C.L = parts[i];
    TRY(target_list(C));
    if (C.L.tok.t != TK_ASSIGN) return c_error(C, MSG("invalid syntax"));
  }
  C.L = end;
  return !C.failed;
}

int& cur_exc_reg(Compiler& C) { return C.fs->exc_reg; }

bool simple_statement(Compiler& C) {
  FuncState* fs = C.fs;
  bool ok;
  switch (C.L.tok.t) {
    case TK_PASS: return next(C);
    case TK_BREAK: return do_break(C, true);
    case TK_CONTINUE: return do_break(C, false);
    case TK_RETURN: return do_return(C);
    case TK_RAISE: {
      TRY(next(C));
      if (end_of_simple(C)) {
        if (cur_exc_reg(C) >= 0) {
          emit(C, OP_LOAD_FAST, cur_exc_reg(C));
          emit(C, OP_RERAISE);
        } else {
          emit(C, OP_RAISE, 0);
        }
        return !C.failed;
      }
      TRY(expr(C));
      if (accept(C, TK_FROM, &ok)) {
        TRY(ok);
        TRY(expr(C));
        emit(C, OP_POP);
      }
      TRY(ok);
      emit_n(C, OP_RAISE, 1, -1);
      return !C.failed;
    }
    case TK_GLOBAL: case TK_NONLOCAL: {
      bool glob = C.L.tok.t == TK_GLOBAL;
      do {
        TRY(next(C));
        if (C.L.tok.t != TK_NAME) return c_error(C, MSG("invalid syntax"));
        if (glob) {
          if (fs->nglobals_decl >= 32) return c_error(C, MSG("too many global declarations"));
          fs->globals_decl[fs->nglobals_decl++] = C.L.tok.s;
        } else {
          if (fs->is_module) return c_error(C, MSG("nonlocal declaration not allowed at module level"));
          if (fs->nnonlocal_decl >= 16) return c_error(C, MSG("too many nonlocal declarations"));
          fs->nonlocal_decl[fs->nnonlocal_decl++] = C.L.tok.s;
        }
        TRY(next(C));
      } while (C.L.tok.t == TK_COMMA);
      return true;
    }
    case TK_DEL: {
      TRY(next(C));
      for (;;) {
        TRY(del_target(C));
        if (C.L.tok.t != TK_COMMA) break;
        TRY(next(C));
      }
      return true;
    }
    case TK_ASSERT: {
      TRY(next(C));
      TRY(expr(C));
      int j = emit(C, OP_POP_JUMP_IF_TRUE);
      emit(C, OP_LOAD_EXC, static_cast<uint32_t>(Exc::AssertionError));
      if (accept(C, TK_COMMA, &ok)) {
        TRY(ok);
        TRY(expr(C));
        emit_n(C, OP_CALL, 1, -1);
      }
      TRY(ok);
      emit_n(C, OP_RAISE, 1, -1);
      patch(C, j, here(C));
      return !C.failed;
    }
    case TK_IMPORT: {
      do {
        TRY(next(C));
        Str* nm = dotted_name(C);
        if (!nm) return false;
        emit(C, OP_IMPORT, add_name(C, nm));
        TRY(opt_as(C, &nm));
        TRY(emit_store_name(C, nm));
      } while (C.L.tok.t == TK_COMMA);
      return true;
    }
    case TK_FROM: {
      TRY(next(C));
      Str* mod = dotted_name(C);
      if (!mod) return false;
      TRY(check(C, TK_IMPORT, MSG("invalid syntax")));
      if (C.L.tok.t == TK_STAR) return c_error(C, MSG("'from module import *' is not supported"));
      bool paren = false;
      if (accept(C, TK_LPAREN, &ok)) paren = true;
      TRY(ok);
      emit(C, OP_IMPORT, add_name(C, mod));
      for (;;) {
        Str* nm = take_name(C, false);
        if (!nm) return false;
        emit(C, OP_IMPORT_FROM, add_name(C, nm));
        TRY(opt_as(C, &nm));
        TRY(emit_store_name(C, nm));
        if (C.L.tok.t != TK_COMMA) break;
        TRY(next(C));
        if (paren && C.L.tok.t == TK_RPAREN) break;
      }
      if (paren) TRY(check(C, TK_RPAREN, MSG("invalid syntax")));
      emit(C, OP_POP);
      return true;
    }
    case TK_WITH: return c_error(C, MSG("'with' statements are not supported"));
    case TK_YIELD: return c_error(C, MSG("generators ('yield') are not supported"));
    default: return expr_statement(C);
  }
}

// simple_stmt: small_stmt (';' small_stmt)* [';'] NEWLINE
bool simple_line(Compiler& C) {
  for (;;) {
    TRY(simple_statement(C));
    if (C.L.tok.t == TK_SEMI) {
      TRY(next(C));
      if (C.L.tok.t == TK_NEWLINE || C.L.tok.t == TK_EOF) break;
      continue;
    }
    break;
  }
  if (C.L.tok.t == TK_EOF) return true;
  if (C.L.tok.t != TK_NEWLINE) return c_error(C, MSG("invalid syntax"));
  return next(C);
}

// if_stmt: 'if' test ':' suite ('elif' test ':' suite)* ['else' ':' suite]
bool if_statement(Compiler& C) {
  int ends[64];
  int ne = 0;
  TRY(next(C));
  TRY(expr(C));
  int jf = emit(C, OP_POP_JUMP_IF_FALSE);
  TRY(block(C));
  for (;;) {
    Tok t = C.L.tok.t;
    if (t != TK_ELIF && t != TK_ELSE) break;
    if (ne >= 64) return c_error(C, MSG("too many elif clauses"));
    ends[ne++] = emit(C, OP_JUMP);
    patch(C, jf, here(C));
    jf = -1;
    TRY(next(C));
    if (t == TK_ELSE) { TRY(block(C)); break; }
    TRY(expr(C));
    jf = emit(C, OP_POP_JUMP_IF_FALSE);
    TRY(block(C));
  }
  if (jf >= 0) patch(C, jf, here(C));
  for (int i = 0; i < ne; i++) patch(C, ends[i], here(C));
  return !C.failed;
}

bool push_loop(Compiler& C, uint32_t cont, bool is_for) {
  FuncState* fs = C.fs;
  if (fs->nloops >= 16) return c_error(C, MSG("too many statically nested blocks"));
  LoopInfo& l = fs->loops[fs->nloops++];
  l.cont_pc = cont;
  l.break_list = -1;
  l.is_for = is_for;
  l.ntries = fs->ntries;
  return true;
}

// while_stmt: 'while' test ':' suite ['else' ':' suite]
bool while_statement(Compiler& C) {
  FuncState* fs = C.fs;
  TRY(next(C));
  uint32_t top = here(C);
  int jf = -1;
  bool forever = false;
  if (C.L.tok.t == TK_TRUE) {
    Lexer s = C.L;
    TRY(next(C));
    forever = C.L.tok.t == TK_COLON;
    C.L = s;
  }
  if (forever) TRY(next(C));
  else {
    TRY(expr(C));
    jf = emit(C, OP_POP_JUMP_IF_FALSE);
  }
  TRY(push_loop(C, top, false));
  TRY(block(C));
  emit(C, OP_JUMP, top);
  if (jf >= 0) patch(C, jf, here(C));
  int breaks = fs->loops[--fs->nloops].break_list;
  if (C.L.tok.t == TK_ELSE) { TRY(next(C)); TRY(block(C)); }
  patch_breaks(C, breaks, here(C));
  return !C.failed;
}

// for_stmt: 'for' exprlist 'in' testlist ':' suite ['else' ':' suite]
bool for_statement(Compiler& C) {
  FuncState* fs = C.fs;
  TRY(next(C));
  Lexer tgt = C.L;
  int depth = 0;
  while (!(C.L.tok.t == TK_IN && depth == 0)) {
    Tok t = C.L.tok.t;
    if (t == TK_NEWLINE || t == TK_EOF || t == TK_COLON) return c_error(C, MSG("invalid syntax"));
    if (t == TK_LPAREN || t == TK_LBRACK) depth++;
    if (t == TK_RPAREN || t == TK_RBRACK) depth--;
    TRY(next(C));
  }
  TRY(next(C));
  bool tup;
  TRY(expr_list(C, &tup));
  emit(C, OP_GET_ITER);
  uint32_t top = here(C);
  int jf = emit(C, OP_FOR_ITER);
  Lexer after = C.L;
  C.L = tgt;
  TRY(target_list(C));
  if (C.L.tok.t != TK_IN) return c_error(C, MSG("invalid syntax"));
  C.L = after;
  TRY(push_loop(C, top, true));
  TRY(block(C));
  emit(C, OP_JUMP, top);
  patch(C, jf, here(C));
  fs->depth--;
  int breaks = fs->loops[--fs->nloops].break_list;
  if (C.L.tok.t == TK_ELSE) { TRY(next(C)); TRY(block(C)); }
  patch_breaks(C, breaks, here(C));
  return !C.failed;
}

bool push_try(Compiler& C, bool is_finally, const Lexer* body) {
  FuncState* fs = C.fs;
  if (fs->ntries >= 12) return c_error(C, MSG("too many statically nested blocks"));
  fs->tries[fs->ntries].is_finally = is_finally;
  if (body) fs->tries[fs->ntries].body = *body;
  fs->ntries++;
  return true;
}

// try_stmt: 'try' ':' suite ((except_clause ':' suite)+ ['else' ':' suite]
//           ['finally' ':' suite] | 'finally' ':' suite)
// except_clause: 'except' [test ['as' NAME]]
bool try_statement(Compiler& C) {
  FuncState* fs = C.fs;
  TRY(next(C));
  // look ahead for the clauses, remembering where they start
  Lexer body = C.L, clauses, els, fin;
  TRY(skip_block(C));
  bool has_except = C.L.tok.t == TK_EXCEPT, has_else = false;
  clauses = C.L;
  while (C.L.tok.t == TK_EXCEPT) {
    while (C.L.tok.t != TK_COLON && C.L.tok.t != TK_NEWLINE && C.L.tok.t != TK_EOF) TRY(next(C));
    TRY(skip_block(C));
  }
  if (C.L.tok.t == TK_ELSE) {
    if (!has_except) return c_error(C, MSG("invalid syntax"));
    TRY(next(C));
    els = C.L;
    has_else = true;
    TRY(skip_block(C));
  }
  Lexer after = C.L;  // at 'finally' or past the statement
  bool has_finally = C.L.tok.t == TK_FINALLY;
  if (has_finally) { TRY(next(C)); fin = C.L; }
  if (!has_except && !has_finally) return c_error(C, MSG("expected 'except' or 'finally' block"));
  C.L = body;

  int setup_fin = -1;
  if (has_finally) {
    setup_fin = emit(C, OP_SETUP_TRY);
    TRY(push_try(C, true, &fin));
  }
  if (has_except) {
    int setup = emit(C, OP_SETUP_TRY);
    TRY(push_try(C, false, nullptr));
    TRY(block(C));
    fs->ntries--;
    emit(C, OP_POP_TRY);
    // the else clause comes after the handlers in the source but runs here
    if (has_else) { C.L = els; TRY(block(C)); }
    C.L = after;  // (the jump's line)
    int ends[32];
    int ne = 0;
    ends[ne++] = emit(C, OP_JUMP);
    C.L = clauses;
    patch(C, setup, here(C));
    int hx = alloc_reg(C);
    fs->depth++;
    emit(C, OP_STORE_FAST, hx);
    int saved_exc = cur_exc_reg(C);
    cur_exc_reg(C) = hx;
    bool bare = false;
    while (C.L.tok.t == TK_EXCEPT) {
      if (bare) return c_error(C, MSG("default 'except:' must be last"));
      TRY(next(C));
      int jn = -1;
      if (C.L.tok.t != TK_COLON) {
        emit(C, OP_LOAD_FAST, hx);
        TRY(expr(C));
        emit(C, OP_EXC_MATCH);
        jn = emit(C, OP_POP_JUMP_IF_FALSE);
        Str* nm = nullptr;
        TRY(opt_as(C, &nm));
        if (nm) {
          emit(C, OP_LOAD_FAST, hx);
          TRY(emit_store_name(C, nm));
        }
      } else {
        bare = true;
      }
      TRY(block(C));
      if (ne >= 32) return c_error(C, MSG("too many except clauses"));
      ends[ne++] = emit(C, OP_JUMP);
      if (jn >= 0) patch(C, jn, here(C));
    }
    cur_exc_reg(C) = saved_exc;
    if (!bare) {
      emit(C, OP_LOAD_FAST, hx);
      emit(C, OP_RERAISE);
    }
    for (int i = 0; i < ne; i++) patch(C, ends[i], here(C));
    C.L = after;
  } else {
    TRY(block(C));
  }
  if (has_finally) {
    fs->ntries--;
    // normal exit: run the finally body inline
    emit(C, OP_POP_TRY);
    C.L = fin;
    TRY(block(C));
    C.L = after;  // the jump and the handler's entry are on the 'finally' line
    int jend = emit(C, OP_JUMP);
    patch(C, setup_fin, here(C));
    int hx = alloc_reg(C);
    fs->depth++;
    emit(C, OP_STORE_FAST, hx);
    C.L = fin;
    TRY(block(C));
    emit(C, OP_LOAD_FAST, hx);
    emit(C, OP_RERAISE);
    patch(C, jend, here(C));
  }
  return !C.failed;
}

// funcdef: 'def' NAME '(' [parameters] ')' ['->' test] ':' suite
bool def_statement(Compiler& C) {
  FuncState* fs = C.fs;
  Str* nm = take_name(C, true);
  if (!nm) return false;
  TRY(check(C, TK_LPAREN, MSG("expected '('")));
  ParamInfo pi;
  TRY(parse_params(C, pi, TK_RPAREN));
  TRY(next(C));
  if (C.L.tok.t == TK_ARROW) {
    while (C.L.tok.t != TK_COLON && C.L.tok.t != TK_NEWLINE && C.L.tok.t != TK_EOF) TRY(next(C));
  }
  if (!fs->is_module && fs->class_reg < 0) {
    int idx;
    resolve(C, nm, true, &idx);  // declare first so the body can refer to itself
  }
  int def_line = C.L.tok.line;
  TRY(build_function(C, nm, pi, false, fs->class_reg >= 0));
  C.line_override = def_line;  // MAKE_FUNC and the store belong to the 'def' line
  bool ok = emit_store_name(C, nm);
  C.line_override = 0;
  return ok;
}

// classdef: 'class' NAME ['(' [test] ')'] ':' suite
bool class_statement(Compiler& C) {
  FuncState* fs = C.fs;
  Str* nm = take_name(C, true);
  if (!nm) return false;
  bool based = false;
  if (C.L.tok.t == TK_LPAREN) {
    TRY(next(C));
    if (C.L.tok.t != TK_RPAREN) {
      TRY(expr(C));
      based = true;
      if (C.L.tok.t == TK_COMMA) return c_error(C, MSG("multiple inheritance is not supported"));
    }
    TRY(check(C, TK_RPAREN, MSG("expected ')'")));
  }
  if (!based) emit(C, OP_LOAD_NONE);
  emit(C, OP_MAKE_CLASS, add_name(C, nm));
  int cr = alloc_reg(C);
  emit(C, OP_STORE_FAST, cr);
  int saved = fs->class_reg;
  int saved_active = fs->nactive;
  fs->class_reg = cr;
  int saved_nloops = fs->nloops;
  fs->nloops = 0;  // break/continue cannot leave a class body
  TRY(block(C));
  fs->nloops = saved_nloops;
  fs->class_reg = saved;
  fs->nactive = saved_active;
  emit(C, OP_LOAD_FAST, cr);
  return emit_store_name(C, nm);
}
}  // namespace

// suite: simple_stmt | NEWLINE INDENT stmt+ DEDENT
bool block(Compiler& C) {
  TRY(check(C, TK_COLON, MSG("expected ':'")));
  if (C.L.tok.t != TK_NEWLINE) return simple_line(C);
  TRY(next(C));
  if (C.L.tok.t != TK_INDENT) return c_error(C, MSG("expected an indented block"));
  TRY(next(C));
  while (C.L.tok.t != TK_DEDENT && C.L.tok.t != TK_EOF) {
    if (C.L.tok.t == TK_INDENT) return c_error(C, MSG("unexpected indent"));
    TRY(statement(C));
  }
  if (C.L.tok.t == TK_DEDENT) TRY(next(C));
  return true;
}

bool statement(Compiler& C) {
  switch (C.L.tok.t) {
    case TK_IF: return if_statement(C);
    case TK_WHILE: return while_statement(C);
    case TK_FOR: return for_statement(C);
    case TK_TRY: return try_statement(C);
    case TK_DEF: return def_statement(C);
    case TK_CLASS: return class_statement(C);
    case TK_AT: return c_error(C, MSG("decorators are not supported"));
    case TK_INDENT: return c_error(C, MSG("unexpected indent"));
    case TK_ELSE: case TK_ELIF: case TK_EXCEPT: case TK_FINALLY: return c_error(C, MSG("invalid syntax"));
    default: return simple_line(C);
  }
}

}  // namespace hilsim::vm
