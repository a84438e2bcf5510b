// Function definitions shared by `def` and `lambda`: parameter lists (defaults are
// evaluated in the enclosing function), the scan that decides a function's locals from
// every binding in its body (Python's scoping rule), and building the child Proto plus
// the MAKE_FUNC that creates the closure at run time.
#include "vm/compiler.h"

namespace hilsim::vm {

#define TRY(x) do { if (!(x)) return false; } while (0)

// parameters: [NAME ['=' test] (',' ...)* [',' '*' NAME] [',' '**' NAME]]
bool parse_params(Compiler& C, ParamInfo& pi, Tok end) {
  pi.n = pi.ndefaults = 0;
  pi.varargs = pi.kwargs = nullptr;
  bool ok;
  while (C.L.tok.t != end) {
    if (pi.kwargs) return c_error(C, MSG("arguments cannot follow var-keyword argument"));
    if (C.L.tok.t == TK_STAR) {
      TRY(next(C));
      if (C.L.tok.t != TK_NAME) return c_error(C, MSG("keyword-only parameters are not supported"));
      if (pi.varargs) return c_error(C, MSG("* argument may appear only once"));
      pi.varargs = C.L.tok.s;
      TRY(next(C));
    } else if (C.L.tok.t == TK_DSTAR) {
      TRY(next(C));
      if (C.L.tok.t != TK_NAME) return c_error(C, MSG("expected parameter name"));
      pi.kwargs = C.L.tok.s;
      TRY(next(C));
    } else {
      if (C.L.tok.t != TK_NAME) return c_error(C, MSG("invalid syntax"));
      if (pi.varargs) return c_error(C, MSG("keyword-only parameters are not supported"));
      if (pi.n >= 60) return c_error(C, MSG("too many parameters"));
      Str* nm = C.L.tok.s;
      for (int i = 0; i < pi.n; i++)
        if (pi.names[i] == nm) return c_error(C, MSG("duplicate argument in function definition"));
      pi.names[pi.n++] = nm;
      TRY(next(C));
      if (accept(C, TK_ASSIGN, &ok)) {
        TRY(ok);
        TRY(expr(C));
        pi.ndefaults++;
      } else {
        TRY(ok);
        if (pi.ndefaults) return c_error(C, MSG("non-default argument follows default argument"));
      }
    }
    if (C.L.tok.t == end) break;
    TRY(check(C, TK_COMMA, MSG("invalid syntax")));
  }
  if (pi.ndefaults) emit_n(C, OP_BUILD_TUPLE, pi.ndefaults, 1 - pi.ndefaults);
  return !C.failed;
}

namespace {
bool is_aug(Tok t) { return t >= TK_PLUSEQ && t <= TK_CARETEQ; }

void declare_local(Compiler& C, Str* name) {
  FuncState* fs = C.fs;
  for (int i = 0; i < fs->nactive; i++) if (fs->locals[i].name == name) return;
  for (int i = 0; i < fs->nglobals_decl; i++) if (fs->globals_decl[i] == name) return;
  for (int i = 0; i < fs->nnonlocal_decl; i++) if (fs->nonlocal_decl[i] == name) return;
  add_local(C, name);  // resolve() reports an overflow later
}
}  // namespace

// Python decides a function's locals from every binding in its body, wherever it is.
// Before compiling a def body, scan its tokens (not nested def/class bodies) for
// binding sites: assignment targets, for targets, def/class names, import and
// except-as names; global/nonlocal declarations are collected first. This gives
// UnboundLocalError for reads before assignment and lets closures see locals that are
// assigned after the inner function is defined.
bool prescan_locals(Compiler& C) {
  Lexer saved = C.L;
  Str* names[128];
  int nnames = 0;
  Str* cand[32];
  int ncand = 0;
  bool valid = true;
  Tok prev = TK_NEWLINE;
  int depth = 0, level = 0, skip_until = -1;
  bool in_for = false, want_name = false, in_header_skip = false;
  auto add = [&](Str* s) { if (nnames < 128) names[nnames++] = s; };
  auto flush = [&] { for (int i = 0; i < ncand; i++) add(cand[i]); };
  // the body starts at ':'
  if (C.L.tok.t != TK_COLON) return true;
  TRY(next(C));
  bool one_line = C.L.tok.t != TK_NEWLINE;
  for (;;) {
    Tok t = C.L.tok.t;
    if (t == TK_EOF || t == TK_ERROR) break;
    if (t == TK_INDENT) level++;
    if (t == TK_DEDENT) {
      level--;
      if (level <= 0) break;  // end of the function body
      if (skip_until >= 0 && level <= skip_until) skip_until = -1;
    }
    if (one_line && t == TK_NEWLINE) break;
    if (skip_until >= 0 || in_header_skip) {
      // inside a nested def/class: its header until ':' at depth 0, then its body
      depth += bracket(t);
      if (in_header_skip && t == TK_COLON && depth == 0) {
        in_header_skip = false;
        TRY(next(C));
        if (C.L.tok.t == TK_NEWLINE) skip_until = level;
        else {
          while (C.L.tok.t != TK_NEWLINE && C.L.tok.t != TK_EOF) TRY(next(C));
        }
        prev = TK_NEWLINE;
        ncand = 0;
        valid = true;
        continue;
      }
      TRY(next(C));
      continue;
    }
    bool boundary = t == TK_NEWLINE || t == TK_SEMI || t == TK_INDENT || t == TK_DEDENT ||
                    (t == TK_COLON && depth == 0);
    if (boundary) {
      ncand = 0;
      valid = true;
      in_for = false;
      want_name = false;
      prev = TK_NEWLINE;
      TRY(next(C));
      continue;
    }
    if (want_name) {  // after def/class/as/import/from..import
      if (t == TK_NAME) add(C.L.tok.s);
      want_name = t == TK_COMMA || t == TK_IMPORT || t == TK_LPAREN;
      if (t == TK_NAME) want_name = false;
    }
    if (t == TK_DEF || t == TK_CLASS) {
      TRY(next(C));
      if (C.L.tok.t == TK_NAME) add(C.L.tok.s);
      in_header_skip = true;
      depth = 0;
      continue;
    }
    if (t == TK_GLOBAL || t == TK_NONLOCAL) {
      FuncState* fs = C.fs;
      TRY(next(C));
      while (C.L.tok.t == TK_NAME || C.L.tok.t == TK_COMMA) {
        if (C.L.tok.t == TK_NAME) {
          if (t == TK_GLOBAL && fs->nglobals_decl < 32) fs->globals_decl[fs->nglobals_decl++] = C.L.tok.s;
          if (t != TK_GLOBAL && fs->nnonlocal_decl < 16) fs->nonlocal_decl[fs->nnonlocal_decl++] = C.L.tok.s;
        }
        TRY(next(C));
      }
      continue;
    }
    // a target item can start here (after these tokens)
    bool item_start = prev == TK_NEWLINE || prev == TK_COMMA || prev == TK_LPAREN || prev == TK_LBRACK;
    int br = bracket(t);
    if (t == TK_FOR) {
      if (depth == 0) { in_for = true; valid = false; }
    } else if (t == TK_IN) {
      in_for = false;
    } else if (t == TK_AS) {
      want_name = true;
    } else if (t == TK_IMPORT) {
      if (depth == 0) want_name = true;
    } else if (t == TK_NAME) {
      if (in_for) add(C.L.tok.s);
      else if (item_start || prev == TK_STAR) { if (ncand < 32) cand[ncand++] = C.L.tok.s; }
      else valid = false;
    } else if (br) {
      depth += br;
      if (t == TK_LBRACE || (br > 0 && !item_start)) valid = false;
    } else if (t == TK_ASSIGN && depth == 0) {
      if (valid) flush();
      ncand = 0;
      valid = true;
      t = TK_NEWLINE;  // the next target list starts here
    } else if (t != TK_COMMA && t != TK_STAR) {
      if (is_aug(t) && depth == 0 && valid) flush();
      valid = false;
    }
    prev = t;
    TRY(next(C));
  }
  C.L = saved;
  for (int i = 0; i < nnames; i++) declare_local(C, names[i]);
  return !C.failed;
}

// Compiles the function body at the cursor (lambda: an expression; def: a block) and
// emits MAKE_FUNC in the enclosing function.
bool build_function(Compiler& C, Str* name, ParamInfo& pi, bool is_lambda, bool is_method) {
  int def_line = C.L.tok.line;
  FuncState fs;
  TRY(fs_open(C, &fs, name));
  Proto* p = fs.p;
  int total = pi.n + (pi.varargs ? 1 : 0) + (pi.kwargs ? 1 : 0);
  p->params = static_cast<Str**>(heap_alloc(C.vm->heap, (total ? total : 1) * sizeof(Str*)));
  if (!p->params) return c_oom(C);
  int k = 0;
  for (int i = 0; i < pi.n; i++) p->params[k++] = pi.names[i];
  if (pi.varargs) { p->params[k++] = pi.varargs; p->pflags |= kProtoVarargs; }
  if (pi.kwargs) { p->params[k++] = pi.kwargs; p->pflags |= kProtoKwargs; }
  p->nparams = static_cast<uint16_t>(pi.n);
  p->ndefaults = static_cast<uint16_t>(pi.ndefaults);
  for (int i = 0; i < total; i++) {
    fs.locals[i].name = p->params[i];
    fs.locals[i].reg = static_cast<uint16_t>(i);
  }
  fs.nactive = total;
  fs.nregs = static_cast<uint16_t>(total);
  (void)is_method;
  if (!is_lambda) TRY(prescan_locals(C));
  if (is_lambda) {
    TRY(expr(C));
    emit(C, OP_RETURN);
  } else {
    TRY(block(C));
    emit(C, OP_LOAD_NONE);
    emit(C, OP_RETURN);
  }
  Proto* out;
  TRY(fs_close(C, &out));
  C.line_override = def_line;
  emit_n(C, OP_MAKE_FUNC, C.fs->p->nprotos - 1, pi.ndefaults ? 0 : 1);
  C.line_override = 0;
  return !C.failed;
}

}  // namespace hilsim::vm
