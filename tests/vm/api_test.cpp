// Embedding API tests: errors with lines, SyntaxError line/col, budget and interrupt,
// recursion limit, MemoryError in a small arena, native modules with argument checks,
// call_global, bytecode round trip and rejection of corrupted bytecode.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "vm_test_util.h"

using namespace hilsim::vm;

namespace {
int g_pin_state[8];
Status gpio_write(VM* vm, Args& a, Value* out) {
  int64_t pin, v;
  Status st = arg_int(vm, a, 0, &pin);
  if (st != Status::Ok) return st;
  if ((st = arg_int(vm, a, 1, &v)) != Status::Ok) return st;
  if (pin < 0 || pin >= 8) return raise(vm, Exc::ValueError, "bad pin %d", static_cast<int>(pin));
  g_pin_state[pin] = static_cast<int>(v);
  *out = mk_none();
  return Status::Ok;
}
Status gpio_read(VM* vm, Args& a, Value* out) {
  int64_t pin;
  Status st = arg_int(vm, a, 0, &pin);
  if (st != Status::Ok) return st;
  *out = mk_int(g_pin_state[pin & 7]);
  return Status::Ok;
}
const NativeDef kGpioFns[] = {{"write", gpio_write, 2, 2, 0, 0}, {"read", gpio_read, 1, 1, 0, 0}};
const ModuleDef kGpio = {"gpio", kGpioFns, 2};
}  // namespace

TEST_CASE("vm: runtime error reports type, message and line") {
  auto r = vmtest::run("x = 1\ny = 2\nz = x / (y - 2)\n");
  CHECK(r.status == Status::Runtime);
  CHECK(r.error == "ZeroDivisionError: division by zero");
  CHECK(r.line == 3);
}

TEST_CASE("vm: syntax errors carry line and column") {
  auto r = vmtest::run("x = 1\nif x\n    pass\n");
  CHECK(r.status == Status::Syntax);
  CHECK(r.line == 2);
  CHECK(r.col == 5);
  auto r2 = vmtest::run("def f(:\n  pass\n");
  CHECK(r2.status == Status::Syntax);
  CHECK(r2.line == 1);
  auto r3 = vmtest::run("x = (1,\ny = 2\n");
  CHECK(r3.status == Status::Syntax);
  auto r4 = vmtest::run("print('unterminated)\n");
  CHECK(r4.status == Status::Syntax);
  CHECK(r4.error.find("unterminated string literal") != std::string::npos);
}

TEST_CASE("vm: overflow raises OverflowError instead of wrapping") {
  auto r = vmtest::run("x = 2 ** 62\ny = x * 4\n");
  CHECK(r.error.rfind("OverflowError", 0) == 0);
  auto r2 = vmtest::run("x = 9223372036854775807\nx += 1\n");
  CHECK(r2.error.rfind("OverflowError", 0) == 0);
}

TEST_CASE("vm: instruction budget stops a runaway script, state intact") {
  host::HostVM h(1 << 20, true);
  const char* src = "count = 0\ndef spin():\n    global count\n    while True:\n        count += 1\n";
  REQUIRE(exec_source(h.vm, src, strlen(src)) == Status::Ok);
  set_budget(h.vm, 10000);
  CHECK(call_global(h.vm, "spin", nullptr, 0, nullptr) == Status::Runtime);
  CHECK(std::string(error_type(h.vm)) == "KeyboardInterrupt");
  set_budget(h.vm, 0);
  const char* check = "print(count > 1000)\n";
  CHECK(exec_source(h.vm, check, strlen(check)) == Status::Ok);
  CHECK(h.out == "True\n");
  interrupt(h.vm);
  CHECK(call_global(h.vm, "spin", nullptr, 0, nullptr) == Status::Runtime);
  CHECK(std::string(error_message(h.vm)) == "interrupted");
  // loops whose only backward jump is conditional (comprehension filters) are caught too
  set_budget(h.vm, 5000);
  const char* filt = "x = [i for i in range(10 ** 15) if i < 0]\n";
  CHECK(exec_source(h.vm, filt, strlen(filt)) == Status::Runtime);
  CHECK(std::string(error_type(h.vm)) == "KeyboardInterrupt");
  set_budget(h.vm, 0);
}

TEST_CASE("vm: recursion limit raises RecursionError") {
  auto r = vmtest::run("def f(n):\n    return f(n + 1)\nf(0)\n");
  CHECK(r.error.rfind("RecursionError", 0) == 0);
}

