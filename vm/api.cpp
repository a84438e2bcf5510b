// The embedding API (vm.h): VM creation inside the embedder's arena, native module
// registration and import (native modules and stored script modules), running source
// and bytecode, calling globals, error reporting and the control knobs. Every entry
// point resets the error state and leaves the VM usable after any failure.
#include "vm/internal.h"

namespace hilsim::vm {

Status load_bytecode(VM* vm, const uint8_t* data, size_t len, Proto** out);
Status dump_bytecode(VM* vm, Proto* p, uint8_t* out, size_t cap, size_t* out_len);

namespace {

// Entry points are not re-entrant: a native called by a running script must use
// call_value-style helpers (or the script's exec()), not the embedding API.
// Otherwise: clears the error state and collects if due.
bool enter(VM* vm) {
  if (vm->nframes || vm->c_depth) {
    vm->errmsg = "VM is busy (entry point called from inside a script)";
    return false;
  }
  vm->exc = mk_undef();
  vm->exc_line = vm->exc_col = 0;
  vm->ntb = 0;
  vm->errtype[0] = 0;
  vm->errmsg = "";
  vm->err_str = nullptr;
  gc_check(vm);
  return true;
}

// Copies the pending exception's type name and str() (so the embedder can read them
// after later collections) and unwinds any leftover state.
Status finish(VM* vm, Status st) {
  if (st == Status::Ok) return st;
  vm->nframes = 0;
  vm->nhandlers = 0;
  vm->sp = vm->stack;
  vm->root_overflow = 0;
  vm->ncompiling = 0;
  vm->c_depth = 0;
  vm->scratch.len = 0;
  vm->open_upvals = nullptr;
  Value e = vm->exc;
  const char* tn = "Error";
  if (e.tag == T::Instance) {
    tn = as<Instance>(e)->cls->name->data;
    if (as<Instance>(e)->line) vm->exc_line = as<Instance>(e)->line;
  }
  size_t i = 0;
  for (; tn[i] && i < sizeof(vm->errtype) - 1; i++) vm->errtype[i] = tn[i];
  vm->errtype[i] = 0;
  Value s;
  if (e.tag == T::Instance && st != Status::Memory && to_str(vm, e, &s) == Status::Ok && s.tag == T::Str) {
    vm->err_str = as<Str>(s);
    vm->errmsg = vm->err_str->data;
  }
  vm->exc = e;
  vm->nframes = 0;
  vm->sp = vm->stack;
  if (st == Status::Syntax) return st;
  return vm_error_is_memory(vm) ? Status::Memory : Status::Runtime;
}

Module* new_module(VM* vm, Str* name) {
  Module* m = static_cast<Module*>(gc_new(vm, T::Module, sizeof(Module)));
  if (!m) return nullptr;
  m->name = name;
  m->dict = nullptr;
  push_root(vm, mk_obj(m));
  m->dict = dict_new(vm);
  pop_roots(vm, 1);
  return m->dict ? m : nullptr;
}

// Runs a compiled module proto in `globals` (kept rooted meanwhile).
Status run_proto(VM* vm, Proto* p, Dict* globals, Value* result) {
  push_root(vm, mk_obj(p));
  Value r;
  Status st = exec_proto(vm, p, globals, result ? result : &r);
  pop_roots(vm, 1);
  return st;
}
}  // namespace

VM* create(const Config& cfg) {
  if (!cfg.arena || cfg.arena_size < sizeof(VM) + 4096) return nullptr;
  Heap h;
  heap_init(h, cfg.arena, cfg.arena_size);
  VM* vm = static_cast<VM*>(heap_alloc(h, sizeof(VM)));
  if (!vm) return nullptr;
  __builtin_memset(static_cast<void*>(vm), 0, sizeof(VM));
  vm->heap = h;
  vm->cfg = cfg;
  if (vm->cfg.max_frames < 4) vm->cfg.max_frames = 4;
  if (vm->cfg.stack_slots < 64) vm->cfg.stack_slots = 64;
  vm->exc = mk_undef();
  vm->mem_error = mk_none();
  vm->errmsg = "";
  vm->gc_threshold = vm->gc_limit = 8192;
  vm->gc_running = true;  // no collection during setup
  vm->max_handlers = 12;
  vm->stack = static_cast<Value*>(heap_alloc(vm->heap, vm->cfg.stack_slots * sizeof(Value)));
  vm->frames = static_cast<Frame*>(heap_alloc(vm->heap, vm->cfg.max_frames * sizeof(Frame)));
  vm->handlers = static_cast<Handler*>(heap_alloc(vm->heap, vm->max_handlers * sizeof(Handler)));
  if (!vm->stack || !vm->frames || !vm->handlers) return nullptr;
  vm->stack_end = vm->stack + vm->cfg.stack_slots;
  vm->sp = vm->stack;
  vm->s_init = str_intern(vm, "__init__", 8);
  vm->s_name = str_intern(vm, "__name__", 8);
  vm->s_args = str_intern(vm, "args", 4);
  Str* s_main = str_intern(vm, "__main__", 8);
  if (!vm->s_init || !vm->s_name || !vm->s_args || !s_main) return nullptr;
  // exception classes are created on first use (class_of_exc); MemoryError and its
  // preallocated instance exist from the start so that raising it needs no memory
  if (!class_of_exc(vm, Exc::MemoryError)) return nullptr;
  Instance* me = static_cast<Instance*>(gc_new(vm, T::Instance, sizeof(Instance)));
  if (!me) return nullptr;
  me->cls = vm->exc_class[static_cast<int>(Exc::MemoryError)];
  me->dict = nullptr;
  me->line = 0;
  vm->mem_error = mk_obj(me);
  vm->modules = dict_new(vm);
  vm->main_mod = vm->modules ? new_module(vm, s_main) : nullptr;
  if (!vm->main_mod) return nullptr;
  vm->globals = vm->main_mod->dict;
  if (dict_set_str(vm, vm->globals, vm->s_name, mk_obj(s_main)) != Status::Ok) return nullptr;
  vm->gc_running = false;
  gc_collect(vm);
  return vm;
}

bool register_module(VM* vm, const ModuleDef* def) {
  if (vm->nnative_mods >= 12) return false;
  vm->native_mods[vm->nnative_mods++] = def;
  return true;
}

Status exec_proto(VM* vm, Proto* p, Dict* globals, Value* result) {
  Func* f = static_cast<Func*>(gc_new(vm, T::Func, sizeof(Func)));
  if (!f) return Status::Memory;
  f->proto = p;
  f->globals = globals;
  f->defaults = nullptr;
  f->owner = nullptr;
  f->nupvals = 0;
  return call_value(vm, mk_obj(f), nullptr, 0, result);
}

Status import_module(VM* vm, Str* name, Value* out) {
  if (dict_get_str(vm->modules, name, out)) return Status::Ok;
  const ModuleDef* d = nullptr;
  for (int i = 0; i < vm->nnative_mods && !d; i++)
    if (__builtin_strcmp(vm->native_mods[i]->name, name->data) == 0) d = vm->native_mods[i];
  size_t len = 0;
  const char* src = nullptr;
  if (!d) {
    if (vm->cfg.find_module) src = vm->cfg.find_module(vm->cfg.find_module_ud, name->data, &len);
    if (!src) return raise_msg(vm, Exc::ModuleNotFoundError, MSG("No module named '%s'"), name->data);
  }
  Module* m = new_module(vm, name);
  if (!m) return Status::Memory;
  push_root(vm, mk_obj(m));
  Status st = Status::Ok;
  if (d) {
    for (int k = 0; k < d->nfns && st == Status::Ok; k++) {
      Str* fn = str_intern(vm, d->fns[k].name, __builtin_strlen(d->fns[k].name));
      st = fn ? dict_set_str(vm, m->dict, fn, mk_native(&d->fns[k])) : Status::Memory;
    }
    if (st == Status::Ok) st = dict_set_str(vm, vm->modules, name, mk_obj(m));
  } else {
    st = dict_set_str(vm, m->dict, vm->s_name, mk_obj(name));
    if (st == Status::Ok) st = dict_set_str(vm, vm->modules, name, mk_obj(m));  // before running: cycles
    Proto* p = nullptr;
    if (st == Status::Ok) st = compile(vm, src, len, name->data, false, &p);
    if (st == Status::Syntax) st = Status::Runtime;
    if (st == Status::Ok) st = run_proto(vm, p, m->dict, nullptr);
    if (st != Status::Ok) dict_del(vm->modules, mk_obj(name), name->hash);
  }
  pop_roots(vm, 1);
  if (st == Status::Ok) *out = mk_obj(m);
  return st;
}

Status exec_source(VM* vm, const char* src, size_t len, const char* name) {
  if (!enter(vm)) return Status::Runtime;
  Proto* p;
  Status st = compile(vm, src, len, name, false, &p);
  if (st == Status::Ok) st = run_proto(vm, p, vm->globals, nullptr);
  st = finish(vm, st);
  gc_check(vm);
  return st;
}

Status exec_bytecode(VM* vm, const uint8_t* data, size_t len) {
  if (!enter(vm)) return Status::Runtime;
  Proto* p;
  Status st = load_bytecode(vm, data, len, &p);
  if (st == Status::Ok) st = run_proto(vm, p, vm->globals, nullptr);
  return finish(vm, st);
}

Status compile_bytecode(VM* vm, const char* src, size_t len, const char* name, uint8_t* out, size_t cap,
                        size_t* out_len) {
  if (!enter(vm)) return Status::Runtime;
  Proto* p;
  Status st = compile(vm, src, len, name, false, &p);
  if (st == Status::Ok) {
    push_root(vm, mk_obj(p));
    st = dump_bytecode(vm, p, out, cap, out_len);
    pop_roots(vm, 1);
  }
  return finish(vm, st);
}

bool has_global(VM* vm, const char* name) {
  Value v;
  Str* s = str_intern(vm, name, __builtin_strlen(name));
  return s && dict_get_str(vm->globals, s, &v);
}

Status call_global(VM* vm, const char* name, const Value* args, int nargs, Value* result) {
  if (!enter(vm)) return Status::Runtime;
  Str* s = str_intern(vm, name, __builtin_strlen(name));
  Value fn, r;
  Status st = Status::Memory;
  if (!s) {
  } else if (!dict_get_str(vm->globals, s, &fn)) {
    st = raise_msg(vm, Exc::NameError, MSG("name '%s' is not defined"), name);
  } else if (nargs > 16) {
    st = type_error(vm, MSG("too many arguments"));
  } else {
    st = call_value(vm, fn, args, nargs, &r);
    if (st == Status::Ok && result) *result = r;
  }
  return finish(vm, st);
}

const char* error_type(VM* vm) { return vm->errtype; }
const char* error_message(VM* vm) { return vm->errmsg; }
int error_line(VM* vm) { return vm->exc_line; }
int error_col(VM* vm) { return vm->exc_col; }

void format_traceback(VM* vm, char* buf, size_t cap) {
  if (!cap) return;
  size_t n = 0;
  auto add = [&](const char* s) { while (*s && n + 1 < cap) buf[n++] = *s++; };
  if (vm->ntb) {
    add("Traceback (most recent call last):\n");
    for (int i = vm->ntb - 1; i >= 0; i--) {
      const VM::TbEntry& e = vm->tb[i];
      const char* file = e.file ? e.file->data : "?";
      for (const char* q = file; *q; q++) if (*q == '/') file = q + 1;  // base name only
      char num[12];
      int k = sizeof num - 1;
      num[k] = 0;
      unsigned v = e.line > 0 ? static_cast<unsigned>(e.line) : 0;
      do { num[--k] = static_cast<char>('0' + v % 10); v /= 10; } while (v);
      add("  File \"");
      add(file);
      add("\", line ");
      add(num + k);
      add(", in ");
      add(e.name->data);
      add("\n");
    }
  }
  add(vm->errtype);
  if (vm->errmsg[0]) { add(": "); add(vm->errmsg); }
  add("\n");
  buf[n] = 0;
}

void set_budget(VM* vm, uint64_t instructions) {
  vm->budget = instructions;
  vm->budget_on = instructions != 0;
  vm->gc_threshold = vm->budget_on ? 0 : vm->gc_limit;
}
void interrupt(VM* vm) {
  vm->interrupt_flag = 1;
  vm->gc_threshold = 0;  // the next safe point notices
}
size_t heap_used(VM* vm) { return vm->heap.used; }
size_t heap_peak(VM* vm) { return vm->heap.peak; }
void collect(VM* vm) { gc_collect(vm); }
void debug_fail_allocation(VM* vm, size_t nth) { vm->heap.fail_after = nth; }

void write(VM* vm, const char* s, size_t n) {
  if (vm->cfg.write) vm->cfg.write(vm->cfg.write_ud, s, n);
}

// argument i, or null after raising TypeError when missing
static const Value* arg_at(VM* vm, Args& a, int i) {
  if (i < a.n) return &a.v[i];
  type_error(vm, MSG("missing argument %d"), i + 1);
  return nullptr;
}
Status arg_int(VM* vm, Args& a, int i, int64_t* out) {
  const Value* v = arg_at(vm, a, i);
  if (!v) return Status::Runtime;
  if (v->tag != T::Int && v->tag != T::Bool) return type_error(vm, MSG("'%t' object cannot be interpreted as an integer"), v);
  *out = ival(*v);
  return Status::Ok;
}
Status arg_float(VM* vm, Args& a, int i, double* out) {
  const Value* v = arg_at(vm, a, i);
  if (!v) return Status::Runtime;
  if (v->tag == T::Float) *out = v->f;
  else if (v->tag == T::Int || v->tag == T::Bool) *out = static_cast<double>(ival(*v));
  else return type_error(vm, MSG("must be real number, not %t"), v);
  return Status::Ok;
}
Status arg_str(VM* vm, Args& a, int i, const char** s, size_t* len) {
  const Value* v = arg_at(vm, a, i);
  if (!v) return Status::Runtime;
  if (v->tag != T::Str) return type_error(vm, MSG("expected str, got %t"), v);
  *s = as<Str>(*v)->data;
  *len = as<Str>(*v)->len;
  return Status::Ok;
}

}  // namespace hilsim::vm
