// The instruction set, declared once. Each instruction is 32 bits: opcode in the low
// 8 bits, operand A in the high 24 bits. The machine is a stack machine over per-frame
// registers (locals) R[]; K[] are the function's constants. The X-macro below gives
// name, stack effect (-99: computed from A) and meaning; the enum, the disassembler and
// the dispatch table are generated from it.
#pragma once
#include <stdint.h>

namespace hilsim::vm {

#define HILSIM_VM_OPCODES(X)                                                        \
  X(NOP, 0, "do nothing")                                                           \
  X(LOAD_CONST, 1, "push K[A]")                                                     \
  X(LOAD_NONE, 1, "push None")                                                      \
  X(LOAD_TRUE, 1, "push True")                                                      \
  X(LOAD_FALSE, 1, "push False")                                                    \
  X(LOAD_INT, 1, "push A-0x800000 as int")                                          \
  X(LOAD_FAST, 1, "push R[A] (UnboundLocalError if unset)")                         \
  X(STORE_FAST, -1, "R[A] = pop")                                                   \
  X(DELETE_FAST, 0, "unset R[A]")                                                   \
  X(LOAD_UPVAL, 1, "push upvalue A")                                                \
  X(STORE_UPVAL, -1, "upvalue A = pop")                                             \
  X(LOAD_GLOBAL, 1, "push global K[A], else builtin K[A]")                          \
  X(STORE_GLOBAL, -1, "global K[A] = pop")                                          \
  X(DELETE_GLOBAL, 0, "delete global K[A]")                                         \
  X(LOAD_CLSNAME, 1, "push class R[A>>12] attr K[A&0xfff], else global")            \
  X(STORE_CLSNAME, -1, "class R[A>>12] attr K[A&0xfff] = pop")                      \
  X(LOAD_ATTR, 0, "TOS = TOS.K[A]")                                                 \
  X(STORE_ATTR, -2, "obj=pop; val=pop; obj.K[A] = val")                             \
  X(DELETE_ATTR, -1, "del pop().K[A]")                                              \
  X(LOAD_METHOD, 1, "obj -> fn self (or Undef callable)")                           \
  X(SUBSCR, -1, "key=pop; TOS = TOS[key]")                                          \
  X(STORE_SUBSCR, -3, "key,obj,val = pop3; obj[key] = val")                         \
  X(DELETE_SUBSCR, -2, "key,obj = pop2; del obj[key]")                              \
  X(BUILD_SLICE, -2, "3 values -> slice")                                           \
  X(ADD, -1, "a+b")                                                                 \
  X(SUB, -1, "a-b")                                                                 \
  X(MUL, -1, "a*b")                                                                 \
  X(TRUEDIV, -1, "a/b")                                                             \
  X(FLOORDIV, -1, "a//b")                                                           \
  X(MOD, -1, "a%b")                                                                 \
  X(POW, -1, "a**b")                                                                \
  X(LSHIFT, -1, "a<<b")                                                             \
  X(RSHIFT, -1, "a>>b")                                                             \
  X(BAND, -1, "a&b")                                                                \
  X(BOR, -1, "a|b")                                                                 \
  X(BXOR, -1, "a^b")                                                                \
  X(IADD, -1, "a+=b (lists extend in place)")                                       \
  X(EQ, -1, "a==b")                                                                 \
  X(NE, -1, "a!=b")                                                                 \
  X(LT, -1, "a<b")                                                                  \
  X(LE, -1, "a<=b")                                                                 \
  X(GT, -1, "a>b")                                                                  \
  X(GE, -1, "a>=b")                                                                 \
  X(IS, -1, "a is b")                                                               \
  X(IS_NOT, -1, "a is not b")                                                       \
  X(IN, -1, "a in b")                                                               \
  X(NOT_IN, -1, "a not in b")                                                       \
  X(NEG, 0, "-a")                                                                   \
  X(POS, 0, "+a")                                                                   \
  X(NOT, 0, "not a")                                                                \
  X(INVERT, 0, "~a")                                                                \
  X(JUMP, 0, "pc = A")                                                              \
  X(POP_JUMP_IF_FALSE, -1, "if not pop: pc = A")                                    \
  X(POP_JUMP_IF_TRUE, -1, "if pop: pc = A")                                         \
  X(JUMP_IF_FALSE_OR_POP, -1, "if not TOS: pc = A else pop")                        \
  X(JUMP_IF_TRUE_OR_POP, -1, "if TOS: pc = A else pop")                             \
  X(POP, -1, "pop")                                                                 \
  X(DUP, 1, "push TOS")                                                             \
  X(DUP2, 2, "push TOS1 TOS")                                                       \
  X(ROT2, 0, "swap TOS TOS1")                                                       \
  X(ROT3, 0, "move TOS below TOS2")                                                 \
  X(BUILD_LIST, -99, "pop A items -> list")                                         \
  X(BUILD_TUPLE, -99, "pop A items -> tuple")                                       \
  X(BUILD_DICT, -99, "pop 2A items -> dict")                                        \
  X(BUILD_STRING, -99, "pop A strings -> concatenation")                            \
  X(LIST_APPEND, -1, "v=pop; stack[-A].append(v)")                                  \
  X(DICT_SET, -2, "v=pop; k=pop; stack[-A][k] = v")                                 \
  X(UNPACK, -99, "pop sequence, push its A items (first on top)")                   \
  X(GET_ITER, 0, "TOS = iter(TOS)")                                                 \
  X(FOR_ITER, 1, "push next(TOS), or pop iterator and pc = A")                      \
  X(MAKE_FUNC, 1, "closure of proto A (pops defaults tuple if it has defaults)")     \
  X(MAKE_CLASS, 0, "base=pop -> class named K[A]")                                 \
  X(CALL, -99, "call with A positional args")                                       \
  X(CALL_KW, -99, "call: A&255 args, A>>8 keyword args, names tuple on top")        \
  X(CALL_EX, -99, "call f(*args, **kw): A=1 has kw dict")                           \
  X(CALL_METHOD, -99, "call after LOAD_METHOD with A args")                         \
  X(RETURN, -1, "return pop")                                                       \
  X(SETUP_TRY, 0, "push handler at A")                                              \
  X(POP_TRY, 0, "pop handler")                                                      \
  X(RAISE, -99, "A=1: raise pop; A=0: bare raise (not used)")                       \
  X(RERAISE, -1, "re-raise pop, keeping its traceback line")                        \
  X(EXC_MATCH, -1, "cls=pop; TOS=isinstance(TOS,cls)")                               \
  X(IMPORT, 1, "push module K[A]")                                                  \
  X(IMPORT_FROM, 1, "push TOS.K[A] (module stays)")                                 \
  X(FORMAT, -99, "f-string field: A&3 conv(0 str,1 repr), A&4 spec on top")          \
  X(SUPER, 1, "push super(owner, R[0])")                                            \
  X(LOAD_EXC, 1, "push built-in exception class A")                                 \
  X(FOR_RANGE, 1, "like FOR_ITER (accepted in bytecode, not emitted)")

enum Op : uint8_t {
#define X(name, eff, doc) OP_##name,
  HILSIM_VM_OPCODES(X)
#undef X
  OP_COUNT
};

inline uint32_t ins(Op op, uint32_t a = 0) { return static_cast<uint32_t>(op) | (a << 8); }
inline Op ins_op(uint32_t i) { return static_cast<Op>(i & 0xff); }
inline uint32_t ins_a(uint32_t i) { return i >> 8; }
constexpr uint32_t kIntBias = 0x800000;

const char* op_name(Op op);  // host/host.cpp (host tools only)

}  // namespace hilsim::vm
