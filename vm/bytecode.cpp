// Precompiled bytecode: serialisation of a Proto tree, loading with full validation,
// and the verifier that makes malformed bytecode an error instead of a crash.
// Format (little-endian), see README.md "Bytecode format":
//   header  "HPYC" | u16 version | u16 flags(0) | u32 payload length | u32 CRC-32(payload)
//   payload proto tree, depth-first. The verifier checks operand ranges, constant types
//   and, by abstract interpretation over all paths, a consistent stack depth <= maxstack.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

constexpr uint16_t kBytecodeVersion = 1;
// code words and line runs are copied as they are in memory
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "bytecode I/O assumes a little-endian target");
static_assert(sizeof(LineRun) == 8, "LineRun: u32 pc, u32 line");
extern const int8_t kOpEffect[];

uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

namespace {
// ---- writer ----
struct W {
  uint8_t* p;
  size_t cap, n;
  bool ok;
  __attribute__((noinline)) void bytes(const void* d, size_t k) {
    if (n + k > cap) { ok = false; return; }
    if (k) __builtin_memcpy(p + n, d, k);
    n += k;
  }
  __attribute__((noinline)) void put(uint64_t v, int k) {  // k bytes, little-endian
    uint8_t b[8];
    for (int i = 0; i < k; i++, v >>= 8) b[i] = static_cast<uint8_t>(v);
    bytes(b, k);
  }
  void u8(uint32_t v) { put(v, 1); }
  void u16(uint32_t v) { put(v, 2); }
  void u32(uint32_t v) { put(v, 4); }
  void str(Str* s) {
    u32(s->len);
    bytes(s->data, s->len);
  }
};

enum : uint8_t { K_NONE, K_TRUE, K_FALSE, K_INT, K_FLOAT, K_STR, K_BYTES, K_TUPLE };

bool write_value(W& w, const Value& v) {
  switch (v.tag) {
    case T::None: w.u8(K_NONE); return true;
    case T::Bool: w.u8(v.b ? K_TRUE : K_FALSE); return true;
    case T::Int: case T::Float: w.u8(v.tag == T::Int ? K_INT : K_FLOAT); w.put(static_cast<uint64_t>(v.i), 8); return true;
    case T::Str: case T::Bytes: w.u8(v.tag == T::Str ? K_STR : K_BYTES); w.str(as<Str>(v)); return true;
    case T::Tuple: {
      Tuple* t = as<Tuple>(v);
      w.u8(K_TUPLE);
      w.u32(t->len);
      for (uint32_t i = 0; i < t->len; i++) if (!write_value(w, t->items[i])) return false;
      return true;
    }
    default: return false;
  }
}

bool write_proto(W& w, Proto* p, int depth) {
  if (depth > 32) return false;
  w.str(p->name);
  for (int i = 0; i < 6; i++) w.u16((&p->nparams)[i]);
  uint32_t nnames = p->params ? p->nnames : 0;
  w.u32(nnames);
  for (uint32_t i = 0; i < nnames; i++) {
    if (p->params[i]) w.str(p->params[i]);
    else w.u32(0);  // hidden register: empty name
  }
  w.u32(p->ncode);
  w.bytes(p->code, p->ncode * 4);  // little-endian targets only (static_assert below)
  w.u32(p->nconsts);
  for (uint32_t i = 0; i < p->nconsts; i++) if (!write_value(w, p->consts[i])) return false;
  for (uint32_t i = 0; i < p->nupvals; i++) { w.u8(p->upvals[i].from_parent_local); w.u16(p->upvals[i].index); }
  w.u32(p->nlines);
  w.bytes(p->lines, p->nlines * sizeof(LineRun));
  w.u32(p->nprotos);
  for (uint32_t i = 0; i < p->nprotos; i++) if (!write_proto(w, p->protos[i], depth + 1)) return false;
  return w.ok;
}

// ---- reader ----
struct R {
  VM* vm;
  const uint8_t* p;
  size_t n, at;
  bool ok;
  bool need(size_t k) {
    if (!ok || at + k > n) ok = false;
    return ok;
  }
  __attribute__((noinline)) uint64_t get(int k) {  // k bytes, little-endian; 0 past the end
    uint64_t v = 0;
    if (!need(k)) return 0;
    for (int i = k; i-- > 0;) v = (v << 8) | p[at + i];
    at += k;
    return v;
  }
  void bytes(void* d, size_t k) {  // raw little-endian words
    if (!need(k)) return;
    __builtin_memcpy(d, p + at, k);
    at += k;
  }
  uint8_t u8() { return static_cast<uint8_t>(get(1)); }
  uint16_t u16() { return static_cast<uint16_t>(get(2)); }
  uint32_t u32() { return static_cast<uint32_t>(get(4)); }
  Str* str(T type) {
    uint32_t len = u32();
    if (!need(len)) return nullptr;
    const char* s = reinterpret_cast<const char*>(p + at);
    Str* o = type == T::Str ? str_new(vm, s, len) : bytes_new(vm, s, len);
    at += len;
    if (!o) ok = false;
    return o;
  }
  // count of items of `size` bytes that must still fit in the input
  bool fits(uint32_t count, size_t size) { return ok && count <= (n - at) / size; }
};

bool read_value(R& r, Value* out, int depth) {
  uint8_t k = r.u8();
  switch (k) {
    case K_NONE: *out = mk_none(); break;
    case K_TRUE: case K_FALSE: *out = mk_bool(k == K_TRUE); break;
    case K_INT: case K_FLOAT: *out = mk_int(static_cast<int64_t>(r.get(8))); if (k == K_FLOAT) out->tag = T::Float; break;
    case K_STR: case K_BYTES: {
      Str* s = r.str(k == K_STR ? T::Str : T::Bytes);
      if (!s) return false;
      *out = mk_obj(s);
      return true;
    }
    case K_TUPLE: {
      uint32_t n = r.u32();
      if (!r.fits(n, 1) || depth > 4) return false;
      Tuple* t = tuple_new(r.vm, n);
      if (!t) return r.ok = false;
      *out = mk_obj(t);
      push_root(r.vm, *out);
      bool ok = true;
      for (uint32_t i = 0; i < n && ok; i++) ok = read_value(r, &t->items[i], depth + 1);
      pop_roots(r.vm, 1);
      return ok;
    }
    default: return r.ok = false;
  }
  return r.ok;
}

void* alloc_arr(VM* vm, uint32_t n, size_t size) { return heap_alloc(vm->heap, (n ? n : 1) * size); }

bool read_proto(R& r, Proto** out, int depth, Str* source) {
  if (depth > 32) return false;
  VM* vm = r.vm;
  Proto* p = static_cast<Proto*>(gc_new(vm, T::Proto, sizeof(Proto)));
  if (!p) return r.ok = false;
  __builtin_memset(reinterpret_cast<char*>(p) + sizeof(Obj), 0, sizeof(Proto) - sizeof(Obj));
  if (vm->ncompiling >= 24) return false;
  vm->ncompiling++;
  push_root(vm, mk_obj(p));  // rooted while loading (until attached to its parent)
  *out = p;
  p->source_name = source;
  if (!(p->name = r.str(T::Str))) return false;
  for (int i = 0; i < 6; i++) (&p->nparams)[i] = r.u16();
  uint32_t nnames = r.u32();
  uint32_t expect = p->nparams + ((p->pflags & kProtoVarargs) ? 1 : 0) + ((p->pflags & kProtoKwargs) ? 1 : 0);
  if (!r.ok || nnames < expect || nnames > p->nlocals || p->ndefaults > p->nparams || expect > p->nlocals ||
      p->nupvals > 64 || (p->pflags & ~7u))
    return false;
  if (!(p->params = static_cast<Str**>(alloc_arr(vm, nnames, sizeof(Str*))))) return false;
  p->nnames = static_cast<uint16_t>(nnames);
  __builtin_memset(p->params, 0, nnames * sizeof(Str*));
  for (uint32_t i = 0; i < nnames; i++) {
    Str* nm = r.str(T::Str);
    if (!nm) return false;
    if (nm->len == 0) {
      if (i < expect) return false;  // parameters need names
      nm = nullptr;                  // hidden register
    }
    p->params[i] = nm;
  }
  uint32_t ncode = r.u32();
  if (!r.fits(ncode, 4) || ncode == 0 || !(p->code = static_cast<uint32_t*>(alloc_arr(vm, ncode, 4)))) return false;
  p->ncode = ncode;
  r.bytes(p->code, ncode * 4);
  uint32_t nconsts = r.u32();
  if (!r.fits(nconsts, 1) || !(p->consts = static_cast<Value*>(alloc_arr(vm, nconsts, sizeof(Value))))) return false;
  for (uint32_t i = 0; i < nconsts; i++) {
    p->consts[i] = mk_none();
    p->nconsts = i + 1;
    if (!read_value(r, &p->consts[i], 0)) return false;
  }
  if (!(p->upvals = static_cast<UpvalDesc*>(alloc_arr(vm, p->nupvals, sizeof(UpvalDesc))))) return false;
  for (uint32_t i = 0; i < p->nupvals; i++) { p->upvals[i].from_parent_local = r.u8(); p->upvals[i].index = r.u16(); }
  uint32_t nlines = r.u32();
  if (!r.fits(nlines, 8) || !(p->lines = static_cast<LineRun*>(alloc_arr(vm, nlines, sizeof(LineRun))))) return false;
  p->nlines = nlines;
  r.bytes(p->lines, nlines * sizeof(LineRun));
  uint32_t nprotos = r.u32();
  if (!r.fits(nprotos, 1) || !(p->protos = static_cast<Proto**>(alloc_arr(vm, nprotos, sizeof(Proto*))))) return false;
  for (uint32_t i = 0; i < nprotos; i++) {
    Proto* c;
    if (!read_proto(r, &c, depth + 1, source)) return false;
    vm->ncompiling--;
    pop_roots(vm, 1);
    p->protos[i] = c;
    p->nprotos = i + 1;
    // child upvalue descriptors refer to this proto's registers / upvalues
    for (uint32_t k = 0; k < c->nupvals; k++) {
      const UpvalDesc& d = c->upvals[k];
      if (d.index >= (d.from_parent_local ? p->nlocals : p->nupvals)) return false;
    }
  }
  return r.ok;
}

// Per opcode: stack items it needs beyond those its effect pops (fixed-effect opcodes,
// low 2 bits) and how the verifier checks its operand (Kind, the bits above).
enum Kind : uint8_t {
  V_NONE, V_CONST, V_LOCAL, V_UPVAL, V_NAME, V_CLSNAME, V_JUMP, V_JUMP_POP, V_JUMP_KEEP, V_SETUP_TRY,
  V_BUILD_DICT, V_BUILD, V_UNPACK, V_LIST_APPEND, V_DICT_SET, V_MAKE_FUNC, V_CALL, V_CALL_METHOD,
  V_CALL_KW, V_CALL_EX, V_RAISE, V_ENDS, V_FORMAT, V_LOAD_EXC
};
struct NeedTable {
  uint8_t v[OP_COUNT];
  template <class... O> constexpr void kind(Kind k, O... ops) { ((v[ops] = static_cast<uint8_t>(v[ops] | k << 2)), ...); }
  constexpr NeedTable() : v() {
    for (int op = OP_ADD; op <= OP_NOT_IN; op++) v[op] = 2;
    v[OP_SUBSCR] = v[OP_DUP2] = v[OP_ROT2] = 2;
    v[OP_ROT3] = v[OP_BUILD_SLICE] = 3;
    v[OP_DUP] = v[OP_GET_ITER] = v[OP_LOAD_ATTR] = v[OP_LOAD_METHOD] = v[OP_NEG] = v[OP_POS] = v[OP_NOT] =
        v[OP_INVERT] = v[OP_IMPORT_FROM] = v[OP_MAKE_CLASS] = 1;
    v[OP_JUMP_IF_FALSE_OR_POP] = v[OP_JUMP_IF_TRUE_OR_POP] = v[OP_FOR_ITER] = v[OP_FOR_RANGE] = 1;
    v[OP_RERAISE] = v[OP_RETURN] = v[OP_UNPACK] = 1;
    kind(V_CONST, OP_LOAD_CONST);
    kind(V_LOCAL, OP_LOAD_FAST, OP_STORE_FAST, OP_DELETE_FAST);
    kind(V_UPVAL, OP_LOAD_UPVAL, OP_STORE_UPVAL);
    kind(V_NAME, OP_LOAD_GLOBAL, OP_STORE_GLOBAL, OP_DELETE_GLOBAL, OP_LOAD_ATTR, OP_STORE_ATTR, OP_DELETE_ATTR,
                  OP_LOAD_METHOD, OP_MAKE_CLASS, OP_IMPORT, OP_IMPORT_FROM);
    kind(V_CLSNAME, OP_LOAD_CLSNAME, OP_STORE_CLSNAME);
    kind(V_JUMP, OP_JUMP);
    kind(V_JUMP_POP, OP_POP_JUMP_IF_FALSE, OP_POP_JUMP_IF_TRUE, OP_FOR_ITER, OP_FOR_RANGE);
    kind(V_JUMP_KEEP, OP_JUMP_IF_FALSE_OR_POP, OP_JUMP_IF_TRUE_OR_POP);
    kind(V_SETUP_TRY, OP_SETUP_TRY);
    kind(V_BUILD_DICT, OP_BUILD_DICT);
    kind(V_BUILD, OP_BUILD_LIST, OP_BUILD_TUPLE, OP_BUILD_STRING);
    kind(V_UNPACK, OP_UNPACK);
    kind(V_LIST_APPEND, OP_LIST_APPEND);
    kind(V_DICT_SET, OP_DICT_SET);
    kind(V_MAKE_FUNC, OP_MAKE_FUNC);
    kind(V_CALL, OP_CALL);
    kind(V_CALL_METHOD, OP_CALL_METHOD);
    kind(V_CALL_KW, OP_CALL_KW);
    kind(V_CALL_EX, OP_CALL_EX);
    kind(V_RAISE, OP_RAISE);
    kind(V_ENDS, OP_RERAISE, OP_RETURN);
    kind(V_FORMAT, OP_FORMAT);
    kind(V_LOAD_EXC, OP_LOAD_EXC);
  }
};
constexpr NeedTable kNeed;
}  // namespace

