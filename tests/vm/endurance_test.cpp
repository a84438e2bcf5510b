// Hot-update endurance: 10,000 consecutive exec() updates that redefine functions and
// classes and keep state; heap in use after update 10,000 must be within 1 KiB of the
// heap in use after update 10 (both measured after a full collection).
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "vm_test_util.h"

using namespace hilsim::vm;

TEST_CASE("vm: 10,000 exec() hot updates keep the heap flat") {
  host::HostVM h(1 << 20, true, 256, 32);
  REQUIRE(h.vm);
  const char* boot = "state = {'updates': 0, 'log': []}\n";
  REQUIRE(exec_source(h.vm, boot, strlen(boot)) == Status::Ok);
  size_t at10 = 0, at_end = 0;
  std::string src;
  for (int u = 1; u <= 10000; u++) {
    src = "VERSION = " + std::to_string(u) + "\n"
          "class Blinker:\n"
          "    def __init__(self, period):\n"
          "        self.period = period + VERSION % 7\n"
          "    def step(self, t):\n"
          "        return (t // self.period) % 2\n"
          "def handler(t):\n"
          "    b = Blinker(" + std::to_string(u % 13 + 1) + ")\n"
          "    return b.step(t) + len(state['log'])\n"
          "state['updates'] += 1\n"
          "state['log'].append('v%d' % VERSION)\n"
          "if len(state['log']) > 5:\n"
          "    state['log'].pop(0)\n"
          "msg = 'update %d ok' % state['updates']\n"
          "r = handler(VERSION)\n";
    Status st = exec_source(h.vm, src.data(), src.size(), "<update>");
    if (st != Status::Ok) FAIL((std::string(error_type(h.vm)) + ": " + error_message(h.vm)));
    if (u == 10) { collect(h.vm); at10 = heap_used(h.vm); }
  }
  collect(h.vm);
  at_end = heap_used(h.vm);
  const char* check = "print(state['updates'], state['log'][-1])\n";
  REQUIRE(exec_source(h.vm, check, strlen(check)) == Status::Ok);
  CHECK(h.out == "10000 v10000\n");
  MESSAGE("heap after update 10: ", at10, " bytes; after update 10000: ", at_end, " bytes");
  CHECK(at_end <= at10 + 1024);
  CHECK(at10 <= at_end + 1024);
}

TEST_CASE("vm: 10,000 script-level exec() updates keep the heap flat") {
  host::HostVM h(1 << 20, true, 256, 32);
  REQUIRE(h.vm);
  const char* boot =
      "state = {'n': 0}\n"
      "TEMPLATE = '''\n"
      "class Handler:\n"
      "    def __init__(self):\n"
      "        self.v = %d\n"
      "    def run(self, x):\n"
      "        return x + self.v\n"
      "def on_event(x):\n"
      "    return Handler().run(x)\n"
      "state['n'] += 1\n"
      "'''\n"
      "def apply_updates(first, count):\n"
      "    for u in range(first, first + count):\n"
      "        exec(TEMPLATE % u)\n"
      "        assert on_event(1) == u + 1\n";
  REQUIRE(exec_source(h.vm, boot, strlen(boot)) == Status::Ok);
  Value args[2] = {mk_int(1), mk_int(10)};
  REQUIRE(call_global(h.vm, "apply_updates", args, 2, nullptr) == Status::Ok);
  collect(h.vm);
  size_t at10 = heap_used(h.vm);
  args[0] = mk_int(11);
  args[1] = mk_int(9990);
  Status st = call_global(h.vm, "apply_updates", args, 2, nullptr);
  if (st != Status::Ok) FAIL((std::string(error_type(h.vm)) + ": " + error_message(h.vm)));
  collect(h.vm);
  size_t at_end = heap_used(h.vm);
  const char* check = "print(state['n'])\n";
  REQUIRE(exec_source(h.vm, check, strlen(check)) == Status::Ok);
  CHECK(h.out == "10000\n");
  MESSAGE("script exec(): heap after update 10: ", at10, " bytes; after update 10000: ", at_end, " bytes");
  CHECK(at_end <= at10 + 1024);
}
