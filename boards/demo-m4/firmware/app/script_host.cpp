// Script host (see script_host.h): arena, native modules, calls with tracebacks.
// Natives:  gpio.write(pin, v) gpio.read(pin) gpio.toggle(pin) gpio.presses()
//           time.ms()  log.info(msg) log.warn(msg)  device.version() device.slot()
#include "app/script_host.h"

#include "app/app.h"
#include "drivers/gpio.h"
#include "drivers/systick.h"
#include "drivers/uart.h"
#include "hw/demo_m4.h"
#include "lib/text.h"
#include "vm/vm.h"

namespace script {
namespace {

namespace vm = hilsim::vm;

constexpr uint32_t kArenaSize = 64 * 1024;
alignas(8) unsigned char g_arena[kArenaSize];
vm::VM* g_vm;
char g_version[16];
const char* g_slot = "factory";
volatile uint32_t g_presses;

void write_out(void*, const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == '\n') uart::put('\r');
    uart::put(s[i]);
  }
}

// ---- gpio -------------------------------------------------------------------------------
vm::Status pin_arg(vm::VM* v, vm::Args& a, uint32_t* pin) {
  int64_t p;
  if (vm::Status s = vm::arg_int(v, a, 0, &p); s != vm::Status::Ok) return s;
  if (p < 0 || p > 7) return vm::raise(v, vm::Exc::ValueError, "no pin %d on gpio0", static_cast<int>(p));
  *pin = static_cast<uint32_t>(p);
  return vm::Status::Ok;
}

vm::Status gpio_write(vm::VM* v, vm::Args& a, vm::Value* out) {
  uint32_t pin;
  if (vm::Status s = pin_arg(v, a, &pin); s != vm::Status::Ok) return s;
  if (pin == demo_m4::kPinButton) return vm::raise(v, vm::Exc::ValueError, "pin %d is an input", static_cast<int>(pin));
  const vm::Value val = a.v[1];
  const bool on = val.tag == vm::T::Bool ? val.b : val.tag == vm::T::Int ? val.i != 0 : false;
  if (val.tag != vm::T::Bool && val.tag != vm::T::Int)
    return vm::raise(v, vm::Exc::TypeError, "gpio.write() value must be bool or int, not %T", val);
  gpio::led_set(pin, on);
  *out = vm::mk_none();
  return vm::Status::Ok;
}

vm::Status gpio_read(vm::VM* v, vm::Args& a, vm::Value* out) {
  uint32_t pin;
  if (vm::Status s = pin_arg(v, a, &pin); s != vm::Status::Ok) return s;
  const bool level = pin == demo_m4::kPinButton ? !gpio::button_is_pressed() : gpio::led_is_on(pin);
  *out = vm::mk_int(level ? 1 : 0);
  return vm::Status::Ok;
}

vm::Status gpio_toggle(vm::VM* v, vm::Args& a, vm::Value* out) {
  uint32_t pin;
  if (vm::Status s = pin_arg(v, a, &pin); s != vm::Status::Ok) return s;
  if (pin == demo_m4::kPinButton) return vm::raise(v, vm::Exc::ValueError, "pin %d is an input", static_cast<int>(pin));
  gpio::led_toggle(pin);
  *out = vm::mk_none();
  return vm::Status::Ok;
}

vm::Status gpio_presses(vm::VM*, vm::Args&, vm::Value* out) {
  asm volatile("cpsid i" ::: "memory");
  const uint32_t n = g_presses;
  g_presses = 0;
  asm volatile("cpsie i" ::: "memory");
  *out = vm::mk_int(n);
  return vm::Status::Ok;
}

const vm::NativeDef kGpio[] = {
    {"write", gpio_write, 2, 2, 0, 0},
    {"read", gpio_read, 1, 1, 0, 0},
    {"toggle", gpio_toggle, 1, 1, 0, 0},
    {"presses", gpio_presses, 0, 0, 0, 0},
};

// ---- time, log, device ------------------------------------------------------------------
vm::Status time_ms(vm::VM*, vm::Args&, vm::Value* out) {
  *out = vm::mk_int(systick::ticks());
  return vm::Status::Ok;
}
const vm::NativeDef kTime[] = {{"ms", time_ms, 0, 0, 0, 0}};

