// Lexer implementation. See lexer.h. Numbers: decimal, 0x/0o/0b, underscores, floats
// with exponent. Strings: '', "", triple-quoted, prefixes r b f (any case, combined),
// escapes \n \t \r \0 \\ \' \" \xHH \uXXXX (encoded as UTF-8) and line continuation.
#include "vm/lexer.h"

namespace hilsim::vm {

namespace {
// keywords in Tok order: TK_IF..TK_FALSE, then TK_IN..TK_LAMBDA
const char kKeywords[] =
    "if\0while\0for\0try\0def\0class\0else\0elif\0except\0finally\0pass\0break\0continue\0return\0raise\0"
    "global\0nonlocal\0del\0assert\0import\0from\0with\0yield\0None\0True\0False\0"
    "in\0is\0not\0and\0or\0as\0lambda\0";
constexpr int kKwRun1 = TK_FALSE - TK_IF + 1;
static_assert(TK_LAMBDA - TK_IN == 6, "keyword runs");
// operators, longest first (3 chars per entry, NUL padded), and their tokens
const char kOps[] =
    "**=//=<<=>>=**\0//\0<<\0>>\0<=\0>=\0==\0!=\0+=\0-=\0->\0*=\0/=\0%=\0&=\0|=\0^=\0"
    "(\0\0[\0\0{\0\0)\0\0]\0\0}\0\0,\0\0:\0\0.\0\0;\0\0~\0\0@\0\0=\0\0+\0\0-\0\0*\0\0/\0\0%\0\0&\0\0|\0\0^\0\0<\0\0>\0";
const uint8_t kOpTok[] = {
  TK_DSTAREQ, TK_DSLASHEQ, TK_LSHIFTEQ, TK_RSHIFTEQ, TK_DSTAR, TK_DSLASH, TK_LSHIFT, TK_RSHIFT, TK_LE, TK_GE,
  TK_EQ, TK_NE, TK_PLUSEQ, TK_MINUSEQ, TK_ARROW, TK_STAREQ, TK_SLASHEQ, TK_PERCENTEQ, TK_AMPEQ, TK_PIPEEQ,
  TK_CARETEQ, TK_LPAREN, TK_LBRACK, TK_LBRACE, TK_RPAREN, TK_RBRACK, TK_RBRACE, TK_COMMA, TK_COLON, TK_DOT,
  TK_SEMI, TK_TILDE, TK_AT, TK_ASSIGN, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_AMP, TK_PIPE,
  TK_CARET, TK_LT, TK_GT,
};
static_assert(sizeof(kOps) == 3 * sizeof(kOpTok), "operator table");

__attribute__((noinline)) bool err(Lexer& L, int msg, const char* at) {
  L.tok.t = TK_ERROR;
  L.errmsg = msg;
  L.errline = L.line;
  L.errcol = static_cast<int>(at - L.line_start) + 1;
  return false;
}
inline bool is_id0(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80); }
inline bool is_dig(char c) { return c >= '0' && c <= '9'; }

bool add_utf8(VM* vm, uint32_t cp) {
  char b[4];
  return sb_add(vm, b, utf8_encode(cp, b));
}

bool lex_number(Lexer& L) {
  const char* s = L.p;
  Token& t = L.tok;
  int base = 10;
  char c1 = s + 1 < L.end ? (s[1] | 0x20) : 0;
  if (s[0] == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) base = c1 == 'x' ? 16 : c1 == 'o' ? 8 : 2;
  const char* q = s + (base == 10 ? 0 : 2);
  if (base == 10) {
    bool isf;
    const char* e = scan_decimal(s, L.end, true, &t.f, &isf);
    if (e < L.end && is_id0(*e)) return err(L, MSG("invalid decimal literal"), e);
    L.p = e;
    if (isf) { t.t = TK_FLOAT; return true; }
  }
  uint64_t v = 0;
  int nd = 0;
  for (; q < L.end; q++) {
    if (*q == '_') continue;
    int d = digit_value(*q);
    if (d >= base) break;
    if (v > (0x7fffffffffffffffULL - d) / base) return err(L, MSG("integer literal too large"), s);
    v = v * base + d;
    nd++;
  }
  if (!nd) return err(L, MSG("invalid number literal"), s);
  if (q < L.end && is_id0(*q)) return err(L, MSG("invalid number literal"), q);
  t.t = TK_INT;
  t.i = static_cast<int64_t>(v);
  L.p = q;
  return true;
}

// simple escapes: character after the backslash, its value
const char kEscapes[] = "n\nt\tr\r0\0a\ab\bf\fv\v\\\\\'\'\"\"";

bool lex_string(Lexer& L, bool raw, bool bytes, bool fstr) {
  VM* vm = L.vm;
  char q = *L.p;
  bool triple = L.p + 2 < L.end && L.p[1] == q && L.p[2] == q;
  int qn = triple ? 3 : 1;
  const char* start = L.p;
  L.p += qn;
  const char* body = L.p;
  size_t mark = vm->scratch.len;
  bool ok = true;
  for (;;) {
    int err_msg = triple ? MSG("unterminated triple-quoted string literal") : MSG("unterminated string literal");
    if (L.p >= L.end) { vm->scratch.len = mark; return err(L, err_msg, start); }
    char c = *L.p++;
    if (c == q && (!triple || (L.p + 1 < L.end && L.p[0] == q && L.p[1] == q))) break;
    if (c == '\n') {
      if (!triple) { vm->scratch.len = mark; return err(L, err_msg, start); }
      L.line++;
      L.line_start = L.p;
    }
    if (c != '\\' || L.p >= L.end) { ok = ok && sb_addc(vm, c); continue; }
    char e = *L.p++;
    if (e == '\n') { L.line++; L.line_start = L.p; }
    if (raw || fstr) {  // keep escapes for f-strings (decoded by the compiler)
      ok = ok && sb_addc(vm, c) && sb_addc(vm, e);
      continue;
    }
    if (e == '\n') continue;
    if (e == 'x' || e == 'u') {
      uint32_t cp = 0;
      for (int i = e == 'x' ? 2 : 4; i > 0; i--) {
        int d = L.p < L.end ? digit_value(*L.p) : 99;
        if (d >= 16) { vm->scratch.len = mark; return err(L, MSG("truncated \\xXX escape"), L.p); }
        cp = cp * 16 + d;
        L.p++;
      }
      ok = ok && (bytes ? sb_addc(vm, static_cast<char>(cp)) : add_utf8(vm, cp));
      continue;
    }
    size_t k = 0;
    while (k < sizeof kEscapes - 1 && kEscapes[k] != e) k += 2;
    if (k < sizeof kEscapes - 1) ok = ok && sb_addc(vm, kEscapes[k + 1]);
    else ok = ok && sb_addc(vm, '\\') && sb_addc(vm, e);
  }
  L.p += qn - 1;
  Token& t = L.tok;
  if (fstr) {
    // the raw body is re-read by the compiler; keep a pointer into the source
    vm->scratch.len = mark;
    t.t = TK_FSTR;
    t.raw = body;
    t.rawlen = static_cast<uint32_t>(L.p - qn - body);
    t.rawflag = raw ? 1 : 0;
    return ok || err(L, MSG("out of memory"), start);
  }
  Value v;
  if (sb_done(vm, mark, ok, &v, bytes ? T::Bytes : T::Str) != Status::Ok) return err(L, MSG("out of memory"), start);
  t.t = bytes ? TK_BYTES : TK_STR;
  t.s = as<Str>(v);
  return true;
}
}  // namespace

