// Differential tests: every tests/vm/corpus/*.py runs on the VM (in-process) and on
// CPython (python3); printed output must match, and a script ending in an uncaught
// exception must end with the same "Type: message" line. One TEST_CASE per feature
// area (file name prefix), one SUBCASE per file; a mismatch prints both outputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <unistd.h>
#include <vector>

#include "vm_test_util.h"

namespace {
namespace fs = std::filesystem;

std::string python_output(const fs::path& file) {
  std::string err = (fs::temp_directory_path() / ("hilsim_vm_corpus_" + std::to_string(getpid()) + "_" + file.stem().string() + ".err")).string();
  std::string cmd = "cd '" + file.parent_path().string() + "' && python3 '" + file.filename().string() + "' 2>'" + err + "'";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "<popen failed>";
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) {
    std::string e;
    hilsim::vm::host::read_file(err, &e);
    while (!e.empty() && e.back() == '\n') e.pop_back();
    size_t nl = e.rfind('\n');
    out += (nl == std::string::npos ? e : e.substr(nl + 1)) + "\n";
  }
  fs::remove(err);
  return out;
}

std::string vm_output(const fs::path& file) {
  std::string src;
  REQUIRE(hilsim::vm::host::read_file(file.string(), &src));
  auto cwd = fs::current_path();
  fs::current_path(file.parent_path());  // stored modules are looked up next to the script
  vmtest::Run r = vmtest::run(src);
  fs::current_path(cwd);
  if (r.status != hilsim::vm::Status::Ok) r.out += r.error + "\n";
  return r.out;
}

std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; line++) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "";
    if (ea || eb || la != lb)
      return "first difference at output line " + std::to_string(line) + ":\n  vm:      " + (ea ? "<end>" : la) +
             "\n  cpython: " + (eb ? "<end>" : lb);
  }
}

void run_area(const std::string& prefix) {
  fs::path dir = fs::path(HILSIM_SOURCE_DIR) / "tests/vm/corpus";
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".py" && e.path().filename().string().rfind(prefix + "_", 0) == 0) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  for (auto& f : files) {
    SUBCASE(f.filename().string().c_str()) {
      std::string vm = vm_output(f), py = python_output(f);
      INFO(f.filename().string(), "\n", first_difference(vm, py), "\n--- vm ---\n", vm, "--- cpython ---\n", py);
      CHECK(vm == py);
    }
  }
}
}  // namespace

TEST_CASE("corpus: values") { run_area("values"); }
TEST_CASE("corpus: strings") { run_area("strings"); }
TEST_CASE("corpus: control") { run_area("control"); }
TEST_CASE("corpus: functions") { run_area("functions"); }
TEST_CASE("corpus: classes") { run_area("classes"); }
TEST_CASE("corpus: exceptions") { run_area("exceptions"); }
TEST_CASE("corpus: builtins") { run_area("builtins"); }
TEST_CASE("corpus: exec") { run_area("exec"); }
TEST_CASE("corpus: errors") { run_area("errors"); }

// Every corpus script, compiled to bytecode and loaded back (which runs the verifier on
// the compiler's output), prints exactly what the source run printed.
TEST_CASE("corpus: bytecode round trip of every script") {
  fs::path dir = fs::path(HILSIM_SOURCE_DIR) / "tests/vm/corpus";
  auto cwd = fs::current_path();
  fs::current_path(dir);
  for (auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".py") continue;
    std::string src;
    REQUIRE(hilsim::vm::host::read_file(e.path().string(), &src));
    hilsim::vm::host::HostVM a(8u << 20, true), b(8u << 20, true);
    std::vector<uint8_t> bc(1 << 20);
    size_t n = 0;
    INFO(e.path().filename().string());
    REQUIRE(hilsim::vm::compile_bytecode(b.vm, src.data(), src.size(), "x", bc.data(), bc.size(), &n) ==
            hilsim::vm::Status::Ok);
    auto sa = hilsim::vm::exec_source(a.vm, src.data(), src.size(), "x");
    auto sb = hilsim::vm::exec_bytecode(b.vm, bc.data(), n);
    CHECK(std::string(hilsim::vm::error_message(b.vm)) != "malformed bytecode");
    CHECK(sa == sb);
    CHECK(a.out == b.out);
  }
  fs::current_path(cwd);
}
