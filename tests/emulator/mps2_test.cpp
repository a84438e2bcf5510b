// mps2-an385/an386 (boards/mps2-*): the project's own firmware for these boards
// (tests/firmware-mps2) runs on hilsim and prints exactly what it prints on
// `qemu-system-arm -M mps2-an38x` (Debian's QEMU; skipped with a message if it is missing):
// board smoke test (UART polled + interrupt-driven, LEDs, timers), semihosting (files, exit
// status), the RTOS-style hard-float context-switch test with thousands of preemptions, and
// the FPU context control test (lazy and eager stacking, CPACR and NOCP).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/emulator/mps2_fixture.h"

using namespace hilsim::emu;
using hilsim::test::Mps2Machine;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  std::string out;  // UART0 text + semihosting console text, in order
  int exit_code = -1;
};

std::string firmware(const std::string& name) { return hilsim::test::mps2_firmware(name); }

fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("hilsim-mps2-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

Outcome run_hilsim(const std::string& board, const std::string& program, const fs::path& root) {
  MachineOptions mo;
  mo.semihosting_root = root.string();
  Mps2Machine h(program, board, mo);
  h.m().power_on();
  RunResult r = h.run_to_exit();
  for (const FaultReport& f : h.m().faults()) MESSAGE(format_fault(f, &h.m().symbols()));
  CHECK(r.reason == StopReason::Exited);
  return {h.out, r.exit_code};
}

bool have_qemu() { return std::system("command -v qemu-system-arm >/dev/null 2>&1") == 0; }

// QEMU with UART0 and the semihosting console both on stdout (bounded by `timeout`).
Outcome run_qemu(const std::string& machine, const std::string& elf_name, const fs::path& cwd) {
  Outcome o;
  std::string cmd = "cd '" + cwd.string() + "' && timeout 60 qemu-system-arm -M " + machine +
                    " -nographic -monitor none -serial stdio -semihosting-config enable=on,target=native"
                    " -kernel '" + firmware(elf_name) + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) o.out.append(buf.data(), n);
  int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

// QEMU's semihosting console and its serial port are separate streams that interleave
// differently; compare the sorted lines so the check is about content, not ordering.
std::string sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (auto& l : lines) out += l + "\n";
  return out;
}

void compare_with_qemu(const std::string& program, const std::string& board, int expected_exit,
                       const std::string& must_contain, bool sort = false) {
  fs::path dir = scratch(program + "-" + board);
  fs::create_directories(dir / "hilsim");
  Outcome h = run_hilsim(board, program, dir / "hilsim");
  INFO("hilsim output:\n" << h.out);
  CHECK(h.exit_code == expected_exit);
  CHECK(h.out.find(must_contain) != std::string::npos);
  if (!have_qemu()) {
    MESSAGE("qemu-system-arm is not installed: QEMU comparison skipped");
    return;
  }
  fs::create_directories(dir / "qemu");
  Outcome q = run_qemu("mps2-" + board, program + "-" + board, dir / "qemu");
  INFO("qemu output:\n" << q.out);
  CHECK(q.exit_code == expected_exit);
  if (sort) CHECK(sorted_lines(h.out) == sorted_lines(q.out));
  else CHECK(h.out == q.out);
  fs::remove_all(dir);
}

}  // namespace

TEST_CASE("mps2: boards load; an385 is a Cortex-M3, an386 a Cortex-M4, both at 25 MHz") {
  for (const char* name : {"mps2-an385", "mps2-an386"}) {
    auto board = load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/" + name + "/board.yaml");
    REQUIRE_MESSAGE(board.ok(), (board.ok() ? "" : board.error()));
    CHECK(board->clock_hz == 25'000'000);
    CHECK(board->find_peripheral("uart4"));
    CHECK(board->find_memory("ssram1-mirror")->alias_of == "ssram1");
  }
  CHECK(load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/mps2-an385/board.yaml")->cpu ==
        BoardConfig::Cpu::CortexM3);
}

TEST_CASE("mps2: hello (UART polled and interrupt-driven, LEDs, timers) matches QEMU") {
  compare_with_qemu("hello", "an385", 0, "interrupt-driven tx ok\n");
  compare_with_qemu("hello", "an386", 0, "interrupt-driven tx ok\n");
}

TEST_CASE("mps2: semihosting (console, files in the root, ERRNO, exit status 3) matches QEMU") {
  compare_with_qemu("semihost", "an386", 3, "read_back_same=1\n", true);
}

TEST_CASE("mps2: RTOS-style hard-float context switches (3000 preemptions) pass on hilsim and QEMU") {
  compare_with_qemu("rtos", "an386", 0, "rtos: PASS\n");
  compare_with_qemu("rtos", "an385", 0, "rtos: PASS\n");
}

TEST_CASE("mps2: FPU lazy and eager stacking, FPCCR/FPCAR/FPDSCR, CPACR and NOCP match QEMU") {
  // fpu prints each observation and PASS only if all are the architected values; the QEMU
  // comparison then shows the two emulators agree line by line.
  compare_with_qemu("fpu", "an386", 0, "fpu: PASS\n");
  compare_with_qemu("fpu", "an385", 0, "fpu: PASS\n");
}

TEST_CASE("mps2: LEDs are named pins, and the ELF in RAM survives a power cycle") {
  auto board = load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/mps2-an385/board.yaml");
  REQUIRE(board.ok());
  auto elf = load_elf(firmware("hello-an385"));
  REQUIRE(elf.ok());
  MachineOptions mo;
  mo.semihosting = true;
  auto m = Machine::create(*board, mo);
  REQUIRE(m.ok());
  REQUIRE((*m)->load_firmware(*elf).empty());
  std::vector<std::pair<std::string, bool>> changes;
  (*m)->on_pin_change = [&](Ticks, const std::string& pin, bool level) { changes.emplace_back(pin, level); };
  for (int boot = 0; boot < 2; ++boot) {
    changes.clear();
    (*m)->power_on();
    RunResult r = (*m)->run_for(25'000'000);
    CHECK(r.reason == StopReason::Exited);
    CHECK(changes.size() == 4);  // LED0, LED1 on, then off
    if (changes.size() == 4) CHECK(changes[0] == std::pair<std::string, bool>{"LED0", true});
    (*m)->power_off();
  }
}
