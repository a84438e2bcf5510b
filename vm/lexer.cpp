// Lexer implementation. See lexer.h. Numbers: decimal, 0x/0o/0b, underscores, floats
// with exponent. Strings: '', "", triple-quoted, prefixes r b f (any case, combined),
// escapes \n \t \r \0 \\ \' \" \xHH \uXXXX (encoded as UTF-8) and line continuation.
#include "vm/lexer.h"

namespace hilsim::vm {

namespace {
struct Kw { const char* s; Tok t; };
const Kw kKeywords[] = {
  {"and", TK_AND}, {"as", TK_AS}, {"assert", TK_ASSERT}, {"break", TK_BREAK},
  {"class", TK_CLASS}, {"continue", TK_CONTINUE}, {"def", TK_DEF}, {"del", TK_DEL},
  {"elif", TK_ELIF}, {"else", TK_ELSE}, {"except", TK_EXCEPT}, {"False", TK_FALSE},
  {"finally", TK_FINALLY}, {"for", TK_FOR}, {"from", TK_FROM}, {"global", TK_GLOBAL},
  {"if", TK_IF}, {"import", TK_IMPORT}, {"in", TK_IN}, {"is", TK_IS}, {"lambda", TK_LAMBDA},
  {"None", TK_NONE}, {"nonlocal", TK_NONLOCAL}, {"not", TK_NOT}, {"or", TK_OR},
  {"pass", TK_PASS}, {"raise", TK_RAISE}, {"return", TK_RETURN}, {"True", TK_TRUE},
  {"try", TK_TRY}, {"while", TK_WHILE}, {"with", TK_WITH}, {"yield", TK_YIELD},
};

bool err(Lexer& L, const char* msg, const char* at) {
  L.tok.t = TK_ERROR;
  L.errmsg = msg;
  L.errline = L.line;
  L.errcol = static_cast<int>(at - L.line_start) + 1;
  return false;
}
inline bool is_id0(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80); }
inline bool is_dig(char c) { return c >= '0' && c <= '9'; }
inline int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool add_utf8(VM* vm, uint32_t cp) {
  char b[4];
  int n;
  if (cp < 0x80) { b[0] = static_cast<char>(cp); n = 1; }
  else if (cp < 0x800) { b[0] = static_cast<char>(0xC0 | (cp >> 6)); b[1] = static_cast<char>(0x80 | (cp & 63)); n = 2; }
  else if (cp < 0x10000) { b[0] = static_cast<char>(0xE0 | (cp >> 12)); b[1] = static_cast<char>(0x80 | ((cp >> 6) & 63)); b[2] = static_cast<char>(0x80 | (cp & 63)); n = 3; }
  else { b[0] = static_cast<char>(0xF0 | (cp >> 18)); b[1] = static_cast<char>(0x80 | ((cp >> 12) & 63)); b[2] = static_cast<char>(0x80 | ((cp >> 6) & 63)); b[3] = static_cast<char>(0x80 | (cp & 63)); n = 4; }
  return sb_add(vm, b, n);
}

bool lex_number(Lexer& L) {
  const char* s = L.p;
  Token& t = L.tok;
  if (s[0] == '0' && s + 1 < L.end &&
      (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O' || s[1] == 'b' || s[1] == 'B')) {
    int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
    const char* q = s + 2;
    uint64_t v = 0;
    int nd = 0;
    for (; q < L.end; q++) {
      if (*q == '_') continue;
      int d = hexv(*q);
      if (d < 0 || d >= base) break;
      if (v > (0x7fffffffffffffffULL - d) / base) return err(L, "integer literal too large", s);
      v = v * base + d;
      nd++;
    }
    if (!nd) return err(L, "invalid number literal", s);
    if (q < L.end && is_id0(*q)) return err(L, "invalid number literal", q);
    t.t = TK_INT;
    t.i = static_cast<int64_t>(v);
    L.p = q;
    return true;
  }
  const char* q = s;
  uint64_t v = 0;
  bool big = false, isf = false;
  long double fv = 0;
  while (q < L.end && (is_dig(*q) || *q == '_')) {
    if (*q != '_') {
      if (v > (0x7fffffffffffffffULL - (*q - '0')) / 10) big = true;
      else v = v * 10 + (*q - '0');
      fv = fv * 10 + (*q - '0');
    }
    q++;
  }
  if (q < L.end && *q == '.' && !(q + 1 < L.end && is_id0(q[1]) && q[1] != 'e' && q[1] != 'E')) {
    isf = true;
    q++;
    long double sc = 1;
    while (q < L.end && (is_dig(*q) || *q == '_')) {
      if (*q != '_') { sc /= 10; fv += (*q - '0') * sc; }
      q++;
    }
  }
  if (q < L.end && (*q == 'e' || *q == 'E')) {
    const char* e = q + 1;
    int sign = 1;
    if (e < L.end && (*e == '+' || *e == '-')) { sign = *e == '-' ? -1 : 1; e++; }
    if (e < L.end && is_dig(*e)) {
      int ex = 0;
      while (e < L.end && is_dig(*e)) { if (ex < 10000) ex = ex * 10 + (*e - '0'); e++; }
      isf = true;
      long double p = 1;
      for (int i = 0; i < ex && p < 1e300L; i++) p *= 10;
      fv = sign > 0 ? fv * p : fv / p;
      q = e;
    }
  }
  if (q < L.end && is_id0(*q)) return err(L, "invalid decimal literal", q);
  L.p = q;
  if (isf) { t.t = TK_FLOAT; t.f = static_cast<double>(fv); return true; }
  if (big) return err(L, "integer literal too large", s);
  t.t = TK_INT;
  t.i = static_cast<int64_t>(v);
  return true;
}

bool lex_string(Lexer& L, bool raw, bool bytes, bool fstr) {
  char q = *L.p;
  bool triple = L.p + 2 < L.end && L.p[1] == q && L.p[2] == q;
  const char* start = L.p;
  L.p += triple ? 3 : 1;
  const char* body = L.p;
  size_t mark = L.vm->scratch.len;
  for (;;) {
    if (L.p >= L.end) {
      L.vm->scratch.len = mark;
      return err(L, triple ? "unterminated triple-quoted string literal" : "unterminated string literal", start);
    }
    char c = *L.p;
    if (c == q && (!triple || (L.p + 2 < L.end && L.p[1] == q && L.p[2] == q))) break;
    if (c == '\n') {
      if (!triple) { L.vm->scratch.len = mark; return err(L, "unterminated string literal", start); }
      L.line++;
      L.line_start = L.p + 1;
    }
    if (c == '\\' && L.p + 1 < L.end) {
      char e = L.p[1];
      if (raw || fstr) {  // keep escapes for f-strings (decoded by the compiler)
        if (!sb_addc(L.vm, c) || !sb_addc(L.vm, e)) return err(L, "out of memory", start);
        if (e == '\n') { L.line++; L.line_start = L.p + 2; }
        L.p += 2;
        continue;
      }
      L.p += 2;
      bool ok = true;
      switch (e) {
        case 'n': ok = sb_addc(L.vm, '\n'); break;
        case 't': ok = sb_addc(L.vm, '\t'); break;
        case 'r': ok = sb_addc(L.vm, '\r'); break;
        case '0': ok = sb_addc(L.vm, '\0'); break;
        case 'a': ok = sb_addc(L.vm, '\a'); break;
        case 'b': ok = sb_addc(L.vm, '\b'); break;
        case 'f': ok = sb_addc(L.vm, '\f'); break;
        case 'v': ok = sb_addc(L.vm, '\v'); break;
        case '\\': case '\'': case '"': ok = sb_addc(L.vm, e); break;
        case '\n': L.line++; L.line_start = L.p; break;
        case 'x': case 'u': {
          int n = e == 'x' ? 2 : 4;
          uint32_t cp = 0;
          for (int i = 0; i < n; i++) {
            int d = L.p < L.end ? hexv(*L.p) : -1;
            if (d < 0) { L.vm->scratch.len = mark; return err(L, "truncated \\xXX escape", L.p); }
            cp = cp * 16 + d;
            L.p++;
          }
          if (bytes || e == 'x') {
            if (bytes) ok = sb_addc(L.vm, static_cast<char>(cp));
            else ok = add_utf8(L.vm, cp);
          } else {
            ok = add_utf8(L.vm, cp);
          }
          break;
        }
        default: ok = sb_addc(L.vm, '\\') && sb_addc(L.vm, e); break;
      }
      if (!ok) return err(L, "out of memory", start);
      continue;
    }
    if (!sb_addc(L.vm, c)) return err(L, "out of memory", start);
    L.p++;
  }
  L.p += triple ? 3 : 1;
  Token& t = L.tok;
  if (fstr) {
    // the raw body is re-read by the compiler; keep a pointer into the source
    t.t = TK_FSTR;
    t.raw = body;
    t.rawlen = static_cast<uint32_t>(L.p - (triple ? 3 : 1) - body);
    t.rawflag = raw ? 1 : 0;
    L.vm->scratch.len = mark;
    return true;
  }
  Str* s = bytes ? bytes_new(L.vm, L.vm->scratch.buf + mark, L.vm->scratch.len - mark) : sb_take(L.vm, mark);
  L.vm->scratch.len = mark;
  if (!s) return err(L, "out of memory", start);
  t.t = bytes ? TK_BYTES : TK_STR;
  t.s = s;
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
  L.errmsg = nullptr;
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
        if (L.nindent >= 48) return err(L, "too many levels of indentation", q);
        L.indents[L.nindent++] = col;
        t.t = TK_INDENT;
        return true;
      }
      int n = 0;
      while (col < L.indents[L.nindent - 1]) { L.nindent--; n++; }
      if (col != L.indents[L.nindent - 1]) return err(L, "unindent does not match any outer indentation level", q);
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
    for (const Kw& k : kKeywords) {
      size_t i = 0;
      while (i < n && k.s[i] == s[i]) i++;
      if (i == n && k.s[n] == 0) { t.t = k.t; return true; }
    }
    t.t = TK_NAME;
    t.s = str_intern(L.vm, s, n);
    if (!t.s) return err(L, "out of memory", s);
    return true;
  }
  if (is_dig(c) || (c == '.' && L.p + 1 < L.end && is_dig(L.p[1]))) return lex_number(L);
  if (c == '\'' || c == '"') return lex_string(L, false, false, false);
  char c1 = L.p + 1 < L.end ? L.p[1] : 0;
  char c2 = L.p + 2 < L.end ? L.p[2] : 0;
  int len = 1;
  Tok k;
  switch (c) {
    case '(': k = TK_LPAREN; L.depth++; break;
    case '[': k = TK_LBRACK; L.depth++; break;
    case '{': k = TK_LBRACE; L.depth++; break;
    case ')': k = TK_RPAREN; if (L.depth) L.depth--; break;
    case ']': k = TK_RBRACK; if (L.depth) L.depth--; break;
    case '}': k = TK_RBRACE; if (L.depth) L.depth--; break;
    case ',': k = TK_COMMA; break;
    case ':': k = TK_COLON; break;
    case '.': k = TK_DOT; break;
    case ';': k = TK_SEMI; break;
    case '~': k = TK_TILDE; break;
    case '@': k = TK_AT; break;
    case '=': if (c1 == '=') { k = TK_EQ; len = 2; } else k = TK_ASSIGN; break;
    case '!': if (c1 == '=') { k = TK_NE; len = 2; } else return err(L, "invalid syntax", s); break;
    case '+': if (c1 == '=') { k = TK_PLUSEQ; len = 2; } else k = TK_PLUS; break;
    case '-':
      if (c1 == '=') { k = TK_MINUSEQ; len = 2; }
      else if (c1 == '>') { k = TK_ARROW; len = 2; }
      else k = TK_MINUS;
      break;
    case '*':
      if (c1 == '*') { if (c2 == '=') { k = TK_DSTAREQ; len = 3; } else { k = TK_DSTAR; len = 2; } }
      else if (c1 == '=') { k = TK_STAREQ; len = 2; }
      else k = TK_STAR;
      break;
    case '/':
      if (c1 == '/') { if (c2 == '=') { k = TK_DSLASHEQ; len = 3; } else { k = TK_DSLASH; len = 2; } }
      else if (c1 == '=') { k = TK_SLASHEQ; len = 2; }
      else k = TK_SLASH;
      break;
    case '%': if (c1 == '=') { k = TK_PERCENTEQ; len = 2; } else k = TK_PERCENT; break;
    case '&': if (c1 == '=') { k = TK_AMPEQ; len = 2; } else k = TK_AMP; break;
    case '|': if (c1 == '=') { k = TK_PIPEEQ; len = 2; } else k = TK_PIPE; break;
    case '^': if (c1 == '=') { k = TK_CARETEQ; len = 2; } else k = TK_CARET; break;
    case '<':
      if (c1 == '<') { if (c2 == '=') { k = TK_LSHIFTEQ; len = 3; } else { k = TK_LSHIFT; len = 2; } }
      else if (c1 == '=') { k = TK_LE; len = 2; }
      else k = TK_LT;
      break;
    case '>':
      if (c1 == '>') { if (c2 == '=') { k = TK_RSHIFTEQ; len = 3; } else { k = TK_RSHIFT; len = 2; } }
      else if (c1 == '=') { k = TK_GE; len = 2; }
      else k = TK_GT;
      break;
    default: return err(L, "invalid character in identifier", s);
  }
  L.p += len;
  t.t = k;
  return true;
}

const char* tok_name(Tok t) {
  switch (t) {
    case TK_EOF: return "end of file";
    case TK_NEWLINE: return "newline";
    case TK_INDENT: return "indent";
    case TK_DEDENT: return "dedent";
    default: return "token";
  }
}

}  // namespace hilsim::vm
