// Firmware symbol names as people read them: the reference firmware is C++, so the ELF's names
// are mangled ("_ZN5agent12_GLOBAL__N_113download_sinkEPvPKhm"); the panel shows
// "agent::(anonymous namespace)::download_sink".
#pragma once

#include <string>

namespace hilsim::gui {

// "func+0x12" with func demangled and its parameter list dropped.
std::string readable_symbol(const std::string& sym);
// Every "<func+0x12>" in `text` (emu::SymbolTable::format's form) made readable.
std::string readable_symbols_in(const std::string& text);

}  // namespace hilsim::gui
