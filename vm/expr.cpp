// Expressions: precedence climbing over Python's expression grammar, calls with
// keyword/star arguments, subscripts and slices, displays, comprehensions (compiled
// eagerly; a generator expression becomes a list), lambdas, f-strings, and assignment
// targets. Grammar rules are quoted above the functions that implement them.
// Function definitions (parameters, locals scan, closures) live in func.cpp.
#include "vm/compiler.h"

namespace hilsim::vm {

#define TRY(x) do { if (!(x)) return false; } while (0)

namespace {

bool is_trailer(Tok t) { return t == TK_DOT || t == TK_LBRACK || t == TK_LPAREN; }

void truncate(Compiler& C, uint32_t pc, int depth) {
  Proto* p = C.fs->p;
  p->ncode = pc;
  while (p->nlines && p->lines[p->nlines - 1].pc >= pc) p->nlines--;
  C.fs->depth = depth;
}

bool load_int(Compiler& C, int64_t v) {
  if (v >= -0x7fffff && v <= 0x7fffff) emit(C, OP_LOAD_INT, static_cast<uint32_t>(v + kIntBias));
  else emit_const(C, mk_int(v));
  return !C.failed;
}

// skip to 'in' at depth 0 (for-clause targets)
bool skip_to_in(Compiler& C) {
  int depth = 0;
  for (;;) {
    Tok t = C.L.tok.t;
    if (t == TK_EOF || t == TK_NEWLINE) return c_error(C, MSG("expected 'in'"));
    if (t == TK_IN && depth == 0) return true;
    if ((depth += bracket(t)) < 0) return c_error(C, MSG("invalid syntax"));
    TRY(next(C));
  }
}

bool atom_expr(Compiler& C);
bool factor(Compiler& C);

// comp_target: NAME | target-list; comprehension variables are fresh locals
bool comp_target(Compiler& C) {
  if (C.L.tok.t == TK_NAME) {
    Lexer s = C.L;
    Str* name = C.L.tok.s;
    TRY(next(C));
    if (C.L.tok.t == TK_IN) {
      int r = add_local(C, name);
      if (r < 0) return c_error(C, MSG("too many local variables"));
      emit(C, OP_STORE_FAST, r);
      return !C.failed;
    }
    C.L = s;
  }
  // tuple of plain names: declare them first, then do a normal target store
  Lexer s = C.L;
  while (C.L.tok.t != TK_IN && C.L.tok.t != TK_EOF && C.L.tok.t != TK_NEWLINE) {
    if (C.L.tok.t == TK_NAME) add_local(C, C.L.tok.s);
    TRY(next(C));
  }
  C.L = s;
  return target_list(C);
}

// comprehension: elt comp_for (comp_for | comp_if)*; list/dict on the stack first
bool comprehension(Compiler& C, bool is_dict, const Lexer& elt) {
  FuncState* fs = C.fs;
  emit_n(C, is_dict ? OP_BUILD_DICT : OP_BUILD_LIST, 0, 1);
  int nactive0 = fs->nactive;
  uint32_t tops[8];
  int fors[8];
  int n = 0;
  while (C.L.tok.t == TK_FOR) {
    if (n >= 8) return c_error(C, MSG("too many nested comprehension loops"));
    TRY(next(C));
    Lexer tgt = C.L;
    TRY(skip_to_in(C));
    TRY(next(C));
    TRY(or_test(C));
    emit(C, OP_GET_ITER);
    tops[n] = here(C);
    fors[n] = emit(C, OP_FOR_ITER);
    Lexer after = C.L;
    C.L = tgt;
    TRY(comp_target(C));
    C.L = after;
    n++;
    while (C.L.tok.t == TK_IF) {
      TRY(next(C));
      TRY(or_test(C));
      emit(C, OP_POP_JUMP_IF_FALSE, tops[n - 1]);
    }
  }
  Lexer end = C.L;
  C.L = elt;
  if (is_dict) {
    TRY(expr(C));
    TRY(check(C, TK_COLON, MSG("expected ':'")));
    TRY(expr(C));
    emit(C, OP_DICT_SET, n + 1);
  } else {
    TRY(expr(C));
    emit(C, OP_LIST_APPEND, n + 1);
  }
  for (int i = n - 1; i >= 0; i--) {
    emit(C, OP_JUMP, tops[i]);
    patch(C, fors[i], here(C));
    fs->depth--;  // FOR_ITER popped the iterator on exit
  }
  fs->nactive = nactive0;
  C.L = end;
  return !C.failed;
}

// Scan ahead: is the element at the cursor followed by 'for' (a comprehension)?
bool is_comprehension(Compiler& C, bool* yes) {
  Lexer s = C.L;
  TRY(skip_expr_tokens(C, true, false, yes));
  if (!*yes && C.L.tok.t == TK_COLON) {  // dict: key ':' value 'for'
    TRY(next(C));
    TRY(skip_expr_tokens(C, true, false, yes));
  }
  C.L = s;
  return true;
}

// After an opening bracket: compiles the comprehension that follows (a generator becomes
// a list); *yes = false, and nothing is emitted, when the bracket holds plain items.
bool maybe_comprehension(Compiler& C, bool dict, bool* yes) {
  TRY(is_comprehension(C, yes));
  if (!*yes) return true;
  Lexer elt = C.L;
  bool hit;
  TRY(skip_expr_tokens(C, true, false, &hit));
  if (dict && C.L.tok.t == TK_COLON) {
    TRY(next(C));
    TRY(skip_expr_tokens(C, true, false, &hit));
  }
  return comprehension(C, dict, elt);
}

// ---- f-strings ----
bool decode_into(Compiler& C, const char* s, size_t n, bool raw) {
  VM* vm = C.vm;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if ((c == '{' || c == '}') && i + 1 < n && s[i + 1] == c) { i++; TRY(sb_addc(vm, c)); continue; }
    if (c == '\\' && !raw && i + 1 < n) {
      char e = s[++i];
      switch (e) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case '0': c = '\0'; break;
        case '\\': case '\'': case '"': c = e; break;
        case '\n': continue;
        default: TRY(sb_addc(vm, '\\')); c = e; break;
      }
    }
    TRY(sb_addc(vm, c));
  }
  return true;
}

