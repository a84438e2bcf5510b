// The VM's own error messages, kept compressed in flash. Call sites write
// MSG("text"): a compile-time lookup of the text in kMsgTable that yields its index
// (a small integer operand instead of a pointer per site, one copy of each text).
// A text missing from the table is a compile error (msg_not_in_table): add it here,
// anywhere in the table. The stored table (object.cpp) is encoded at compile time:
// the longest kMsgPairs expansion at each position becomes one byte 0x80 + index;
// msg_text() expands a message again (raise_msg, c_error). The pairs were learnt from
// these messages; changing either list only changes the compression, never a message.
#pragma once
#include <stddef.h>

namespace hilsim::vm {

inline constexpr char kMsgTable[] =
    "%%%s format: an integer is required, not %t\0"
    "%%d format: a real number is required, not %t\0"
    "%r is not in list\0"
    "%s first arg must be str or a tuple of str, not %t\0"
    "%s index out of range\0"
    "%s indices must be integers or slices, not %t\0"
    "%s() arg is an empty sequence\0"
    "%s() got an unexpected keyword argument '%s'\0"
    "%s() got multiple values for argument '%s'\0"
    "%s() missing %d required positional argument%s: '%s'\0"
    "%s() takes %d positional argument%s but %d %s given\0"
    "%s() takes %s %d argument%s (%d given)\0"
    "%s() takes from %d to %d positional arguments but %d were given\0"
    "%s() takes no arguments\0"
    "%s() takes no keyword arguments\0"
    "'%s' is an invalid keyword argument for %s()\0"
    "'%s' not supported between instances of '%t' and '%t'\0"
    "'%t' object attribute '%s' is read-only\0"
    "'%t' object cannot be interpreted as an integer\0"
    "'%t' object does not support item assignment\0"
    "'%t' object does not support item deletion\0"
    "'%t' object has no attribute '%s'\0"
    "'%t' object is not an iterator\0"
    "'%t' object is not callable\0"
    "'%t' object is not iterable\0"
    "'%t' object is not subscriptable\0"
    "'(' was never closed\0"
    "'[' was never closed\0"
    "'break' outside loop\0"
    "'continue' not properly in loop\0"
    "'from module import *' is not supported\0"
    "'in <string>' requires string as left operand, not %t\0"
    "'return' outside function\0"
    "'super' object has no attribute '%s'\0"
    "'with' statements are not supported\0"
    "'{' was never closed\0"
    "* argument may appear only once\0"
    "0.0 cannot be raised to a negative power\0"
    "Invalid format specifier\0"
    "No active exception to reraise\0"
    "No module named '%s'\0"
    "Replacement index %d out of range for positional args tuple\0"
    "Single '}' encountered in format string\0"
    "The fill character must be exactly one character long\0"
    "Unknown format code '%s' for object of type '%t'\0"
    "__init__() should return None, not '%t'\0"
    "__str__ returned non-string (type %t)\0"
    "a bytes-like object is required, not '%t'\0"
    "argument of type '%t' is not iterable\0"
    "arguments cannot follow var-keyword argument\0"
    "attempt to assign sequence of size %d to extended slice of size %d\0"
    "attribute name must be string, not '%t'\0"
    "bad __init__ call\0"
    "bad opcode\0"
    "bad operand type for abs(): '%t'\0"
    "bad operand type for unary %s: '%t'\0"
    "base class must be a class, not '%t'\0"
    "byte must be in range(0, 256)\0"
    "bytecode buffer too small\0"
    "bytecode checksum mismatch\0"
    "bytecode length mismatch\0"
    "bytes must be in range(0, 256)\0"
    "can only concatenate %t (not \"%t\") to %t\0"
    "cannot access local variable '%s' where it is not associated with a value\0"
    "cannot assign to ()\0"
    "cannot assign to expression\0"
    "cannot assign to function call\0"
    "cannot assign to literal\0"
    "cannot convert float NaN to integer\0"
    "cannot convert float infinity to integer\0"
    "cannot create instances of this type\0"
    "cannot delete expression\0"
    "cannot delete this name\0"
    "cannot import name '%s' from '%s'\0"
    "catching classes that do not inherit from BaseException is not allowed\0"
    "chr() arg not in range(0x110000)\0"
    "class body too large\0"
    "could not convert string to float: %r\0"
    "decorators are not supported\0"
    "default 'except:' must be last\0"
    "dictionary update sequence element #%d has length %d; 2 is required\0"
    "division by zero\0"
    "dotted module names are not supported\0"
    "duplicate argument in function definition\0"
    "empty separator\0"
    "exceptions must derive from BaseException\0"
    "exec() globals must be a dict, not %t\0"
    "expected '('\0"
    "expected ')'\0"
    "expected ':'\0"
    "expected 'else' after 'if' expression\0"
    "expected 'except' or 'finally' block\0"
    "expected 'in'\0"
    "expected '}' before end of string\0"
    "expected an indented block\0"
    "expected parameter name\0"
    "expected str, got %t\0"
    "expression too complex\0"
    "f-string: expecting '}'\0"
    "f-string: invalid conversion character\0"
    "f-string: invalid syntax\0"
    "f-string: single '}' is not allowed\0"
    "float division by zero\0"
    "float floor division by zero\0"
    "float modulo\0"
    "float() argument must be a string or a real number, not '%t'\0"
    "generators ('yield') are not supported\0"
    "incomplete format\0"
    "instruction budget exhausted\0"
    "int() argument must be a string, a bytes-like object or a real number, not '%t'\0"
    "int() can't convert non-string with explicit base\0"
    "integer division or modulo by zero\0"
    "integer literal too large\0"
    "integer modulo by zero\0"
    "integer overflow\0"
    "integer overflow (ints are 64-bit)\0"
    "interrupted\0"
    "invalid character in identifier\0"
    "invalid decimal literal\0"
    "invalid literal for int() with base %d: %r\0"
    "invalid number literal\0"
    "invalid syntax\0"
    "invalid syntax. Perhaps you forgot a comma?\0"
    "isinstance() arg 2 must be a type, a tuple of types, or a union\0"
    "iterable argument unpacking follows keyword argument unpacking\0"
    "keyword argument repeated\0"
    "keyword-only parameters are not supported\0"
    "keywords must be strings\0"
    "list modified during sort\0"
    "list.remove(x): x not in list\0"
    "malformed bytecode\0"
    "maximum recursion depth exceeded\0"
    "maximum recursion depth exceeded while getting the repr of an object\0"
    "missing argument %d\0"
    "module '%s' has no attribute '%s'\0"
    "multiple inheritance is not supported\0"
    "must be real number, not %t\0"
    "must be str, not %t\0"
    "name '%s' is not defined\0"
    "negative count\0"
    "negative shift count\0"
    "no binding for nonlocal found\0"
    "non-default argument follows default argument\0"
    "nonlocal declaration not allowed at module level\0"
    "not a bytecode file\0"
    "not all arguments converted during string formatting\0"
    "not enough arguments for format string\0"
    "not enough values to unpack (expected %d, got %d)\0"
    "object is not callable\0"
    "object of type '%t' has no len()\0"
    "ord() expected a character, but string of length %d found\0"
    "ord() expected string of length 1, but %t found\0"
    "out of memory\0"
    "pop from empty list\0"
    "pop index out of range\0"
    "positional argument follows keyword argument\0"
    "range() arg 3 must not be zero\0"
    "sequence item %d: expected str instance, %t found\0"
    "set displays are not supported\0"
    "slice indices must be integers or None or have an __index__ method\0"
    "slice step cannot be zero\0"
    "stack overflow\0"
    "starred assignment targets are not supported\0"
    "substring not found\0"
    "super(): no arguments\0"
    "too many arguments\0"
    "too many chained assignments\0"
    "too many closure variables\0"
    "too many constants or code too large\0"
    "too many elif clauses\0"
    "too many except clauses\0"
    "too many global declarations\0"
    "too many keyword arguments\0"
    "too many levels of indentation\0"
    "too many local variables\0"
    "too many nested comprehension loops\0"
    "too many nested expressions\0"
    "too many nested functions\0"
    "too many nested try blocks\0"
    "too many nonlocal declarations\0"
    "too many parameters\0"
    "too many statically nested blocks\0"
    "too many targets\0"
    "too many values to unpack (expected %d)\0"
    "truncated \\xXX escape\0"
    "type %t doesn't define __round__ method\0"
    "type object '%s' has no attribute '%s'\0"
    "unexpected end of file\0"
    "unexpected indent\0"
    "unhashable type: '%t'\0"
    "unindent does not match any outer indentation level\0"
    "unsupported bytecode flags\0"
    "unsupported bytecode version %d\0"
    "unsupported format character\0"
    "unsupported operand\0"
    "unsupported operand type(s) for %s: '%t' and '%t'\0"
    "unterminated string literal\0"
    "unterminated triple-quoted string literal\0"
    "update() argument must be a dict\0"
    ;
// A code byte of an encoded message (0x80..0xff, 0x01..0x1f; see msg_code) stands for
// the two symbols kMsgPairs[k], each a character or again a code (byte-pair encoding,
// merges learnt from kMsgTable). Messages are printable ASCII.
inline constexpr unsigned char kMsgPairs[][2] = {
    {'t', ' '}, {'t', 'e'}, {'i', 'n'}, {'d', ' '}, {'e', ' '}, {'s', ' '}, {'n', 'o'}, {'o', 'r'}, {'a', 'r'},
    {'a', 'n'}, {134, 128}, {'e', 'n'}, {'e', 'r'}, {'o', 'n'}, {'a', 'l'}, {'e', 'c'}, {'o', ' '}, {'s', 't'},
    {'\'', '%'}, {136, 'g'}, {'e', 'x'}, {'y', ' '}, {'\'', ' '}, {'u', 'm'}, {129, 131}, {'i', 141},
    {'l', 'o'}, {130, 'g'}, {'r', 'e'}, {'u', 'n'}, {'a', 't'}, {147, 151}, {159, 139}, {145, 'r'}, {' ', 't'},
    {'u', 'p'}, {'(', ')'}, {129, 'r'}, {148, 'p'}, {146, 't'}, {',', ' '}, {'o', 144}, {'f', 135}, {'i', 133},
    {'u', 's'}, {'o', 'd'}, {161, 155}, {'l', 'i'}, {'b', 132}, {'t', 169}, {'c', 'e'}, {'l', 'e'}, {137, 149},
    {'m', 172}, {181, 128}, {'o', 'f'}, {166, 143}, {'s', 163}, {'p', 135}, {'a', 's'}, {177, 'm'}, {188, 180},
    {184, 152}, {146, 's'}, {142, ' '}, {182, 176}, {'s', 'i'}, {'t', 153}, {185, 186}, {'o', 'b'}, {197, 'j'},
    {198, 143}, {'c', 137}, {':', ' '}, {'a', ' '}, {164, ' '}, {199, 128}, {'l', 132}, {'k', 'e'}, {160, 128},
    {160, 't'}, {200, 138}, {168, 138}, {183, ' '}, {'v', 142}, {'d', 'e'}, {'a', 'c'}, {'s', 153}, {'%', 131},
    {171, 138}, {'%', 's'}, {'s', 'e'}, {167, 150}, {129, ' '}, {'v', 140}, {'t', 'h'}, {'c', 'h'}, {'y', 'p'},
    {'%', 't'}, {130, 'd'}, {'b', 'u'}, {'i', 'v'}, {167, '\''}, {'n', 'e'}, {'o', 'p'}, {129, 'd'},
    {'a', 128}, {130, 129}, {235, 'g'}, {236, 140}, {'q', 'u'}, {135, ' '}, {'a', 133}, {'a', 'b'}, {'m', 'e'},
    {'b', 'y'}, {'f', 154}, {130, ' '}, {'o', 'u'}, {206, 'y'}, {247, 'w'}, {248, 135}, {170, ' '}, {'o', 'm'},
    {212, 'i'}, {252, 131}, {138, 196}, {174, ' '}, {'c', 173}, {'_', '_'}, {243, 129}, {170, 'm'}, {137, ' '},
    {191, '\''}, {134, ' '}, {191, 150}, {130, 253}, {220, 204}, {'t', 'r'}, {'c', 141}, {'m', 173},
    {'o', 157}, {'%', 'd'}, {223, ' '}, {154, 'c'}, {215, ' '}, {'%', 133}, {210, 226}, {'g', 'e'}, {249, 131},
    {155, ' '}, {187, 194}, {24, 'g'}, {25, 'n'}, {142, 'l'}, {13, 'u'}, {'u', 'r'}, {136, 132}, {162, 144},
};
constexpr int kMsgWordCount = sizeof kMsgPairs / sizeof kMsgPairs[0];
static_assert(kMsgWordCount <= 128 + 31, "one byte per code");
constexpr bool msg_is_code(unsigned c) { return c >= 0x80 || (c && c < 0x20); }
constexpr int msg_code_index(unsigned c) { return c >= 0x80 ? static_cast<int>(c) - 0x80 : static_cast<int>(c) + 127; }
constexpr unsigned msg_code(int k) { return k < 128 ? 0x80u + k : static_cast<unsigned>(k - 127); }
constexpr size_t kMsgMax = 128;  // expanded length limit (buffer size in raise_msg, c_error), checked

void msg_not_in_table();  // never defined: using it in a constant expression fails to compile
constexpr int msg_id(const char* s) {
  const char* m = kMsgTable;
  for (int id = 0; *m; id++) {
    size_t i = 0;
    while (m[i] && m[i] == s[i]) i++;
    if (!m[i] && !s[i]) return id;
    while (m[i]) i++;
    m += i + 1;
  }
  msg_not_in_table();
  return -1;
}
template <int N> struct MsgId { static constexpr int value = N; };

// Message id -> its text, expanded into buf (kMsgMax bytes); returns buf.
const char* msg_text(int id, char* buf);

}  // namespace hilsim::vm

#define MSG(s) (::hilsim::vm::MsgId<::hilsim::vm::msg_id(s)>::value)
