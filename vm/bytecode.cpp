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
  void bytes(const void* d, size_t k) {
    if (n + k > cap) { ok = false; return; }
    __builtin_memcpy(p + n, d, k);
    n += k;
  }
  void u8(uint8_t v) { bytes(&v, 1); }
  void u16(uint16_t v) { uint8_t b[2] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)}; bytes(b, 2); }
  void u32(uint32_t v) { u16(static_cast<uint16_t>(v)); u16(static_cast<uint16_t>(v >> 16)); }
  void u64(uint64_t v) { u32(static_cast<uint32_t>(v)); u32(static_cast<uint32_t>(v >> 32)); }
  void str(Str* s) { u32(s->len); bytes(s->data, s->len); }
};

enum : uint8_t { K_NONE, K_TRUE, K_FALSE, K_INT, K_FLOAT, K_STR, K_BYTES, K_TUPLE };

bool write_value(W& w, const Value& v) {
  switch (v.tag) {
    case T::None: w.u8(K_NONE); return true;
    case T::Bool: w.u8(v.b ? K_TRUE : K_FALSE); return true;
    case T::Int: w.u8(K_INT); w.u64(static_cast<uint64_t>(v.i)); return true;
    case T::Float: { uint64_t b; __builtin_memcpy(&b, &v.f, 8); w.u8(K_FLOAT); w.u64(b); return true; }
    case T::Str: w.u8(K_STR); w.str(as<Str>(v)); return true;
    case T::Bytes: w.u8(K_BYTES); w.str(as<Str>(v)); return true;
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
  w.u16(p->nparams); w.u16(p->ndefaults); w.u16(p->nlocals); w.u16(p->maxstack);
  w.u16(p->pflags); w.u16(p->nupvals);
  uint32_t nnames = p->params ? p->nnames : 0;
  w.u32(nnames);
  for (uint32_t i = 0; i < nnames; i++) {
    if (p->params[i]) w.str(p->params[i]);
    else w.u32(0);  // hidden register: empty name
  }
  w.u32(p->ncode);
  for (uint32_t i = 0; i < p->ncode; i++) w.u32(p->code[i]);
  w.u32(p->nconsts);
  for (uint32_t i = 0; i < p->nconsts; i++) if (!write_value(w, p->consts[i])) return false;
  for (uint32_t i = 0; i < p->nupvals; i++) { w.u8(p->upvals[i].from_parent_local); w.u16(p->upvals[i].index); }
  w.u32(p->nlines);
  for (uint32_t i = 0; i < p->nlines; i++) { w.u32(p->lines[i].pc); w.u32(p->lines[i].line); }
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
  bool need(size_t k) { if (!ok || at + k > n) { ok = false; return false; } return true; }
  uint8_t u8() { if (!need(1)) return 0; return p[at++]; }
  uint16_t u16() { if (!need(2)) return 0; uint16_t v = static_cast<uint16_t>(p[at] | (p[at + 1] << 8)); at += 2; return v; }
  uint32_t u32() { uint32_t lo = u16(); return lo | (static_cast<uint32_t>(u16()) << 16); }
  uint64_t u64() { uint64_t lo = u32(); return lo | (static_cast<uint64_t>(u32()) << 32); }
  Str* str(T type) {
    uint32_t len = u32();
    if (!need(len)) return nullptr;
    Str* s = type == T::Str ? str_new(vm, reinterpret_cast<const char*>(p + at), len)
                            : bytes_new(vm, reinterpret_cast<const char*>(p + at), len);
    at += len;
    if (!s) ok = false;
    return s;
  }
};

bool read_value(R& r, Value* out, int depth) {
  uint8_t k = r.u8();
  switch (k) {
    case K_NONE: *out = mk_none(); return r.ok;
    case K_TRUE: *out = mk_bool(true); return r.ok;
    case K_FALSE: *out = mk_bool(false); return r.ok;
    case K_INT: *out = mk_int(static_cast<int64_t>(r.u64())); return r.ok;
    case K_FLOAT: { uint64_t b = r.u64(); double d; __builtin_memcpy(&d, &b, 8); *out = mk_float(d); return r.ok; }
    case K_STR: case K_BYTES: {
      Str* s = r.str(k == K_STR ? T::Str : T::Bytes);
      if (!s) return false;
      *out = mk_obj(s);
      return true;
    }
    case K_TUPLE: {
      uint32_t n = r.u32();
      if (!r.ok || depth > 4 || n > r.n - r.at) return false;
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
}

template <class E>
E* alloc_arr(VM* vm, uint32_t n) {
  return static_cast<E*>(heap_alloc(vm->heap, (n ? n : 1) * sizeof(E)));
}

bool read_proto(R& r, Proto** out, int depth, Str* source) {
  if (depth > 32) return false;
  VM* vm = r.vm;
  Proto* p = static_cast<Proto*>(gc_new(vm, T::Proto, sizeof(Proto)));
  if (!p) return r.ok = false;
  __builtin_memset(reinterpret_cast<char*>(p) + sizeof(Obj), 0, sizeof(Proto) - sizeof(Obj));
  if (vm->ncompiling >= 24) return false;
  vm->compiling[vm->ncompiling++] = p;  // rooted while loading
  *out = p;
  p->source_name = source;
  p->name = r.str(T::Str);
  if (!p->name) return false;
  p->nparams = r.u16(); p->ndefaults = r.u16(); p->nlocals = r.u16(); p->maxstack = r.u16();
  p->pflags = r.u16(); p->nupvals = r.u16();
  uint32_t nnames = r.u32();
  uint32_t expect = p->nparams + ((p->pflags & kProtoVarargs) ? 1 : 0) + ((p->pflags & kProtoKwargs) ? 1 : 0);
  if (!r.ok || nnames < expect || nnames > p->nlocals || p->ndefaults > p->nparams || expect > p->nlocals ||
      p->nupvals > 64 || (p->pflags & ~7u))
    return false;
  p->params = alloc_arr<Str*>(vm, nnames);
  if (!p->params) return false;
  for (uint32_t i = 0; i < nnames; i++) { p->params[i] = nullptr; }
  p->nnames = static_cast<uint16_t>(nnames);
  for (uint32_t i = 0; i < nnames; i++) {
    Str* nm = r.str(T::Str);
    if (!nm) return false;
    if (nm->len == 0 && i >= expect) nm = nullptr;  // hidden register
    else if (nm->len == 0) return false;           // parameters need names
    p->params[i] = nm;
  }
  uint32_t ncode = r.u32();
  if (!r.ok || ncode == 0 || ncode > (r.n - r.at) / 4) return false;
  p->code = alloc_arr<uint32_t>(vm, ncode);
  if (!p->code) return false;
  p->ncode = ncode;
  for (uint32_t i = 0; i < ncode; i++) p->code[i] = r.u32();
  uint32_t nconsts = r.u32();
  if (!r.ok || nconsts > r.n - r.at) return false;
  p->consts = alloc_arr<Value>(vm, nconsts);
  if (!p->consts) return false;
  for (uint32_t i = 0; i < nconsts; i++) {
    p->consts[i] = mk_none();
    p->nconsts = i + 1;
    if (!read_value(r, &p->consts[i], 0)) return false;
  }
  p->upvals = alloc_arr<UpvalDesc>(vm, p->nupvals);
  if (!p->upvals) return false;
  for (uint32_t i = 0; i < p->nupvals; i++) { p->upvals[i].from_parent_local = r.u8(); p->upvals[i].index = r.u16(); }
  uint32_t nlines = r.u32();
  if (!r.ok || nlines > (r.n - r.at) / 8) return false;
  p->lines = alloc_arr<LineRun>(vm, nlines);
  if (!p->lines) return false;
  p->nlines = nlines;
  for (uint32_t i = 0; i < nlines; i++) { p->lines[i].pc = r.u32(); p->lines[i].line = r.u32(); }
  uint32_t nprotos = r.u32();
  if (!r.ok || nprotos > r.n - r.at) return false;
  p->protos = alloc_arr<Proto*>(vm, nprotos);
  if (!p->protos) return false;
  for (uint32_t i = 0; i < nprotos; i++) {
    Proto* c;
    if (!read_proto(r, &c, depth + 1, source)) return false;
    vm->ncompiling--;
    p->protos[i] = c;
    p->nprotos = i + 1;
    // child upvalue descriptors refer to this proto's registers / upvalues
    for (uint32_t k = 0; k < c->nupvals; k++) {
      const UpvalDesc& d = c->upvals[k];
      if (d.from_parent_local ? d.index >= p->nlocals : d.index >= p->nupvals) return false;
    }
  }
  return r.ok;
}
}  // namespace

// Checks one proto's code; see the file comment. Also used on compiler output in tests.
bool verify_code(Proto* p, int16_t* depth, uint32_t* work);

bool verify_proto(VM* vm, Proto* p) {
  uint32_t n = p->ncode;
  if (n == 0 || n > 0xffffff) return false;
  if (p->nlocals > 4096) return false;
  // depth per pc, -1 = not yet reached; kept in a small fixed work list
  if (n > 0xffff || p->maxstack > 0x7fff) return false;
  int16_t* depth = static_cast<int16_t*>(heap_alloc(vm->heap, n * (sizeof(int16_t) + sizeof(uint32_t))));
  if (!depth) return false;
  uint32_t* work = reinterpret_cast<uint32_t*>(depth + n + (n & 1));
  bool result = verify_code(p, depth, work);
  heap_free(vm->heap, depth);
  if (!result) return false;
  for (uint32_t i = 0; i < p->nprotos; i++) if (!verify_proto(vm, p->protos[i])) return false;
  return true;
}

bool verify_code(Proto* p, int16_t* depth, uint32_t* work) {
  uint32_t n = p->ncode;
  for (uint32_t i = 0; i < n; i++) depth[i] = -1;
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
      int pops = 0;  // items that must be present
      bool ends = false;
      int64_t jump = -1;
      int jump_depth = 0;
      switch (op) {
        case OP_LOAD_CONST: if (a >= p->nconsts) return false; break;
        case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST: if (a >= p->nlocals) return false; break;
        case OP_LOAD_UPVAL: case OP_STORE_UPVAL: if (a >= p->nupvals) return false; break;
        case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL: case OP_LOAD_ATTR: case OP_STORE_ATTR:
        case OP_DELETE_ATTR: case OP_LOAD_METHOD: case OP_MAKE_CLASS: case OP_IMPORT: case OP_IMPORT_FROM:
          if (!is_str(a)) return false;
          break;
        case OP_LOAD_CLSNAME: case OP_STORE_CLSNAME:
          if (!is_str(a & 0xfff) || (a >> 12) >= p->nlocals) return false;
          break;
        case OP_JUMP: jump = a; jump_depth = d; ends = true; break;
        case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE: jump = a; jump_depth = d - 1; break;
        case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: jump = a; jump_depth = d; pops = 1; break;
        case OP_FOR_ITER: case OP_FOR_RANGE: jump = a; jump_depth = d - 1; pops = 1; break;
        case OP_SETUP_TRY: jump = a; jump_depth = d + 1; break;
        case OP_BUILD_LIST: case OP_BUILD_TUPLE: case OP_BUILD_STRING: eff = 1 - static_cast<int>(a); pops = static_cast<int>(a); break;
        case OP_BUILD_DICT: eff = 1 - 2 * static_cast<int>(a); pops = 2 * static_cast<int>(a); break;
        case OP_UNPACK: eff = static_cast<int>(a) - 1; pops = 1; break;
        case OP_LIST_APPEND: pops = static_cast<int>(a) + 1; break;
        case OP_DICT_SET: pops = static_cast<int>(a) + 2; break;
        case OP_MAKE_FUNC:
          if (a >= p->nprotos) return false;
          eff = p->protos[a]->ndefaults ? 0 : 1;
          break;
        case OP_CALL: eff = -static_cast<int>(a); pops = static_cast<int>(a) + 1; break;
        case OP_CALL_METHOD: eff = -static_cast<int>(a) - 1; pops = static_cast<int>(a) + 2; break;
        case OP_CALL_KW: {
          int np = a & 0xff, nk = (a >> 8) & 0xff, m = (a >> 16) & 1;
          if (a >> 17) return false;
          eff = -(np + nk + 1 + m);
          pops = np + nk + 2 + m;
          break;
        }
        case OP_CALL_EX: {
          int kw = a & 1, m = (a >> 1) & 1;
          if (a > 3) return false;
          eff = -1 - kw - m;
          pops = 2 + kw + m;
          break;
        }
        case OP_RAISE: if (a > 1) return false; eff = -static_cast<int>(a); pops = static_cast<int>(a); ends = true; break;
        case OP_RERAISE: case OP_RETURN: pops = 1; ends = true; break;
        case OP_FORMAT: if (a > 7) return false; eff = (a & 4) ? -1 : 0; pops = (a & 4) ? 2 : 1; break;
        case OP_LOAD_EXC: if (a >= static_cast<uint32_t>(Exc::Count)) return false; break;
        default: break;
      }
      switch (op) {
        case OP_DUP: case OP_GET_ITER: case OP_LOAD_ATTR: case OP_LOAD_METHOD: case OP_NEG: case OP_POS:
        case OP_NOT: case OP_INVERT: case OP_IMPORT_FROM: case OP_MAKE_CLASS: pops = 1; break;
        case OP_DUP2: case OP_ROT2: pops = 2; break;
        case OP_ROT3: case OP_BUILD_SLICE: pops = 3; break;
        case OP_MAKE_FUNC: pops = p->protos[a]->ndefaults ? 1 : 0; break;
        default:
          if ((op >= OP_ADD && op <= OP_NOT_IN) || op == OP_SUBSCR) pops = 2;
          break;
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
  if (cap < 16) return raise(vm, Exc::ValueError, "bytecode buffer too small");
  W w{out + 16, cap - 16, 0, true};
  if (!write_proto(w, p, 0)) return raise(vm, Exc::ValueError, "bytecode buffer too small");
  W h{out, 16, 0, true};
  h.bytes("HPYC", 4);
  h.u16(kBytecodeVersion);
  h.u16(0);
  h.u32(static_cast<uint32_t>(w.n));
  h.u32(crc32(out + 16, w.n));
  *out_len = 16 + w.n;
  return Status::Ok;
}

Status load_bytecode(VM* vm, const uint8_t* data, size_t len, Proto** out) {
  if (len < 16 || __builtin_memcmp(data, "HPYC", 4) != 0) return raise(vm, Exc::ValueError, "not a bytecode file");
  uint16_t ver = static_cast<uint16_t>(data[4] | (data[5] << 8));
  if (ver != kBytecodeVersion) return raise(vm, Exc::ValueError, "unsupported bytecode version %d", ver);
  if (data[6] || data[7]) return raise(vm, Exc::ValueError, "unsupported bytecode flags");
  uint32_t plen = data[8] | (data[9] << 8) | (data[10] << 16) | (static_cast<uint32_t>(data[11]) << 24);
  uint32_t crc = data[12] | (data[13] << 8) | (data[14] << 16) | (static_cast<uint32_t>(data[15]) << 24);
  if (plen != len - 16) return raise(vm, Exc::ValueError, "bytecode length mismatch");
  if (crc32(data + 16, plen) != crc) return raise(vm, Exc::ValueError, "bytecode checksum mismatch");
  int saved = vm->ncompiling;
  Str* src = str_intern(vm, "<bytecode>", 10);
  if (!src) return Status::Memory;
  push_root(vm, mk_obj(src));
  R r{vm, data + 16, plen, 0, true};
  Proto* p = nullptr;
  bool ok = read_proto(r, &p, 0, src) && r.at == plen;
  bool mem = !r.ok && vm_error_is_memory(vm);
  vm->ncompiling = saved;
  pop_roots(vm, 1);
  if (mem) return Status::Memory;
  if (!ok || !verify_proto(vm, p)) return raise(vm, Exc::ValueError, "malformed bytecode");
  *out = p;
  return Status::Ok;
}

}  // namespace hilsim::vm

// Exposed for tests that re-seal mutated bytecode.
uint32_t crc32_for_tests(const uint8_t* p, size_t n) { return hilsim::vm::crc32(p, n); }