bool push_literal(Compiler& C, const char* s, size_t n, bool raw, int* parts) {
  size_t mark = C.vm->scratch.len;
  if (!decode_into(C, s, n, raw)) return c_oom(C);
  if (C.vm->scratch.len == mark) return true;
  Str* str = sb_take(C.vm, mark);
  if (!str) return c_oom(C);
  emit_obj_const(C, str);
  (*parts)++;
  return !C.failed;
}

bool fstring(Compiler& C, const char* s, size_t n, bool raw, int* parts) {
  size_t lit = 0, i = 0;
  int line = C.L.tok.line;
  while (i < n) {
    if (s[i] == '{' && i + 1 < n && s[i + 1] == '{') { i += 2; continue; }
    if (s[i] == '}' && i + 1 < n && s[i + 1] == '}') { i += 2; continue; }
    if (s[i] == '}') return c_error(C, MSG("f-string: single '}' is not allowed"));
    if (s[i] != '{') { i++; continue; }
    TRY(push_literal(C, s + lit, i - lit, raw, parts));
    size_t st = ++i;
    int depth = 0;
    char quote = 0;
    while (i < n) {
      char c = s[i];
      if (quote) { if (c == quote) quote = 0; }
      else if (c == '\'' || c == '"') quote = c;
      else if (c == '(' || c == '[' || c == '{') depth++;
      else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
      else if (depth == 0 && (c == '}' || c == ':' || (c == '!' && i + 1 < n && s[i + 1] != '='))) break;
      i++;
    }
    if (i >= n) return c_error(C, MSG("f-string: expecting '}'"));
    size_t en = i;
    int conv = 0;
    if (s[i] == '!') {
      if (i + 1 < n && s[i + 1] == 'r') conv = 1;
      else if (i + 1 < n && (s[i + 1] == 's' || s[i + 1] == 'a')) conv = s[i + 1] == 'a' ? 1 : 0;
      else return c_error(C, MSG("f-string: invalid conversion character"));
      i += 2;
    }
    size_t spec_st = 0, spec_en = 0;
    bool has_spec = false;
    if (i < n && s[i] == ':') {
      has_spec = true;
      spec_st = ++i;
      while (i < n && s[i] != '}') i++;
      spec_en = i;
    }
    if (i >= n || s[i] != '}') return c_error(C, MSG("f-string: expecting '}'"));
    i++;
    lit = i;
    // compile the expression with a sub-lexer over the source text
    Lexer saved = C.L;
    lex_init(C.L, C.vm, s + st, en - st, line);
    C.L.depth = 1;  // implicit parentheses: newlines allowed
    bool ok = next(C) && expr(C);
    if (ok && C.L.tok.t != TK_EOF && C.L.tok.t != TK_NEWLINE) ok = c_error(C, MSG("f-string: invalid syntax"));
    C.L = saved;
    TRY(ok);
    if (has_spec) {
      size_t mark = C.vm->scratch.len;
      if (!sb_add(C.vm, s + spec_st, spec_en - spec_st)) return c_oom(C);
      Str* spec = sb_take(C.vm, mark);
      if (!spec) return c_oom(C);
      emit_obj_const(C, spec);
      emit_n(C, OP_FORMAT, conv | 4, -1);
    } else {
      emit_n(C, OP_FORMAT, conv, 0);
    }
    (*parts)++;
  }
  return push_literal(C, s + lit, n - lit, raw, parts);
}