TEST_CASE("vm: exhausting the arena raises MemoryError and the VM stays usable") {
  host::HostVM h(96 * 1024, true, 512, 64);
  REQUIRE(h.vm);
  const char* src = "keep = []\nwhile True:\n    keep.append('x' * 100 + str(len(keep)))\n";
  CHECK(exec_source(h.vm, src, strlen(src)) == Status::Memory);
  CHECK(std::string(error_type(h.vm)) == "MemoryError");
  const char* free_it = "keep = None\nprint('ok')\n";
  CHECK(exec_source(h.vm, free_it, strlen(free_it)) == Status::Ok);
  collect(h.vm);
  CHECK(h.out == "ok\n");
  const char* catchit = "try:\n    l = [0] * 100000000\nexcept MemoryError:\n    print('caught')\n";
  CHECK(exec_source(h.vm, catchit, strlen(catchit)) == Status::Ok);
  CHECK(h.out == "ok\ncaught\n");
}

TEST_CASE("vm: native modules with argument checking") {
  host::HostVM h(1 << 20, true);
  REQUIRE(register_module(h.vm, &kGpio));
  const char* src = "import gpio\ngpio.write(3, 1)\nprint(gpio.read(3))\n";
  CHECK(exec_source(h.vm, src, strlen(src)) == Status::Ok);
  CHECK(g_pin_state[3] == 1);
  CHECK(h.out == "1\n");
  const char* bad = "import gpio\ngpio.write(1)\n";
  CHECK(exec_source(h.vm, bad, strlen(bad)) == Status::Runtime);
  CHECK(std::string(error_type(h.vm)) == "TypeError");
  const char* bad2 = "import gpio\ngpio.write('a', 1)\n";
  CHECK(exec_source(h.vm, bad2, strlen(bad2)) == Status::Runtime);
  const char* bad3 = "from gpio import write\nwrite(99, 1)\n";
  CHECK(exec_source(h.vm, bad3, strlen(bad3)) == Status::Runtime);
  CHECK(std::string(error_message(h.vm)) == "bad pin 99");
}

TEST_CASE("vm: call_global with arguments and result") {
  host::HostVM h(1 << 20, true);
  const char* src = "def add(a, b):\n    return a + b\n";
  REQUIRE(exec_source(h.vm, src, strlen(src)) == Status::Ok);
  Value args[2] = {mk_int(2), mk_int(40)};
  Value r;
  REQUIRE(call_global(h.vm, "add", args, 2, &r) == Status::Ok);
  CHECK(r.tag == T::Int);
  CHECK(r.i == 42);
  CHECK(call_global(h.vm, "nope", nullptr, 0, nullptr) == Status::Runtime);
  CHECK(has_global(h.vm, "add"));
}

TEST_CASE("vm: bytecode round trip, and corrupted bytecode is rejected") {
  host::HostVM h(4 << 20, true);
  std::string src = "def f(x, y=2):\n    return [x * y, 'k', 1.5, (1, 2)]\nclass A:\n    def m(self):\n        return f(3)\nprint(A().m(), f(1, y=5))\n";
  std::vector<uint8_t> bc(1 << 16);
  size_t n = 0;
  REQUIRE(compile_bytecode(h.vm, src.data(), src.size(), "t", bc.data(), bc.size(), &n) == Status::Ok);
  bc.resize(n);
  REQUIRE(exec_bytecode(h.vm, bc.data(), bc.size()) == Status::Ok);
  CHECK(h.out == "[6, 'k', 1.5, (1, 2)] [5, 'k', 1.5, (1, 2)]\n");
  // flipping any byte must give an error (checksum), never a crash
  for (size_t i = 0; i < bc.size(); i += 7) {
    auto bad = bc;
    bad[i] ^= 0x5a;
    CHECK(exec_bytecode(h.vm, bad.data(), bad.size()) != Status::Ok);
  }
  CHECK(exec_bytecode(h.vm, bc.data(), 10) != Status::Ok);
}

TEST_CASE("vm: structurally malformed bytecode with a valid checksum is rejected") {
  host::HostVM h(4 << 20, true);
  std::string src = "x = 1\nfor i in range(3):\n    x = x + i\nprint(x)\n";
  std::vector<uint8_t> bc(1 << 16);
  size_t n = 0;
  REQUIRE(compile_bytecode(h.vm, src.data(), src.size(), "t", bc.data(), bc.size(), &n) == Status::Ok);
  bc.resize(n);
  uint32_t seed = 12345;
  int rejected = 0;
  for (int iter = 0; iter < 3000; iter++) {
    auto bad = bc;
    seed = seed * 1103515245 + 12345;
    size_t at = 16 + (seed >> 8) % (bad.size() - 16);
    bad[at] = static_cast<uint8_t>(seed >> 3);
    // re-seal the checksum so the loader's validation is what is tested
    extern uint32_t crc32_for_tests(const uint8_t*, size_t);
    uint32_t c = crc32_for_tests(bad.data() + 16, bad.size() - 16);
    for (int k = 0; k < 4; k++) bad[12 + k] = static_cast<uint8_t>(c >> (8 * k));
    set_budget(h.vm, 100000);
    if (exec_bytecode(h.vm, bad.data(), bad.size()) != Status::Ok) rejected++;
  }
  set_budget(h.vm, 0);
  CHECK(rejected > 0);
}

