// Formatting of fault reports.
#include "emulator/fault_report.h"

#include <cstdio>

#include "emulator/symbols.h"

namespace hilsim::emu {

namespace {
std::string where(std::uint32_t addr, const SymbolTable* symbols) {
  if (symbols) return symbols->format(addr);
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", addr);
  return buf;
}
}  // namespace

std::string format_fault(const FaultReport& f, const SymbolTable* symbols) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "FAULT: %s at %.6f s (instruction %llu)\n", f.kind.c_str(),
                f.seconds, static_cast<unsigned long long>(f.at));
  out += line;
  if (!f.detail.empty()) out += "  " + f.detail + "\n";
  out += "  pc " + where(f.pc, symbols) + (f.pc_exact ? "" : " (start of the faulting block)") + "\n";
  static const char* names[16] = {"r0", "r1", "r2",  "r3",  "r4",  "r5", "r6", "r7",
                                  "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"};
  for (int i = 0; i < 16; i += 4) {
    std::snprintf(line, sizeof line, "  %-3s %08x  %-3s %08x  %-3s %08x  %-3s %08x\n", names[i],
                  f.r[i], names[i + 1], f.r[i + 1], names[i + 2], f.r[i + 2], names[i + 3],
                  f.r[i + 3]);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "  xpsr %08x  msp %08x  psp %08x  control %x  primask %x  basepri %02x  "
                "faultmask %x  exception %d%s\n",
                f.xpsr, f.msp, f.psp, f.control, f.primask, f.basepri, f.faultmask, f.exception,
                f.exception == 0 ? " (thread mode)" : "");
  out += line;
  if (!f.backtrace.empty()) {
    out += "  backtrace:\n";
    int i = 0;
    for (std::uint32_t a : f.backtrace) {
      std::snprintf(line, sizeof line, "    #%d ", i++);
      out += line + where(a, symbols) + "\n";
    }
  }
  return out;
}

}  // namespace hilsim::emu