// strings: (STRING | FSTRING)+ (adjacent literals concatenate)
bool strings(Compiler& C) {
  int parts = 0;
  bool any_f = false;
  Lexer s = C.L;
  while (C.L.tok.t == TK_STR || C.L.tok.t == TK_FSTR) {
    if (C.L.tok.t == TK_FSTR) any_f = true;
    TRY(next(C));
  }
  C.L = s;
  if (!any_f) {
    size_t mark = C.vm->scratch.len;
    while (C.L.tok.t == TK_STR) {
      Str* p = C.L.tok.s;
      if (!sb_add(C.vm, p->data, p->len)) return c_oom(C);
      TRY(next(C));
    }
    Str* r = sb_take(C.vm, mark);
    if (!r) return c_oom(C);
    emit_obj_const(C, r);
    return !C.failed;
  }
  while (C.L.tok.t == TK_STR || C.L.tok.t == TK_FSTR) {
    if (C.L.tok.t == TK_STR) {
      if (C.L.tok.s->len) { emit_obj_const(C, C.L.tok.s); parts++; }
    } else {
      TRY(fstring(C, C.L.tok.raw, C.L.tok.rawlen, C.L.tok.rawflag, &parts));
    }
    TRY(next(C));
  }
  if (parts == 0) {
    Str* e = str_intern(C.vm, "", 0);
    if (!e) return c_oom(C);
    emit_obj_const(C, e);
  } else if (parts > 1) {
    emit_n(C, OP_BUILD_STRING, parts, 1 - parts);
  }
  return !C.failed;
}

}  // namespace

namespace {
// lambdef: 'lambda' [params] ':' test
bool lambda(Compiler& C) {
  TRY(next(C));
  ParamInfo pi;
  TRY(parse_params(C, pi, TK_COLON));
  TRY(next(C));
  Str* nm = str_intern(C.vm, "<lambda>", 8);
  if (!nm) return c_oom(C);
  return build_function(C, nm, pi, true, false);
}

}  // namespace

// subscript: test | [test] ':' [test] [':' [test]] | test (',' test)+
bool subscript(Compiler& C) {
  bool slice = false;
  if (C.L.tok.t == TK_COLON) { emit(C, OP_LOAD_NONE); slice = true; }
  else {
    bool tup;
    TRY(expr_list(C, &tup));
    if (C.L.tok.t == TK_COLON) slice = true;
  }
  if (!slice) return true;
  TRY(next(C));
  if (C.L.tok.t == TK_COLON || C.L.tok.t == TK_RBRACK) emit(C, OP_LOAD_NONE);
  else TRY(expr(C));
  if (C.L.tok.t == TK_COLON) {
    TRY(next(C));
    if (C.L.tok.t == TK_RBRACK) emit(C, OP_LOAD_NONE);
    else TRY(expr(C));
  } else {
    emit(C, OP_LOAD_NONE);
  }
  emit(C, OP_BUILD_SLICE);
  return !C.failed;
}

