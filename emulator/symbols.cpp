// SymbolTable: sorted by (address, preference) so that among aliases at one address the
// preferred name (global, then weak, then local; a sized one before an unsized one) comes
// first and is the one lookup() reports.
#include "emulator/symbols.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <tuple>

namespace hilsim::emu {
namespace {

int rank(ElfSymbol::Binding binding) {
  switch (binding) {
    case ElfSymbol::Binding::Global: return 0;
    case ElfSymbol::Binding::Weak: return 1;
    case ElfSymbol::Binding::Local: return 2;
  }
  return 3;
}

// Strict weak order: by address, then preference, then name (stable output across runs).
bool before(const ElfSymbol& a, const ElfSymbol& b) {
  return std::make_tuple(a.address, rank(a.binding), a.size == 0, a.kind, std::string_view(a.name)) <
         std::make_tuple(b.address, rank(b.binding), b.size == 0, b.kind, std::string_view(b.name));
}

}  // namespace

SymbolTable::SymbolTable(std::vector<ElfSymbol> symbols) : symbols_(std::move(symbols)) {
  std::sort(symbols_.begin(), symbols_.end(), before);
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    auto [it, inserted] = by_name_.try_emplace(symbols_[i].name, i);
    if (!inserted && rank(symbols_[i].binding) < rank(symbols_[it->second].binding)) it->second = i;
  }
}

std::optional<SymbolTable::Location> SymbolTable::lookup(std::uint32_t address) const {
  // Last symbol starting at or below `address`; then back over its aliases to the preferred one.
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](std::uint32_t a, const ElfSymbol& s) { return a < s.address; });
  if (it == symbols_.begin()) return std::nullopt;
  std::uint32_t start = std::prev(it)->address;
  auto first = std::lower_bound(symbols_.begin(), it, start,
                                [](const ElfSymbol& s, std::uint32_t a) { return s.address < a; });
  std::uint32_t offset = address - start;
  // Any alias at `start` whose size covers the address (the preferred one first).
  for (auto s = first; s != it; ++s) {
    if (s->size != 0 && offset < s->size) return Location{&*s, offset};
  }
  // No sized alias covers it: an unsized function reaches a little way forward.
  for (auto s = first; s != it; ++s) {
    if (s->size == 0 && s->kind == ElfSymbol::Kind::Function && offset < kUnsizedReach)
      return Location{&*s, offset};
    if (s->size == 0 && offset == 0) return Location{&*s, 0};
  }
  // An enclosing sized symbol further back (a nested label inside a function, say).
  // Bounded, so that a miss costs little: nothing in a firmware image nests that deep or big.
  int budget = 64;
  for (auto s = std::make_reverse_iterator(first); s != symbols_.rend() && budget-- > 0; ++s) {
    if (s->size != 0 && address - s->address < s->size) return Location{&*s, address - s->address};
    if (start - s->address > (1u << 20)) break;
  }
  return std::nullopt;
}

std::string SymbolTable::describe(std::uint32_t address) const {
  auto where = lookup(address);
  if (!where) return {};
  if (where->offset == 0) return where->symbol->name;
  char text[16];
  std::snprintf(text, sizeof text, "+0x%x", where->offset);
  return where->symbol->name + text;
}

std::string SymbolTable::format(std::uint32_t address) const {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", address);
  std::string name = describe(address);
  return name.empty() ? std::string(text) : std::string(text) + " <" + name + ">";
}

std::optional<std::uint32_t> SymbolTable::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return std::nullopt;
  return symbols_[it->second].address;
}

}  // namespace hilsim::emu
