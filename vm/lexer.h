// Lexer: source bytes -> tokens, with Python's indentation rules (INDENT/DEDENT from an
// indent stack, implicit line joining inside brackets, backslash continuation).
// The whole state is a plain struct so the compiler can save and rewind it; that is
// how the one-pass compiler handles targets, comprehensions and conditional expressions.
// String literals are decoded into interned Str objects; f-strings return their raw body.
#pragma once
#include "vm/internal.h"

namespace hilsim::vm {

// The order groups the tokens each compiler switch dispatches on (statement(),
// simple_statement(), atom(), comparisons), so their jump tables stay small.
enum Tok : uint8_t {
  TK_EOF, TK_NEWLINE, TK_DEDENT, TK_INDENT, TK_AT,
  // keywords, first run (kKeywords order)
  TK_IF, TK_WHILE, TK_FOR, TK_TRY, TK_DEF, TK_CLASS, TK_ELSE, TK_ELIF, TK_EXCEPT, TK_FINALLY,
  TK_PASS, TK_BREAK, TK_CONTINUE, TK_RETURN, TK_RAISE, TK_GLOBAL, TK_NONLOCAL, TK_DEL, TK_ASSERT,
  TK_IMPORT, TK_FROM, TK_WITH, TK_YIELD, TK_NONE, TK_TRUE, TK_FALSE,
  TK_ERROR, TK_NAME, TK_INT, TK_FLOAT, TK_STR, TK_BYTES, TK_FSTR,
  TK_LPAREN, TK_LBRACK, TK_LBRACE, TK_RPAREN, TK_RBRACK, TK_RBRACE,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  // keywords, second run
  TK_IN, TK_IS, TK_NOT, TK_AND, TK_OR, TK_AS, TK_LAMBDA,
  // operators
  TK_COMMA, TK_COLON, TK_DOT, TK_SEMI, TK_ASSIGN, TK_ARROW, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_DSLASH,
  TK_PERCENT, TK_DSTAR, TK_LSHIFT, TK_RSHIFT, TK_AMP, TK_PIPE, TK_CARET, TK_TILDE,
  // augmented assignment (same order as the binary operators above)
  TK_PLUSEQ, TK_MINUSEQ, TK_STAREQ, TK_SLASHEQ, TK_DSLASHEQ, TK_PERCENTEQ, TK_DSTAREQ,
  TK_LSHIFTEQ, TK_RSHIFTEQ, TK_AMPEQ, TK_PIPEEQ, TK_CARETEQ
};

struct Token {
  Tok t;
  uint8_t rawflag;  // FSTR: 1 if raw (rf"")
  int line, col;
  int64_t i;
  double f;
  Str* s;           // NAME, STR, BYTES
  const char* raw;  // FSTR body
  uint32_t rawlen;
};

// Hot fields first (see VM): the compiler embeds the lexer near the start of Compiler.
struct Lexer {
  Token tok;       // current token
  const char* p;
  const char* end;
  const char* line_start;
  VM* vm;
  int line;
  int depth;  // bracket nesting
  int nindent;
  int pending;     // >0: DEDENTs to emit; <0: INDENT to emit
  bool at_bol;     // at beginning of a logical line
  bool emitted_eof_nl;
  const char* src;
  int errmsg;  // MSG() id
  int errline, errcol;
  int indents[48];
};

void lex_init(Lexer& L, VM* vm, const char* src, size_t len, int first_line);
bool lex_next(Lexer& L);  // false on error (L.tok.t == TK_ERROR, errmsg set)
// +1 for ( [ {, -1 for ) ] }, else 0
inline int bracket(Tok t) { return t >= TK_LPAREN && t <= TK_RBRACE ? (t <= TK_LBRACE ? 1 : -1) : 0; }

}  // namespace hilsim::vm