vm::Status log_line(vm::VM* v, vm::Args& a, vm::Value* out, const char* level) {
  const char* s;
  size_t n;
  if (vm::Status st = vm::arg_str(v, a, 0, &s, &n); st != vm::Status::Ok) return st;
  app::out_str(level);
  for (size_t i = 0; i < n; ++i) app::out(s[i]);
  app::out_line("");
  *out = vm::mk_none();
  return vm::Status::Ok;
}
vm::Status log_info(vm::VM* v, vm::Args& a, vm::Value* out) { return log_line(v, a, out, "log: "); }
vm::Status log_warn(vm::VM* v, vm::Args& a, vm::Value* out) { return log_line(v, a, out, "log: warning: "); }
const vm::NativeDef kLog[] = {{"info", log_info, 1, 1, 0, 0}, {"warn", log_warn, 1, 1, 0, 0}};

vm::Status device_version(vm::VM* v, vm::Args&, vm::Value* out) {
  *out = vm::new_str(v, g_version);
  return out->tag == vm::T::Undef ? vm::Status::Memory : vm::Status::Ok;
}
vm::Status device_slot(vm::VM* v, vm::Args&, vm::Value* out) {
  *out = vm::new_str(v, g_slot);
  return out->tag == vm::T::Undef ? vm::Status::Memory : vm::Status::Ok;
}
const vm::NativeDef kDevice[] = {{"version", device_version, 0, 0, 0, 0}, {"slot", device_slot, 0, 0, 0, 0}};

const vm::ModuleDef kModules[] = {
    {"gpio", kGpio, sizeof kGpio / sizeof kGpio[0]},
    {"time", kTime, 1},
    {"log", kLog, 2},
    {"device", kDevice, 2},
};

bool report(vm::Status s, const char* name = nullptr) {
  if (s == vm::Status::Ok) return true;
  if (s == vm::Status::Syntax) {  // "script: slot-b:5:12: SyntaxError: expected ':'"
    app::out_str("script: ");
    app::out_str(name != nullptr ? name : "<script>");
    app::out(':');
    app::out_dec(static_cast<uint32_t>(vm::error_line(g_vm)));
    app::out(':');
    app::out_dec(static_cast<uint32_t>(vm::error_col(g_vm)));
    app::out_str(": SyntaxError: ");
    app::out_line(vm::error_message(g_vm));
    return false;
  }
  static char tb[640];
  vm::format_traceback(g_vm, tb, sizeof tb);
  app::out_str("script: ");
  write_out(nullptr, tb, text::length(tb));
  return false;
}

}  // namespace

void set_identity(uint32_t version, const char* slot_name) {
  text::Builder b(g_version, sizeof g_version);
  if (version == 0) b.add("factory");
  else b.add_version(version);
  g_slot = slot_name;
}

bool reset(uint32_t version, const char* slot_name) {
  set_identity(version, slot_name);
  vm::Config c;
  c.arena = g_arena;
  c.arena_size = kArenaSize;
  c.stack_slots = 256;
  c.max_frames = 32;
  c.write = write_out;
  g_vm = vm::create(c);
  if (g_vm == nullptr) return false;
  for (const vm::ModuleDef& m : kModules) vm::register_module(g_vm, &m);
  return true;
}

bool exec(const uint8_t* payload, uint32_t size, uint32_t kind, const char* name) {
  if (g_vm == nullptr) return false;
  const vm::Status s = kind == 1 ? vm::exec_bytecode(g_vm, payload, size)
                                 : vm::exec_source(g_vm, reinterpret_cast<const char*>(payload), size, name);
  return report(s, name);
}

bool has(const char* function) { return g_vm != nullptr && vm::has_global(g_vm, function); }

bool call(const char* function, const int64_t* args, int nargs, bool* truthy) {
  if (g_vm == nullptr || !vm::has_global(g_vm, function)) return true;
  vm::Value argv[4];
  for (int i = 0; i < nargs && i < 4; ++i) argv[i] = vm::mk_int(args[i]);
  vm::Value result = vm::mk_none();
  const bool ok = report(vm::call_global(g_vm, function, argv, nargs, &result));
  if (ok && truthy != nullptr) {
    *truthy = !(result.tag == vm::T::None || (result.tag == vm::T::Bool && !result.b) ||
                (result.tag == vm::T::Int && result.i == 0));
  }
  return ok;
}

uint32_t heap_used() { return g_vm != nullptr ? static_cast<uint32_t>(vm::heap_used(g_vm)) : 0; }
uint32_t heap_peak() { return g_vm != nullptr ? static_cast<uint32_t>(vm::heap_peak(g_vm)) : 0; }

void note_button_press() { g_presses = g_presses + 1; }

}  // namespace script
