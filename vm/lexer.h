// Lexer: source bytes -> tokens, with Python's indentation rules (INDENT/DEDENT from an
// indent stack, implicit line joining inside brackets, backslash continuation).
// The whole state is a plain struct so the compiler can save and rewind it; that is
// how the one-pass compiler handles targets, comprehensions and conditional expressions.
// String literals are decoded into interned Str objects; f-strings return their raw body.
#pragma once
#include "vm/internal.h"

namespace hilsim::vm {

enum Tok : uint8_t {
  TK_EOF, TK_NEWLINE, TK_INDENT, TK_DEDENT, TK_NAME, TK_INT, TK_FLOAT, TK_STR, TK_BYTES,
  TK_FSTR, TK_ERROR,
  // keywords
  TK_AND, TK_AS, TK_ASSERT, TK_BREAK, TK_CLASS, TK_CONTINUE, TK_DEF, TK_DEL, TK_ELIF,
  TK_ELSE, TK_EXCEPT, TK_FALSE, TK_FINALLY, TK_FOR, TK_FROM, TK_GLOBAL, TK_IF, TK_IMPORT,
  TK_IN, TK_IS, TK_LAMBDA, TK_NONE, TK_NONLOCAL, TK_NOT, TK_OR, TK_PASS, TK_RAISE,
  TK_RETURN, TK_TRUE, TK_TRY, TK_WHILE, TK_WITH, TK_YIELD,
  // operators
  TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_LBRACE, TK_RBRACE, TK_COMMA, TK_COLON,
  TK_DOT, TK_SEMI, TK_ASSIGN, TK_ARROW, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_DSLASH,
  TK_PERCENT, TK_DSTAR, TK_LSHIFT, TK_RSHIFT, TK_AMP, TK_PIPE, TK_CARET, TK_TILDE,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_AT,
  // augmented assignment (same order as the binary operators above)
  TK_PLUSEQ, TK_MINUSEQ, TK_STAREQ, TK_SLASHEQ, TK_DSLASHEQ, TK_PERCENTEQ, TK_DSTAREQ,
  TK_LSHIFTEQ, TK_RSHIFTEQ, TK_AMPEQ, TK_PIPEEQ, TK_CARETEQ
};

struct Token {
  Tok t;
  int line, col;
  int64_t i;
  double f;
  Str* s;           // NAME, STR, BYTES
  const char* raw;  // FSTR body
  uint32_t rawlen;
  uint8_t rawflag;  // FSTR: 1 if raw (rf"")
};

struct Lexer {
  VM* vm;
  const char* src;
  const char* end;
  const char* p;
  const char* line_start;
  int line;
  int depth;  // bracket nesting
  int indents[48];
  int nindent;
  int pending;     // >0: DEDENTs to emit; <0: INDENT to emit
  bool at_bol;     // at beginning of a logical line
  bool emitted_eof_nl;
  Token tok;       // current token
  const char* errmsg;
  int errline, errcol;
};

void lex_init(Lexer& L, VM* vm, const char* src, size_t len, int first_line);
bool lex_next(Lexer& L);  // false on error (L.tok.t == TK_ERROR, errmsg set)
const char* tok_name(Tok t);

}  // namespace hilsim::vm