namespace {

// arglist: argument (',' argument)* [',']
// argument: test [comp_for] | NAME '=' test | '*' test | '**' test
// method: the callee was pushed by LOAD_METHOD (two slots).
bool call(Compiler& C, bool method) {
  TRY(next(C));  // '('
  // scan for star arguments
  bool star = false;
  {
    Lexer s = C.L;
    int depth = 0;
    Tok prev = TK_LPAREN;
    while (C.L.tok.t != TK_EOF) {
      Tok t = C.L.tok.t;
      if (depth == 0 && t == TK_RPAREN) break;
      if (depth == 0 && (t == TK_STAR || t == TK_DSTAR) && (prev == TK_LPAREN || prev == TK_COMMA)) star = true;
      depth += bracket(t);
      prev = t;
      TRY(next(C));
    }
    C.L = s;
  }
  int npos = 0, nkw = 0;
  Str* kwnames[32];
  bool in_kw = false;
  if (star) {
    emit_n(C, OP_BUILD_LIST, 0, 1);
  }
  while (C.L.tok.t != TK_RPAREN) {
    if (C.L.tok.t == TK_STAR) {
      TRY(next(C));
      if (in_kw) return c_error(C, MSG("iterable argument unpacking follows keyword argument unpacking"));
      TRY(expr(C));
      emit(C, OP_IADD);
    } else if (C.L.tok.t == TK_DSTAR) {
      TRY(next(C));
      if (!in_kw) { emit_n(C, OP_BUILD_DICT, 0, 1); in_kw = true; }
      TRY(expr(C));
      emit(C, OP_IADD);
    } else {
      bool kw = false;
      if (C.L.tok.t == TK_NAME) {
        Lexer s = C.L;
        TRY(next(C));
        kw = C.L.tok.t == TK_ASSIGN;
        C.L = s;
      }
      if (kw) {
        Str* nm = C.L.tok.s;
        TRY(next(C));
        TRY(next(C));
        if (star) {
          if (!in_kw) { emit_n(C, OP_BUILD_DICT, 0, 1); in_kw = true; }
          emit(C, OP_LOAD_CONST, add_name(C, nm));
          TRY(expr(C));
          emit(C, OP_DICT_SET, 1);
        } else {
          if (nkw >= 32) return c_error(C, MSG("too many keyword arguments"));
          for (int i = 0; i < nkw; i++) if (kwnames[i] == nm) return c_error(C, MSG("keyword argument repeated"));
          kwnames[nkw++] = nm;
          TRY(expr(C));
        }
      } else {
        if (nkw || in_kw) return c_error(C, MSG("positional argument follows keyword argument"));
        bool comp;
        TRY(maybe_comprehension(C, false, &comp));
        if (!comp) TRY(expr(C));
        if (star) emit(C, OP_LIST_APPEND, 1);
        else npos++;
      }
    }
    if (C.L.tok.t == TK_RPAREN) break;
    TRY(check(C, TK_COMMA, MSG("invalid syntax")));
  }
  TRY(next(C));
  if (npos > 255) return c_error(C, MSG("too many arguments"));
  if (star) {
    emit_n(C, OP_CALL_EX, (in_kw ? 1 : 0) | (method ? 2 : 0), in_kw ? -2 - method : -1 - method);
  } else if (nkw) {
    Tuple* names = tuple_new(C.vm, nkw);
    if (!names) return c_oom(C);
    for (int i = 0; i < nkw; i++) names->items[i] = mk_obj(kwnames[i]);
    emit_obj_const(C, names);
    emit_n(C, OP_CALL_KW, npos | (nkw << 8) | (method ? 0x10000 : 0), -(npos + nkw + 1 + method));
  } else if (method) {
    emit_n(C, OP_CALL_METHOD, npos, -(npos + 1));
  } else {
    emit_n(C, OP_CALL, npos, -npos);
  }
  return !C.failed;
}

// atom: '(' [testlist_comp] ')' | '[' [testlist_comp] ']' | '{' [dictmaker] '}' |
//       NAME | NUMBER | STRING+ | 'None' | 'True' | 'False'
bool atom(Compiler& C) {
  Token& t = C.L.tok;
  switch (t.t) {
    case TK_NAME: {
      Str* nm = t.s;
      TRY(next(C));
      if (nm->len == 5 && __builtin_memcmp(nm->data, "super", 5) == 0 && C.L.tok.t == TK_LPAREN) {
        Lexer s = C.L;
        TRY(next(C));
        if (C.L.tok.t == TK_RPAREN && !C.fs->is_module) {
          TRY(next(C));
          emit(C, OP_SUPER);
          return !C.failed;
        }
        C.L = s;
      }
      return emit_load_name(C, nm);
    }
    case TK_INT: { int64_t v = t.i; TRY(next(C)); return load_int(C, v); }
    case TK_FLOAT: { double v = t.f; TRY(next(C)); emit_const(C, mk_float(v)); return !C.failed; }
    case TK_STR: case TK_FSTR: return strings(C);
    case TK_BYTES: { Str* b = t.s; TRY(next(C)); emit_obj_const(C, b); return !C.failed; }
    case TK_NONE: emit(C, OP_LOAD_NONE); return next(C);
    case TK_TRUE: emit(C, OP_LOAD_TRUE); return next(C);
    case TK_FALSE: emit(C, OP_LOAD_FALSE); return next(C);
    case TK_LPAREN: {
      TRY(next(C));
      if (C.L.tok.t == TK_RPAREN) { emit_n(C, OP_BUILD_TUPLE, 0, 1); return next(C); }
      bool comp, tup;
      TRY(maybe_comprehension(C, false, &comp));
      if (!comp) TRY(expr_list(C, &tup));
      return check(C, TK_RPAREN, MSG("'(' was never closed"));
    }
    case TK_LBRACK: {
      TRY(next(C));
      bool comp = false;
      if (C.L.tok.t != TK_RBRACK) TRY(maybe_comprehension(C, false, &comp));
      if (comp) return check(C, TK_RBRACK, MSG("'[' was never closed"));
      int n = 0;
      while (C.L.tok.t != TK_RBRACK) {
        TRY(expr(C));
        n++;
        if (C.L.tok.t == TK_RBRACK) break;
        TRY(check(C, TK_COMMA, MSG("invalid syntax. Perhaps you forgot a comma?")));
      }
      emit_n(C, OP_BUILD_LIST, n, 1 - n);
      return next(C);
    }
    case TK_LBRACE: {
      TRY(next(C));
      bool comp = false;
      if (C.L.tok.t != TK_RBRACE) TRY(maybe_comprehension(C, true, &comp));
      if (comp) return check(C, TK_RBRACE, MSG("'{' was never closed"));
      int n = 0;
      while (C.L.tok.t != TK_RBRACE) {
        TRY(expr(C));
        if (C.L.tok.t != TK_COLON) return c_error(C, MSG("set displays are not supported"));
        TRY(next(C));
        TRY(expr(C));
        n++;
        if (C.L.tok.t == TK_RBRACE) break;
        TRY(check(C, TK_COMMA, MSG("invalid syntax")));
      }
      emit_n(C, OP_BUILD_DICT, n, 1 - 2 * n);
      return next(C);
    }
    case TK_ERROR: return c_error(C, C.L.errmsg);
    default: return c_error(C, MSG("invalid syntax"));
  }
}

// trailer: '(' [arglist] ')' | '[' subscriptlist ']' | '.' NAME
bool atom_expr(Compiler& C) {
  TRY(atom(C));
  return trailer_target(C, 3, OP_NOP);
}

// power: atom_expr ['**' factor]
bool power(Compiler& C) {
  TRY(atom_expr(C));
  if (C.L.tok.t == TK_DSTAR) {
    TRY(next(C));
    TRY(factor(C));
    emit(C, OP_POW);
  }
  return !C.failed;
}

// factor: ('+'|'-'|'~') factor | power
bool factor(Compiler& C) {
  Tok t = C.L.tok.t;
  if (t == TK_MINUS || t == TK_PLUS || t == TK_TILDE) {
    TRY(next(C));
    if (t == TK_MINUS && C.L.tok.t == TK_INT) {
      Lexer s = C.L;
      int64_t v = C.L.tok.i;
      TRY(next(C));
      if (C.L.tok.t != TK_DSTAR && !is_trailer(C.L.tok.t)) return load_int(C, -v);
      C.L = s;
    }
    if (++C.nest > 150) return c_error(C, MSG("too many nested expressions"));
    TRY(factor(C));
    C.nest--;
    emit(C, t == TK_MINUS ? OP_NEG : t == TK_PLUS ? OP_POS : OP_INVERT);
    return !C.failed;
  }
  return power(C);
}

struct BinOp { Tok t; uint8_t prec; Op op; };
const BinOp kBinOps[] = {
  {TK_PIPE, 1, OP_BOR}, {TK_CARET, 2, OP_BXOR}, {TK_AMP, 3, OP_BAND},
  {TK_LSHIFT, 4, OP_LSHIFT}, {TK_RSHIFT, 4, OP_RSHIFT},
  {TK_PLUS, 5, OP_ADD}, {TK_MINUS, 5, OP_SUB},
  {TK_STAR, 6, OP_MUL}, {TK_SLASH, 6, OP_TRUEDIV}, {TK_DSLASH, 6, OP_FLOORDIV}, {TK_PERCENT, 6, OP_MOD},
};
const BinOp* binop_of(Tok t) {
  for (const BinOp& b : kBinOps) if (b.t == t) return &b;
  return nullptr;
}

// expr .. term: precedence climbing over | ^ & << >> + - * / // %
bool binary(Compiler& C, int min_prec) {
  TRY(factor(C));
  for (;;) {
    const BinOp* b = binop_of(C.L.tok.t);
    if (!b || b->prec < min_prec) return true;
    TRY(next(C));
    if (++C.nest > 150) return c_error(C, MSG("too many nested expressions"));
    TRY(binary(C, b->prec + 1));
    C.nest--;
    emit(C, b->op);
  }
}

bool comp_op(Compiler& C, Op* op) {
  switch (C.L.tok.t) {
    case TK_EQ: *op = OP_EQ; break;
    case TK_NE: *op = OP_NE; break;
    case TK_LT: *op = OP_LT; break;
    case TK_LE: *op = OP_LE; break;
    case TK_GT: *op = OP_GT; break;
    case TK_GE: *op = OP_GE; break;
    case TK_IN: *op = OP_IN; break;
    case TK_IS: {
      TRY(next(C));
      bool ok;
      *op = accept(C, TK_NOT, &ok) ? OP_IS_NOT : OP_IS;
      return ok;
    }
    case TK_NOT: {
      TRY(next(C));
      if (C.L.tok.t != TK_IN) return c_error(C, MSG("invalid syntax"));
      *op = OP_NOT_IN;
      break;
    }
    default: *op = OP_NOP; return true;
  }
  return next(C);
}

// comparison: expr (comp_op expr)*
bool comparison(Compiler& C) {
  TRY(binary(C, 1));
  Op op;
  TRY(comp_op(C, &op));
  if (op == OP_NOP) return true;
  int jumps[16];
  int nj = 0;
  for (;;) {
    TRY(binary(C, 1));
    Op nop;
    Lexer s = C.L;
    TRY(comp_op(C, &nop));
    C.L = s;
    if (nop == OP_NOP || nj >= 16) { emit(C, op); break; }
    emit(C, OP_DUP);
    emit(C, OP_ROT3);
    emit(C, op);
    jumps[nj++] = emit(C, OP_JUMP_IF_FALSE_OR_POP);
    TRY(comp_op(C, &op));
  }
  if (nj) {
    int jend = emit(C, OP_JUMP);
    for (int i = 0; i < nj; i++) patch(C, jumps[i], here(C));
    emit(C, OP_ROT2);
    emit(C, OP_POP);
    patch(C, jend, here(C));
  }
  return !C.failed;
}

// not_test: 'not' not_test | comparison
bool not_test(Compiler& C) {
  if (C.L.tok.t == TK_NOT) {
    TRY(next(C));
    if (++C.nest > 150) return c_error(C, MSG("too many nested expressions"));
    TRY(not_test(C));
    C.nest--;
    emit(C, OP_NOT);
    return !C.failed;
  }
  return comparison(C);
}

// and_test: not_test ('and' not_test)*; or_test: and_test ('or' and_test)*
bool bool_op(Compiler& C, bool is_or) {
  TRY(is_or ? bool_op(C, false) : not_test(C));
  int jumps[64];
  int nj = 0;
  while (C.L.tok.t == (is_or ? TK_OR : TK_AND)) {
    TRY(next(C));
    if (nj >= 64) return c_error(C, MSG("expression too complex"));
    jumps[nj++] = emit(C, is_or ? OP_JUMP_IF_TRUE_OR_POP : OP_JUMP_IF_FALSE_OR_POP);
    TRY(is_or ? bool_op(C, false) : not_test(C));
  }
  for (int i = 0; i < nj; i++) patch(C, jumps[i], here(C));
  return !C.failed;
}
}  // namespace