TEST_CASE("vm: idle app heap and GC reclaims cycles") {
  static unsigned char arena[64 * 1024];
  Config c;
  c.arena = arena;
  c.arena_size = sizeof arena;
  c.stack_slots = 128;
  c.max_frames = 16;
  VM* vm = create(c);
  REQUIRE(vm);
  const char* app =
      "import_count = 0\nstate = {'led': 0, 'ticks': 0}\n"
      "def tick():\n    state['ticks'] += 1\n    state['led'] = 1 - state['led']\n    return state['led']\n";
  REQUIRE(exec_source(vm, app, strlen(app)) == Status::Ok);
  for (int i = 0; i < 100; i++) REQUIRE(call_global(vm, "tick", nullptr, 0, nullptr) == Status::Ok);
  collect(vm);
  size_t idle = heap_used(vm);
  MESSAGE("idle app heap (incl. VM state, stack 128 slots, frames): ", idle, " bytes");
  const char* cycles = "class N:\n    pass\nfor i in range(2000):\n    a = N()\n    b = N()\n    a.o = b\n    b.o = a\n";
  REQUIRE(exec_source(vm, cycles, strlen(cycles)) == Status::Ok);
  collect(vm);
  size_t after_one = heap_used(vm);
  REQUIRE(exec_source(vm, cycles, strlen(cycles)) == Status::Ok);
  collect(vm);
  CHECK(heap_used(vm) <= after_one + 256);  // 4000 cyclic objects per run are all reclaimed
}

TEST_CASE("vm: exec() compile errors raise SyntaxError with line and column") {
  auto r = vmtest::run(
      "try:\n    exec('x = 1\\ny = (2 +\\n')\nexcept SyntaxError as e:\n    print('syntax', e.lineno > 0, e.offset > 0)\n"
      "try:\n    exec('if True\\n    pass\\n')\nexcept SyntaxError as e:\n    print(e.lineno, e.offset, e.msg)\n");
  CHECK(r.status == Status::Ok);
  CHECK(r.out == "syntax True True\n1 8 expected ':'\n");
}

TEST_CASE("vm: failing the Nth allocation never corrupts the VM") {
  const char* src =
      "class Node:\n    def __init__(self, v):\n        self.v = v\n        self.kids = []\n"
      "root = Node(0)\nfor i in range(30):\n    n = Node(i)\n    root.kids.append(n)\n"
      "d = {str(i): [i, (i, 'x')] for i in range(20)}\n"
      "s = ', '.join(['%d:%s' % (k.v, f'{k.v * 1.5:.1f}') for k in root.kids])\n"
      "exec('def g(x):\\n    return x * 2\\n')\ntry:\n    y = g(3) + len(s)\nexcept MemoryError:\n    y = -1\n"
      "print(len(d), y > 0 or y == -1)\n";
  int ok = 0, mem = 0, other = 0;
  for (size_t nth = 1; nth < 700; nth++) {
    host::HostVM h(256 * 1024, true, 512, 32);
    REQUIRE(h.vm);
    debug_fail_allocation(h.vm, nth);
    Status st = exec_source(h.vm, src, strlen(src));
    if (st == Status::Ok) ok++;
    else if (st == Status::Memory) mem++;
    else {
      other++;
      INFO("nth ", nth, ": ", error_type(h.vm), ": ", error_message(h.vm));
      CHECK(std::string(error_type(h.vm)) == "MemoryError");
    }
    debug_fail_allocation(h.vm, 0);
    // the VM keeps working after the failure
    const char* after = "z = [i for i in range(50)]\nprint(sum(z))\n";
    h.out.clear();
    CHECK(exec_source(h.vm, after, strlen(after)) == Status::Ok);
    CHECK(h.out == "1225\n");
  }
  MESSAGE("fail-Nth-allocation runs: ok ", ok, ", MemoryError ", mem, ", other errors ", other);
  CHECK(ok > 0);
  CHECK(mem > 0);
}

TEST_CASE("vm: %d of a float outside int64 raises instead of converting out of range (fuzz find)") {
  auto r = vmtest::run(
      "for x in (2.5e25, -1e19, float('inf')):\n"
      "    try:\n        print('%d' % x)\n    except OverflowError as e:\n        print('overflow')\n"
      "try:\n    print('%i' % float('nan'))\nexcept ValueError as e:\n    print('nan:', e)\n"
      "print('%d' % 2.9, '%d' % -2.9, int(1e18))\n");
  CHECK(r.status == Status::Ok);
  CHECK(r.out == "overflow\noverflow\noverflow\nnan: cannot convert float NaN to integer\n2 -2 1000000000000000000\n");
}