// Checks one proto's code; see the file comment. Also used on compiler output in tests.
bool verify_code(Proto* p, int16_t* depth, uint32_t* work);

bool verify_proto(VM* vm, Proto* p) {
  uint32_t n = p->ncode;
  // depth per pc, -1 = not yet reached; kept in a small fixed work list
  if (n == 0 || n > 0xffff || p->nlocals > 4096 || p->maxstack > 0x7fff) return false;
  int16_t* depth = static_cast<int16_t*>(heap_alloc(vm->heap, n * (sizeof(int16_t) + sizeof(uint32_t))));
  if (!depth) return false;
  uint32_t* work = reinterpret_cast<uint32_t*>(depth + n + (n & 1));
  bool result = verify_code(p, depth, work);
  heap_free(vm->heap, depth);
  for (uint32_t i = 0; i < p->nprotos && result; i++) result = verify_proto(vm, p->protos[i]);
  return result;
}

bool verify_code(Proto* p, int16_t* depth, uint32_t* work) {
  uint32_t n = p->ncode;
  __builtin_memset(depth, 0xff, n * sizeof(int16_t));  // -1: not reached
  uint32_t nw = 0;
  depth[0] = 0;
  work[nw++] = 0;
  auto is_str = [&](uint32_t k) { return k < p->nconsts && p->consts[k].tag == T::Str; };
  while (nw) {
    uint32_t pc = work[--nw];
    int d = depth[pc];
    for (;;) {
      uint32_t ins_ = p->code[pc];
      uint32_t op = ins_ & 0xff, a = ins_ >> 8;
      if (op >= OP_COUNT) return false;
      int eff = kOpEffect[op];
      int pops = kNeed.v[op] & 3;  // items that must be present
      bool ends = false;
      int64_t jump = -1;
      int jump_depth = d;
      int ia = static_cast<int>(a);
      switch (kNeed.v[op] >> 2) {
        case V_CONST: if (a >= p->nconsts) return false; break;
        case V_LOCAL: if (a >= p->nlocals) return false; break;
        case V_UPVAL: if (a >= p->nupvals) return false; break;
        case V_NAME: if (!is_str(a)) return false; break;
        case V_CLSNAME: if (!is_str(a & 0xfff) || (a >> 12) >= p->nlocals) return false; break;
        case V_JUMP: jump = a; ends = true; break;
        case V_JUMP_POP: jump = a; jump_depth = d - 1; break;
        case V_JUMP_KEEP: jump = a; break;
        case V_SETUP_TRY: jump = a; jump_depth = d + 1; break;
        case V_BUILD_DICT: ia *= 2;  // fall through
        case V_BUILD: eff = 1 - ia; pops = ia; break;
        case V_UNPACK: eff = ia - 1; break;
        case V_LIST_APPEND: pops = ia + 1; break;
        case V_DICT_SET: pops = ia + 2; break;
        case V_MAKE_FUNC:
          if (a >= p->nprotos) return false;
          pops = p->protos[a]->ndefaults ? 1 : 0;
          eff = 1 - pops;
          break;
        case V_CALL: eff = -ia; pops = ia + 1; break;
        case V_CALL_METHOD: eff = -ia - 1; pops = ia + 2; break;
        case V_CALL_KW: {
          int np = a & 0xff, nk = (a >> 8) & 0xff, m = (a >> 16) & 1;
          if (a >> 17) return false;
          eff = -(np + nk + 1 + m);
          pops = np + nk + 2 + m;
          break;
        }
        case V_CALL_EX: {
          int kw = a & 1, m = (a >> 1) & 1;
          if (a > 3) return false;
          eff = -1 - kw - m;
          pops = 2 + kw + m;
          break;
        }
        case V_RAISE: if (a > 1) return false; eff = -ia; ends = true; break;
        case V_ENDS: ends = true; break;
        case V_FORMAT: if (a > 7) return false; eff = (a & 4) ? -1 : 0; pops = (a & 4) ? 2 : 1; break;
        case V_LOAD_EXC: if (a >= static_cast<uint32_t>(Exc::Count)) return false; break;
        default: break;
      }
      if (eff < 0 && pops < -eff) pops = -eff;
      if (d < pops) return false;
      int nd = d + eff;
      if (nd > p->maxstack || (jump >= 0 && jump_depth > p->maxstack)) return false;
      if (jump >= 0) {
        if (jump >= n) return false;
        if (depth[jump] < 0) { depth[jump] = static_cast<int16_t>(jump_depth); work[nw++] = static_cast<uint32_t>(jump); }
        else if (depth[jump] != jump_depth) return false;
      }
      if (ends) break;
      pc++;
      if (pc >= n) return false;  // fell off the end
      if (depth[pc] >= 0) { if (depth[pc] != nd) return false; break; }
      depth[pc] = static_cast<int16_t>(nd);
      d = nd;
    }
  }
  return true;
}

