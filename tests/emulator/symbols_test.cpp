// Symbol lookup (emulator/symbols.h): address → "name+0xoff" with sizes, aliases and unsized
// assembly labels; name → address.
#include "emulator/symbols.h"

#include <doctest/doctest.h>

using namespace hilsim::emu;

namespace {

ElfSymbol func(std::string name, std::uint32_t address, std::uint32_t size,
               ElfSymbol::Binding binding = ElfSymbol::Binding::Global) {
  return {std::move(name), address, size, ElfSymbol::Kind::Function, binding};
}
ElfSymbol object(std::string name, std::uint32_t address, std::uint32_t size) {
  return {std::move(name), address, size, ElfSymbol::Kind::Object, ElfSymbol::Binding::Global};
}

SymbolTable table() {
  return SymbolTable({
      func("main", 0x190, 0x20),
      func("Reset_Handler", 0x100, 0x40),
      func("Default_Handler", 0x140, 0),  // assembly: no size
      func("helper", 0x1b0, 0x10, ElfSymbol::Binding::Local),
      object("counter", 0x20000000, 4),
      object("buffer", 0x20000010, 0x100),
      object("marker", 0x20001000, 0),
  });
}

}  // namespace

TEST_CASE("lookup by address uses sizes") {
  SymbolTable t = table();
  CHECK(t.size() == 7);
  CHECK(t.describe(0x190) == "main");
  CHECK(t.describe(0x1a2) == "main+0x12");
  CHECK(t.format(0x1a2) == "0x000001a2 <main+0x12>");
  CHECK(t.describe(0x1af) == "main+0x1f");
  CHECK(t.describe(0x1b0) == "helper");
  CHECK(t.describe(0x1c0).empty());  // past helper's end
  CHECK(t.format(0x1c0) == "0x000001c0");
  CHECK(t.describe(0xff).empty());   // before everything
  CHECK(t.describe(0x13f) == "Reset_Handler+0x3f");
  CHECK(t.describe(0x20000002) == "counter+0x2");
  CHECK(t.describe(0x20000004).empty());  // the gap between counter and buffer
  CHECK(t.describe(0x2000010f) == "buffer+0xff");
  CHECK(t.format(0xffffffff) == "0xffffffff");
  auto where = t.lookup(0x1a2);
  REQUIRE(where);
  CHECK(where->symbol->name == "main");
  CHECK(where->offset == 0x12);
}

TEST_CASE("an unsized function reaches forward a little, an unsized object only itself") {
  SymbolTable t = table();
  CHECK(t.describe(0x140) == "Default_Handler");
  CHECK(t.describe(0x150) == "Default_Handler+0x10");
  CHECK(t.describe(0x18f) == "Default_Handler+0x4f");  // up to the next symbol
  CHECK(t.describe(0x20001000) == "marker");
  CHECK(t.describe(0x20001001).empty());
  SymbolTable lone({func("asm_loop", 0x1000, 0)});
  CHECK(lone.describe(0x1000 + SymbolTable::kUnsizedReach - 1) == "asm_loop+0xfff");
  CHECK(lone.describe(0x1000 + SymbolTable::kUnsizedReach).empty());
}

TEST_CASE("aliases: the global, sized name wins") {
  SymbolTable t({func("local_alias", 0x200, 0x10, ElfSymbol::Binding::Local),
                 func("weak_alias", 0x200, 0x10, ElfSymbol::Binding::Weak),
                 func("real", 0x200, 0x10), func("label", 0x200, 0)});
  CHECK(t.describe(0x204) == "real+0x4");
  CHECK(t.find("weak_alias") == 0x200u);
}

TEST_CASE("a label inside a sized function does not hide it") {
  SymbolTable t({func("outer", 0x300, 0x100), object("inner_table", 0x380, 0x8)});
  CHECK(t.describe(0x384) == "inner_table+0x4");
  CHECK(t.describe(0x390) == "outer+0x90");
}

TEST_CASE("find by name; duplicates prefer global") {
  SymbolTable t({func("init", 0x400, 4, ElfSymbol::Binding::Local), func("init", 0x500, 4),
                 func("init", 0x600, 4, ElfSymbol::Binding::Local)});
  CHECK(t.find("init") == 0x500u);
  SymbolTable u = table();
  CHECK(u.find("main") == 0x190u);
  CHECK(u.find("counter") == 0x20000000u);
  CHECK_FALSE(u.find("nope"));
  CHECK_FALSE(u.find("mai"));
  SymbolTable empty;
  CHECK(empty.empty());
  CHECK(empty.format(0x10) == "0x00000010");
  CHECK_FALSE(empty.lookup(0));
}