void lex_init(Lexer& L, VM* vm, const char* src, size_t len, int first_line) {
  L.vm = vm;
  L.src = L.p = L.line_start = src;
  L.end = src + len;
  L.line = first_line;
  L.depth = 0;
  L.indents[0] = 0;
  L.nindent = 1;
  L.pending = 0;
  L.at_bol = true;
  L.emitted_eof_nl = false;
  L.errmsg = 0;
  L.tok.t = TK_NEWLINE;
}

bool lex_next(Lexer& L) {
  Token& t = L.tok;
  t.s = nullptr;
  if (L.pending > 0) { L.pending--; t.t = TK_DEDENT; return true; }
  if (L.pending < 0) { L.pending = 0; t.t = TK_INDENT; return true; }
  for (;;) {
    if (L.at_bol && L.depth == 0) {
      // measure indentation of the next non-blank line
      int col = 0;
      const char* q = L.p;
      while (q < L.end && (*q == ' ' || *q == '\t' || *q == '\f')) { col = *q == '\t' ? (col / 8 + 1) * 8 : col + 1; q++; }
      if (q < L.end && (*q == '#' || *q == '\n' || *q == '\r')) {
        while (q < L.end && *q != '\n') q++;
        if (q < L.end) { q++; L.line++; L.line_start = q; }
        L.p = q;
        continue;
      }
      if (q >= L.end) { L.p = q; break; }
      L.p = q;
      L.at_bol = false;
      t.line = L.line;
      t.col = static_cast<int>(q - L.line_start) + 1;
      if (col > L.indents[L.nindent - 1]) {
        if (L.nindent >= 48) return err(L, MSG("too many levels of indentation"), q);
        L.indents[L.nindent++] = col;
        t.t = TK_INDENT;
        return true;
      }
      int n = 0;
      while (col < L.indents[L.nindent - 1]) { L.nindent--; n++; }
      if (col != L.indents[L.nindent - 1]) return err(L, MSG("unindent does not match any outer indentation level"), q);
      if (n) { L.pending = n - 1; t.t = TK_DEDENT; return true; }
    }
    // skip spaces, comments, continuations
    while (L.p < L.end) {
      char c = *L.p;
      if (c == ' ' || c == '\t' || c == '\f' || c == '\r') { L.p++; continue; }
      if (c == '#') { while (L.p < L.end && *L.p != '\n') L.p++; continue; }
      if (c == '\\' && L.p + 1 < L.end && (L.p[1] == '\n' || (L.p[1] == '\r' && L.p + 2 < L.end && L.p[2] == '\n'))) {
        L.p += L.p[1] == '\n' ? 2 : 3;
        L.line++;
        L.line_start = L.p;
        continue;
      }
      if (c == '\n' && L.depth > 0) { L.p++; L.line++; L.line_start = L.p; continue; }
      break;
    }
    break;
  }
  t.line = L.line;
  t.col = static_cast<int>(L.p - L.line_start) + 1;
  if (L.p >= L.end) {
    if (!L.emitted_eof_nl) {
      L.emitted_eof_nl = true;
      if (!L.at_bol) { L.at_bol = true; t.t = TK_NEWLINE; return true; }
    }
    if (L.nindent > 1) { L.nindent--; t.t = TK_DEDENT; return true; }
    t.t = TK_EOF;
    return true;
  }
  const char* s = L.p;
  char c = *s;
  if (c == '\n') {
    L.p++;
    L.line++;
    L.line_start = L.p;
    L.at_bol = true;
    t.t = TK_NEWLINE;
    return true;
  }
  if (is_id0(c)) {
    // string prefixes
    const char* q = s;
    bool raw = false, bytes = false, fstr = false;
    int np = 0;
    while (q < L.end && np < 2) {
      char d = *q | 0x20;
      if (d == 'r' && !raw) raw = true;
      else if (d == 'b' && !bytes && !fstr) bytes = true;
      else if (d == 'f' && !fstr && !bytes) fstr = true;
      else break;
      q++; np++;
    }
    if (np && q < L.end && (*q == '\'' || *q == '"')) { L.p = q; return lex_string(L, raw, bytes, fstr); }
    q = s;
    while (q < L.end && (is_id0(*q) || is_dig(*q))) q++;
    size_t n = static_cast<size_t>(q - s);
    L.p = q;
    int kw = 0;
    for (const char* k = kKeywords; *k; k += __builtin_strlen(k) + 1, kw++) {
      size_t i = 0;
      while (i < n && k[i] == s[i]) i++;
      if (i == n && k[n] == 0) { t.t = static_cast<Tok>(kw < kKwRun1 ? TK_IF + kw : TK_IN + kw - kKwRun1); return true; }
    }
    t.t = TK_NAME;
    t.s = str_intern(L.vm, s, n);
    if (!t.s) return err(L, MSG("out of memory"), s);
    return true;
  }
  if (is_dig(c) || (c == '.' && L.p + 1 < L.end && is_dig(L.p[1]))) return lex_number(L);
  if (c == '\'' || c == '"') return lex_string(L, false, false, false);
  for (size_t k = 0; k < sizeof kOpTok; k++) {
    const char* o = kOps + 3 * k;
    size_t len = 0;
    while (len < 3 && o[len] && L.p + len < L.end && L.p[len] == o[len]) len++;
    if (len == 3 || (len && !o[len])) {
      Tok tk = static_cast<Tok>(kOpTok[k]);
      int b = bracket(tk);
      if (b > 0 || L.depth) L.depth += b;
      L.p += len;
      t.t = tk;
      return true;
    }
  }
  return err(L, c == '!' ? MSG("invalid syntax") : MSG("invalid character in identifier"), s);
}

}  // namespace hilsim::vm
