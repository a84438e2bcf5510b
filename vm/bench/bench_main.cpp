// build/hilsim-vm-bench: times each vm/bench/NAME.py on the host VM (in-process) and
// the equivalent NAME.lua with Debian's lua5.4 (external process, same run), and prints
// a table with the ratio VM/Lua per benchmark and the geometric mean.
// Usage: hilsim-vm-bench [--only NAME] [--bench-dir DIR]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "vm/host/host.h"

using namespace hilsim::vm;

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main(int argc, char** argv) {
  std::string dir = std::string(HILSIM_SOURCE_DIR) + "/vm/bench";
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    if (!strcmp(argv[i], "--bench-dir")) dir = argv[i + 1];
  }
  const char* names[] = {"recursion", "loops", "calls", "attributes", "strings", "lists", "dicts"};
  printf("%-12s %10s %10s %8s  %s\n", "benchmark", "vm (s)", "lua (s)", "vm/lua", "result check");
  double logsum = 0;
  int n = 0;
  double worst = 0;
  for (const char* name : names) {
    if (!only.empty() && only != name) continue;
    std::string py, out_lua;
    if (!host::read_file(dir + "/" + name + ".py", &py)) { printf("%s: missing .py\n", name); return 2; }
    host::HostVM h(64u << 20, true);
    double t0 = now();
    Status st = exec_source(h.vm, py.data(), py.size(), name);
    double tvm = now() - t0;
    if (st != Status::Ok) { printf("%s: VM error %s\n", name, host::error_text(h.vm).c_str()); return 1; }
    std::string cmd = "lua5.4 '" + dir + "/" + name + ".lua'";
    t0 = now();
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return 2;
    char buf[256];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0) out_lua.append(buf, k);
    int rc = pclose(p);
    double tlua = now() - t0;
    if (rc != 0) { printf("%s: lua5.4 failed\n", name); return 1; }
    double ratio = tvm / tlua;
    logsum += std::log(ratio);
    n++;
    if (ratio > worst) worst = ratio;
    printf("%-12s %10.3f %10.3f %8.2f  %s\n", name, tvm, tlua, ratio, h.out == out_lua ? "same output" : "OUTPUT DIFFERS");
    fflush(stdout);
  }
  if (n) printf("%-12s %10s %10s %8.2f  (worst %.2f)\n", "geomean", "", "", std::exp(logsum / n), worst);
  return 0;
}
