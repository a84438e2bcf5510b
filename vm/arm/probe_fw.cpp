// Bare-metal Cortex-M4 probe (built by vm/arm/probe.cmake, run on Unicorn by
// probe_runner): creates a VM in a 32 KiB arena with a 64-slot stack, runs an idle app
// script, and leaves heap figures and printed output in RAM for the runner to read.
#include "vm/vm.h"

using namespace hilsim::vm;

namespace {
unsigned char arena[32 * 1024] __attribute__((aligned(8)));
const char app[] =
    "state = {'led': 0, 'ticks': 0}\n"
    "def tick():\n"
    "    state['ticks'] += 1\n"
    "    state['led'] = 1 - state['led']\n"
    "    return state['led']\n";
const char probe[] =
    "x = [i * i for i in range(10)]\n"
    "class P:\n"
    "    def __init__(self, v):\n"
    "        self.v = v\n"
    "    def __repr__(self):\n"
    "        return 'P(%d)' % self.v\n"
    "try:\n"
    "    1 // 0\n"
    "except ZeroDivisionError as e:\n"
    "    err = str(e)\n"
    "print(sum(x), 0.1 + 0.2, 1 / 3, 2.5e-7, f'{3.14159:.2f}', 10 ** 15, 7 // -2, [P(1)], err)\n";
}  // namespace

extern "C" {
volatile unsigned g_result[6];  // magic, after create, exec status, idle app, probe status
char g_out[256];
unsigned g_outn;
}

static void sink(void*, const char* s, size_t n) {
  for (size_t i = 0; i < n && g_outn < sizeof g_out - 1; i++) g_out[g_outn++] = s[i];
}

extern "C" int main() {
  Config c;
  c.arena = arena;
  c.arena_size = sizeof arena;
  c.stack_slots = 64;
  c.max_frames = 16;
  c.write = sink;
  VM* vm = create(c);
  if (!vm) return 1;
  collect(vm);
  g_result[1] = static_cast<unsigned>(heap_used(vm));
  g_result[2] = static_cast<unsigned>(exec_source(vm, app, sizeof app - 1, "app"));
  for (int i = 0; i < 100; i++) call_global(vm, "tick", nullptr, 0, nullptr);
  collect(vm);
  g_result[3] = static_cast<unsigned>(heap_used(vm));
  g_result[4] = static_cast<unsigned>(exec_source(vm, probe, sizeof probe - 1, "probe"));
  g_result[0] = 0x600d;
  return 0;
}

extern "C" __attribute__((naked, noreturn)) void _start() {
  __asm volatile("ldr sp, =0x20040000\n bl main\n bkpt #0\n b .\n");
}
extern "C" void _exit(int) {
  for (;;) {
  }
}
