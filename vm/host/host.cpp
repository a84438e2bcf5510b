// Host helpers: see host.h.
#include "vm/host/host.h"

#include "vm/internal.h"
#include "vm/opcodes.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace hilsim::vm {
// Opcode names for the disassembler (host tools only: not part of the firmware build).
const char* op_name(Op op) {
  static const char* const kNames[] = {
#define X(name, eff, doc) #name,
      HILSIM_VM_OPCODES(X)
#undef X
  };
  return op < OP_COUNT ? kNames[op] : "?";
}
}  // namespace hilsim::vm

namespace hilsim::vm::host {

static void write_sink(void* ud, const char* s, size_t n) {
  auto* h = static_cast<HostVM*>(ud);
  if (h->capture) h->out.append(s, n);
  else fwrite(s, 1, n, stdout);
}

static const char* find_module(void* ud, const char* name, size_t* len) {
  // stored script modules on the host: NAME.py next to the script, else in the cwd
  auto* h = static_cast<HostVM*>(ud);
  std::string file = std::string(name) + ".py";
  if (!(!h->module_dir.empty() && read_file(h->module_dir + "/" + file, &h->module_buf)) &&
      !read_file(file, &h->module_buf))
    return nullptr;
  *len = h->module_buf.size();
  return h->module_buf.c_str();
}

HostVM::HostVM(size_t arena_bytes, bool capture_output, uint32_t stack_slots, uint16_t max_frames)
    : arena(new unsigned char[arena_bytes]), capture(capture_output) {
  Config c;
  c.arena = arena.get();
  c.arena_size = arena_bytes;
  c.stack_slots = stack_slots;
  c.max_frames = max_frames;
  c.write = write_sink;
  c.write_ud = this;
  c.find_module = find_module;
  c.find_module_ud = this;
  vm = create(c);
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

std::string error_text(VM* vm) {
  char buf[2048];
  format_traceback(vm, buf, sizeof buf);
  return buf;
}

static void dis_proto(Proto* p, int indent, std::string* out) {
  std::string pad(indent, ' ');
  char line[160];
  snprintf(line, sizeof line, "%sfunction %s: %u params, %u registers, max stack %u, %u constants\n", pad.c_str(),
           p->name->data, p->nparams, p->nlocals, p->maxstack, p->nconsts);
  *out += line;
  uint32_t li = 0;
  for (uint32_t pc = 0; pc < p->ncode; pc++) {
    while (li + 1 < p->nlines && p->lines[li + 1].pc <= pc) li++;
    uint32_t ins = p->code[pc];
    Op op = ins_op(ins);
    uint32_t a = ins_a(ins);
    std::string note;
    if ((op == OP_LOAD_CONST || op == OP_LOAD_GLOBAL || op == OP_STORE_GLOBAL || op == OP_LOAD_ATTR ||
         op == OP_STORE_ATTR || op == OP_LOAD_METHOD || op == OP_IMPORT || op == OP_IMPORT_FROM) && a < p->nconsts) {
      Value k = p->consts[a];
      if (k.tag == T::Str) note = std::string("'") + as<Str>(k)->data + "'";
      else if (k.tag == T::Int) note = std::to_string(k.i);
    } else if (op == OP_LOAD_INT) {
      note = std::to_string(static_cast<int64_t>(a) - kIntBias);
    } else if ((op == OP_LOAD_FAST || op == OP_STORE_FAST) && a < p->nnames && p->params && p->params[a]) {
      note = p->params[a]->data;
    }
    snprintf(line, sizeof line, "%s%5u %4u  %-20s %-8u %s\n", pad.c_str(), p->nlines ? p->lines[li].line : 0, pc,
             op_name(op), a, note.c_str());
    *out += line;
  }
  for (uint32_t i = 0; i < p->nprotos; i++) dis_proto(p->protos[i], indent + 4, out);
}

bool disassemble(VM* vm, const std::string& src, const std::string& name, std::string* out, std::string* err) {
  Proto* p = nullptr;
  if (compile(vm, src.data(), src.size(), name.c_str(), false, &p) != Status::Ok) {
    Value e = vm->exc;
    Value s;
    *err = "syntax error";
    if (e.tag == T::Instance && to_str(vm, e, &s) == Status::Ok)
      *err = name + ":" + std::to_string(vm->exc_line) + ":" + std::to_string(vm->exc_col) + ": " + as<Str>(s)->data;
    return false;
  }
  dis_proto(p, 0, out);
  return true;
}

}  // namespace hilsim::vm::host