bool or_test(Compiler& C) { return bool_op(C, true); }

// test: or_test ['if' or_test 'else' test] | lambdef
// The true branch is compiled after the condition by rewinding the lexer.
bool expr(Compiler& C) {
  if (C.L.tok.t == TK_LAMBDA) return lambda(C);
  if (++C.nest > 100) return c_error(C, MSG("too many nested expressions"));
  Lexer s0 = C.L;
  uint32_t pc0 = here(C);
  int depth0 = C.fs->depth;
  TRY(or_test(C));
  if (C.L.tok.t == TK_IF) {
    truncate(C, pc0, depth0);
    TRY(next(C));
    TRY(or_test(C));
    int jf = emit(C, OP_POP_JUMP_IF_FALSE);
    if (C.L.tok.t != TK_ELSE) return c_error(C, MSG("expected 'else' after 'if' expression"));
    Lexer s2 = C.L;
    C.L = s0;
    TRY(or_test(C));
    int jend = emit(C, OP_JUMP);
    patch(C, jf, here(C));
    C.L = s2;
    TRY(next(C));
    C.fs->depth--;
    TRY(expr(C));
    patch(C, jend, here(C));
  }
  C.nest--;
  return !C.failed;
}

// testlist: test (',' test)* [','] -> a tuple when there is a comma
bool expr_list(Compiler& C, bool* is_tuple) {
  TRY(expr(C));
  *is_tuple = false;
  int n = 1;
  while (C.L.tok.t == TK_COMMA) {
    *is_tuple = true;
    TRY(next(C));
    Tok t = C.L.tok.t;
    if (t == TK_NEWLINE || t == TK_RPAREN || t == TK_ASSIGN || t == TK_SEMI || t == TK_EOF ||
        t == TK_COLON || t == TK_RBRACK || t == TK_IN)
      break;
    TRY(expr(C));
    n++;
  }
  if (*is_tuple) emit_n(C, OP_BUILD_TUPLE, n, 1 - n);
  return !C.failed;
}

