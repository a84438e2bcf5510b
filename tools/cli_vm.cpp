// `hilsim vm ...`: host tools for the script VM.
//   vm run FILE            run a script (source or .pyc bytecode) on the host VM
//   vm check FILE...       compile only; print FILE:LINE:COL: message per error, exit 1
//   vm compile FILE -o OUT write versioned, checksummed bytecode
//   vm disasm FILE         list the bytecode of a script
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "tools/cli.h"
#include "vm/host/host.h"
#include "vm/vm.h"

namespace hilsim::cli {

namespace {
std::string load_or_exit(const std::string& path) {
  std::string src;
  if (!vm::host::read_file(path, &src)) {
    fprintf(stderr, "%s: cannot read file\n", path.c_str());
    throw Exit{2};
  }
  return src;
}
bool is_bytecode(const std::string& s) { return s.size() >= 4 && s.compare(0, 4, "HPYC") == 0; }
}  // namespace

void add_vm_command(CLI::App& app) {
  auto* vmc = app.add_subcommand("vm", "script VM tools: run, check, compile, disasm");
  vmc->require_subcommand(1);

  auto* run = vmc->add_subcommand("run", "run a script (.py source or compiled bytecode) on the host VM");
  static std::string run_file;
  static size_t arena_kib = 8192;
  run->add_option("file", run_file, "script")->required();
  run->add_option("--arena-kib", arena_kib, "VM arena size in KiB");
  run->callback([] {
    std::string src = load_or_exit(run_file);
    vm::host::HostVM h(arena_kib * 1024);
    if (!h.vm) { fprintf(stderr, "arena too small\n"); throw Exit{2}; }
    size_t slash = run_file.rfind('/');
    h.module_dir = slash == std::string::npos ? "." : run_file.substr(0, slash);
    vm::Status st = is_bytecode(src)
        ? vm::exec_bytecode(h.vm, reinterpret_cast<const uint8_t*>(src.data()), src.size())
        : vm::exec_source(h.vm, src.data(), src.size(), run_file.c_str());
    fflush(stdout);
    if (st != vm::Status::Ok) {
      fprintf(stderr, "%s", vm::host::error_text(h.vm).c_str());
      throw Exit{1};
    }
  });

  auto* check = vmc->add_subcommand("check", "report syntax errors as FILE:LINE:COL: message");
  static std::vector<std::string> check_files;
  check->add_option("files", check_files, "scripts")->required();
  check->callback([] {
    int bad = 0;
    for (const auto& f : check_files) {
      std::string src = load_or_exit(f);
      vm::host::HostVM h(8u << 20);
      std::vector<uint8_t> out(src.size() * 16 + 4096);
      size_t n = 0;
      vm::Status st = vm::compile_bytecode(h.vm, src.data(), src.size(), f.c_str(), out.data(), out.size(), &n);
      if (st != vm::Status::Ok) {
        printf("%s:%d:%d: %s: %s\n", f.c_str(), vm::error_line(h.vm), vm::error_col(h.vm), vm::error_type(h.vm),
               vm::error_message(h.vm));
        bad++;
      }
    }
    if (bad) throw Exit{1};
  });

  auto* comp = vmc->add_subcommand("compile", "compile a script to bytecode");
  static std::string comp_in, comp_out;
  comp->add_option("file", comp_in, "script")->required();
  comp->add_option("-o,--output", comp_out, "bytecode output file")->required();
  comp->callback([] {
    std::string src = load_or_exit(comp_in);
    vm::host::HostVM h(8u << 20);
    std::vector<uint8_t> out(src.size() * 16 + 4096);
    size_t n = 0;
    vm::Status st = vm::compile_bytecode(h.vm, src.data(), src.size(), comp_in.c_str(), out.data(), out.size(), &n);
    if (st != vm::Status::Ok) {
      fprintf(stderr, "%s:%d:%d: %s: %s\n", comp_in.c_str(), vm::error_line(h.vm), vm::error_col(h.vm),
              vm::error_type(h.vm), vm::error_message(h.vm));
      throw Exit{1};
    }
    std::ofstream f(comp_out, std::ios::binary);
    f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(n));
    if (!f) { fprintf(stderr, "%s: cannot write\n", comp_out.c_str()); throw Exit{2}; }
    printf("%s: %zu bytes of bytecode\n", comp_out.c_str(), n);
  });

  auto* dis = vmc->add_subcommand("disasm", "list the bytecode of a script");
  static std::string dis_file;
  dis->add_option("file", dis_file, "script")->required();
  dis->callback([] {
    std::string src = load_or_exit(dis_file);
    vm::host::HostVM h(8u << 20);
    std::string out, err;
    if (!vm::host::disassemble(h.vm, src, dis_file, &out, &err)) {
      fprintf(stderr, "%s\n", err.c_str());
      throw Exit{1};
    }
    fputs(out.c_str(), stdout);
  });
}

}  // namespace hilsim::cli