Status dump_bytecode(VM* vm, Proto* p, uint8_t* out, size_t cap, size_t* out_len) {
  W w{out + 16, cap < 16 ? 0 : cap - 16, 0, cap >= 16};
  if (!w.ok || !write_proto(w, p, 0)) return raise_msg(vm, Exc::ValueError, MSG("bytecode buffer too small"));
  W h{out, 16, 0, true};
  h.bytes("HPYC", 4);
  h.put(kBytecodeVersion, 4);  // version, flags 0
  h.u32(static_cast<uint32_t>(w.n));
  h.u32(crc32(out + 16, w.n));
  *out_len = 16 + w.n;
  return Status::Ok;
}

Status load_bytecode(VM* vm, const uint8_t* data, size_t len, Proto** out) {
  if (len < 16 || __builtin_memcmp(data, "HPYC", 4) != 0) return raise_msg(vm, Exc::ValueError, MSG("not a bytecode file"));
  R hr{vm, data, len, 4, true};
  uint32_t ver = hr.u16(), flags = hr.u16(), plen = hr.u32(), crc = hr.u32();
  if (ver != kBytecodeVersion) return raise_msg(vm, Exc::ValueError, MSG("unsupported bytecode version %d"), static_cast<int>(ver));
  int err = flags ? MSG("unsupported bytecode flags")
                    : plen != len - 16 ? MSG("bytecode length mismatch")
                    : crc32(data + 16, plen) != crc ? MSG("bytecode checksum mismatch") : -1;
  if (err >= 0) return raise_msg(vm, Exc::ValueError, err);
  int saved = vm->ncompiling;
  Value* saved_sp = vm->sp;
  int saved_overflow = vm->root_overflow;
  Str* src = str_intern(vm, "<bytecode>", 10);
  if (!src) return Status::Memory;
  push_root(vm, mk_obj(src));
  R r{vm, data + 16, plen, 0, true};
  Proto* p = nullptr;
  bool ok = read_proto(r, &p, 0, src) && r.at == plen;
  bool mem = !r.ok && vm_error_is_memory(vm);
  vm->ncompiling = saved;
  vm->sp = saved_sp;
  vm->root_overflow = saved_overflow;
  if (mem) return Status::Memory;
  if (!ok || !verify_proto(vm, p)) return raise_msg(vm, Exc::ValueError, MSG("malformed bytecode"));
  *out = p;
  return Status::Ok;
}

}  // namespace hilsim::vm

// Exposed for tests that re-seal mutated bytecode.
uint32_t crc32_for_tests(const uint8_t* p, size_t n) { return hilsim::vm::crc32(p, n); }
