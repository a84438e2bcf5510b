// Runs the fuzz target's entry point over the corpus scripts and some hostile inputs in
// a normal build, so CI exercises the same code path without a clang/libFuzzer build.
#include <doctest/doctest.h>

#include <filesystem>
#include <cstring>
#include <string>

#include "vm/host/host.h"

// the fuzz target itself, compiled into the test executable
#include "vm/fuzz/fuzz_vm.cpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

TEST_CASE("vm: fuzz entry point survives corpus and hostile inputs") {
  namespace fs = std::filesystem;
  int n = 0;
  for (auto& e : fs::directory_iterator(fs::path(HILSIM_SOURCE_DIR) / "vm/fuzz/corpus")) {
    std::string s;
    REQUIRE(hilsim::vm::host::read_file(e.path().string(), &s));
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    n++;
  }
  for (auto& e : fs::directory_iterator(fs::path(HILSIM_SOURCE_DIR) / "tests/vm/corpus")) {
    std::string s;
    REQUIRE(hilsim::vm::host::read_file(e.path().string(), &s));
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    // truncations of every script
    for (size_t cut = 1; cut < s.size(); cut += 37) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), cut);
    n++;
  }
  const char* hostile[] = {
      "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
      "x = [1] * 1000000000", "def f(): return f()\nf()", "while True: pass", "'%s' % ()", "a = {}\na[a] = 1",
      "class A(A): pass", "exec('exec(\"exec(1)\")')", "l = []\nl.append(l)\nprint(l)", "x = 1 if 2 else",
      "f'{'", "f'{x!z}'", "\"\"\"", "\\", "\t\tx", "if 1:\n  x\n y", "lambda: (yield)", "import nothing",
      "raise 5", "try:\n  pass\nfinally:\n  return", "super()", "del undefined", "1 < 'a'", "range(0, 1, 0)",
  };
  for (const char* h : hostile) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(h), strlen(h));
  CHECK(n > 0);
}