// The trailers after an already loaded primary: all loaded (mode 3, an expression), or the
// last one stored into (mode 0), augmented ("target op= <expr at the cursor after the
// operator>", mode 1) or deleted (2).
bool trailer_target(Compiler& C, int mode, Op aug_op) {
  bool del = mode == 2, load = mode == 3;
  for (;;) {
    Tok u = C.L.tok.t;
    int k = 0;
    if (load && !is_trailer(u)) return !C.failed;
    if (u == TK_DOT) {
      Str* nm = take_name(C, true);
      if (!nm) return false;
      k = add_name(C, nm);
    } else if (u == TK_LBRACK) {
      TRY(next(C));
      TRY(subscript(C));
      TRY(check(C, TK_RBRACK, del ? MSG("invalid syntax") : MSG("'[' was never closed")));
    } else if (u == TK_LPAREN && !del) {
      TRY(call(C, false));
      if (!load && !is_trailer(C.L.tok.t)) return c_error(C, MSG("cannot assign to function call"));
      continue;
    } else {
      return c_error(C, del ? MSG("cannot delete expression") : MSG("cannot assign to expression"));
    }
    bool attr = u == TK_DOT;
    Tok n = C.L.tok.t;
    if (load || n == TK_DOT || n == TK_LBRACK || (n == TK_LPAREN && !del)) {  // not the last trailer
      if (!attr) emit(C, OP_SUBSCR);
      else if (n == TK_LPAREN) { emit(C, OP_LOAD_METHOD, k); TRY(call(C, true)); }
      else emit(C, OP_LOAD_ATTR, k);
      continue;
    }
    if (mode == 1) {
      emit(C, attr ? OP_DUP : OP_DUP2);
      emit(C, attr ? OP_LOAD_ATTR : OP_SUBSCR, k);
      TRY(next(C));
      TRY(expr(C));
      emit(C, aug_op);
      emit(C, attr ? OP_ROT2 : OP_ROT3);
    }
    if (attr) emit(C, del ? OP_DELETE_ATTR : OP_STORE_ATTR, k);
    else emit(C, del ? OP_DELETE_SUBSCR : OP_STORE_SUBSCR);
    return !C.failed;
  }
}

