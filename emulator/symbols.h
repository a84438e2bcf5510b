// Address ↔ name for reports, traces and the debugger: built from an ELF image's FUNC and
// OBJECT symbols. A sorted vector searched by binary search; a symbol with a size covers
// [address, address + size); a function without a size (hand-written assembly) covers up to
// kUnsizedReach bytes after it, unless another symbol starts first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/elf_image.h"

namespace hilsim::emu {

class SymbolTable {
 public:
  static constexpr std::uint32_t kUnsizedReach = 4096;

  struct Location {
    const ElfSymbol* symbol = nullptr;
    std::uint32_t offset = 0;  // address - symbol->address
  };

  SymbolTable() = default;
  explicit SymbolTable(std::vector<ElfSymbol> symbols);

  // The symbol that covers `address`, if any.
  std::optional<Location> lookup(std::uint32_t address) const;
  // "main+0x12", "main" at offset 0, or "" when nothing covers the address.
  std::string describe(std::uint32_t address) const;
  // "0x000001a4 <main+0x12>", or "0x000001a4" when nothing covers the address.
  std::string format(std::uint32_t address) const;
  // Address of a symbol by exact name (functions without the Thumb bit). Where names repeat
  // (static functions in several files), a global beats a weak beats a local one.
  std::optional<std::uint32_t> find(std::string_view name) const;

  std::size_t size() const { return symbols_.size(); }
  bool empty() const { return symbols_.empty(); }
  const std::vector<ElfSymbol>& symbols() const { return symbols_; }  // sorted by address

 private:
  std::vector<ElfSymbol> symbols_;  // by address; aliases: preferred one first
  std::unordered_map<std::string, std::size_t> by_name_;  // index into symbols_
};

}  // namespace hilsim::emu