// ---- assignment targets ------------------------------------------------------------
// target: NAME | atom trailer* ('.' NAME | '[' subscript ']') | '(' targets ')' | '[' targets ']'
// Stores TOS. With aug, compiles "target op= <expr at cursor after the operator>".
bool target(Compiler& C, bool aug, Op aug_op) {
  Tok t = C.L.tok.t;
  if (!aug && (t == TK_LPAREN || t == TK_LBRACK)) {
    Lexer s = C.L;
    Tok close = t == TK_LPAREN ? TK_RPAREN : TK_RBRACK;
    TRY(next(C));
    // a parenthesised target list, unless followed by a trailer: "(a).b = ..."
    Lexer in = C.L;
    int depth = 1;
    while (depth > 0 && C.L.tok.t != TK_EOF && C.L.tok.t != TK_NEWLINE) {
      Tok u = C.L.tok.t;
      depth += bracket(u);
      TRY(next(C));
    }
    bool trailer_follows = is_trailer(C.L.tok.t);
    if (!trailer_follows) {
      C.L = in;
      if (C.L.tok.t == close) return c_error(C, MSG("cannot assign to ()"));
      TRY(target_list(C));
      return check(C, close, MSG("invalid syntax"));
    }
    C.L = s;
  }
  if (t == TK_STAR) return c_error(C, MSG("starred assignment targets are not supported"));
  if (t == TK_NAME) {
    Str* nm = C.L.tok.s;
    TRY(next(C));
    if (!is_trailer(C.L.tok.t)) {
      if (aug) {
        TRY(emit_load_name(C, nm));
        TRY(next(C));  // operator
        TRY(expr(C));  // python: the rhs is a full testlist; a tuple rhs is rare
        emit(C, aug_op);
        return emit_store_name(C, nm);
      }
      return emit_store_name(C, nm);
    }
    TRY(emit_load_name(C, nm));
  } else {
    if (t != TK_LPAREN && t != TK_LBRACK && t != TK_LBRACE && t != TK_STR && t != TK_FSTR)
      return c_error(C, MSG("cannot assign to literal"));
    TRY(atom(C));
  }
  return trailer_target(C, aug ? 1 : 0, aug_op);
}

// targets: target (',' target)* [','] — unpacks TOS when there is a comma
bool target_list(Compiler& C) {
  Lexer s = C.L;
  int n = 0;
  bool comma = false;
  for (;;) {
    // skip one target
    int depth = 0;
    for (;;) {
      Tok t = C.L.tok.t;
      if (t == TK_EOF || t == TK_NEWLINE) break;
      if (depth == 0 && (t == TK_COMMA || t == TK_ASSIGN || t == TK_IN || t == TK_RPAREN || t == TK_RBRACK)) break;
      depth += bracket(t);
      TRY(next(C));
    }
    n++;
    if (C.L.tok.t != TK_COMMA) break;
    comma = true;
    TRY(next(C));
    Tok t = C.L.tok.t;
    if (t == TK_ASSIGN || t == TK_IN || t == TK_RPAREN || t == TK_RBRACK || t == TK_NEWLINE) break;
  }
  C.L = s;
  if (!comma) return target(C, false, OP_NOP);
  if (n > 255) return c_error(C, MSG("too many targets"));
  emit_n(C, OP_UNPACK, n, n - 1);
  for (int i = 0; i < n; i++) {
    TRY(target(C, false, OP_NOP));
    if (C.L.tok.t == TK_COMMA) TRY(next(C));
  }
  return !C.failed;
}

}  // namespace hilsim::vm
