// ELF images (emulator/elf_image.h): tiny images are generated here byte by byte (no binary
// files in the repository), then cut, corrupted and placed on boards; a real toolchain image
// is built from tests/data/elf/tiny.c when arm-none-eabi-gcc is installed.
#include "emulator/elf_image.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/symbols.h"

using namespace hilsim::emu;

namespace {

// ==== a minimal ELF32 writer =================================================================
// Layout: Ehdr | Phdrs | segment data | .strtab | .symtab | .shstrtab | Shdrs.
// Sections: 0 null, 1 .text (over segment 0's data), 2 .symtab, 3 .strtab, 4 .shstrtab.
struct TestElf {
  struct Segment {
    std::uint32_t paddr, vaddr, memsz, flags;
    std::vector<std::uint8_t> data;
  };
  struct Symbol {
    std::string name;
    std::uint32_t value, size;
    std::uint8_t type, bind;  // STT_*, STB_*
    std::uint16_t shndx = 1;
  };
  std::uint8_t elf_class = 1, encoding = 1;
  std::uint16_t type = 2, machine = 40;
  std::uint32_t entry = 0x9;
  std::vector<Segment> segments;
  std::vector<Symbol> symbols;
  bool section_headers = true;

  // Byte offsets of things the tests corrupt, filled in by build().
  std::size_t symtab_header = 0, strtab_offset = 0, strtab_size = 0, first_symbol = 0;

  static void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    b[at] = v & 0xff;
    b[at + 1] = (v >> 8) & 0xff;
  }
  static void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = (v >> (8 * i)) & 0xff;
  }
  static void align(std::vector<std::uint8_t>& b) {
    while (b.size() % 4) b.push_back(0);
  }

  std::vector<std::uint8_t> build() {
    std::vector<std::uint8_t> b(52 + 32 * segments.size(), 0);
    const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', elf_class, encoding, 1};
    std::copy(std::begin(ident), std::end(ident), b.begin());
    put16(b, 16, type);
    put16(b, 18, machine);
    put32(b, 20, 1);
    put32(b, 24, entry);
    put32(b, 28, segments.empty() ? 0 : 52);
    put16(b, 40, 52);
    put16(b, 42, 32);
    put16(b, 44, static_cast<std::uint32_t>(segments.size()));
    std::vector<std::size_t> data_at;
    for (const Segment& s : segments) {
      align(b);
      data_at.push_back(b.size());
      b.insert(b.end(), s.data.begin(), s.data.end());
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
      std::size_t at = 52 + 32 * i;
      const Segment& s = segments[i];
      put32(b, at, 1);  // PT_LOAD
      put32(b, at + 4, static_cast<std::uint32_t>(data_at[i]));
      put32(b, at + 8, s.vaddr);
      put32(b, at + 12, s.paddr);
      put32(b, at + 16, static_cast<std::uint32_t>(s.data.size()));
      put32(b, at + 20, s.memsz);
      put32(b, at + 24, s.flags);
      put32(b, at + 28, 4);
    }
    if (!section_headers) return b;

    strtab_offset = b.size();
    b.push_back(0);
    std::vector<std::uint32_t> names;
    for (const Symbol& s : symbols) {
      names.push_back(static_cast<std::uint32_t>(b.size() - strtab_offset));
      b.insert(b.end(), s.name.begin(), s.name.end());
      b.push_back(0);
    }
    strtab_size = b.size() - strtab_offset;
    align(b);
    std::size_t symtab_offset = b.size();
    b.resize(b.size() + 16, 0);  // symbol 0 is null
    first_symbol = b.size();
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      std::size_t at = b.size();
      b.resize(at + 16, 0);
      put32(b, at, names[i]);
      put32(b, at + 4, symbols[i].value);
      put32(b, at + 8, symbols[i].size);
      b[at + 12] = static_cast<std::uint8_t>(symbols[i].bind << 4 | symbols[i].type);
      put16(b, at + 14, symbols[i].shndx);
    }
    std::size_t symtab_size = b.size() - symtab_offset;
    std::size_t shstrtab_offset = b.size();
    const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";  // offsets 1, 7, 15, 23
    b.insert(b.end(), shstr, shstr + sizeof shstr);
    align(b);
    std::size_t shoff = b.size();
    b.resize(shoff + 5 * 40, 0);
    auto section = [&](int index, std::uint32_t name, std::uint32_t sh_type, std::size_t offset,
                       std::size_t size, std::uint32_t link, std::uint32_t entsize) {
      std::size_t at = shoff + 40 * index;
      put32(b, at, name);
      put32(b, at + 4, sh_type);
      put32(b, at + 16, static_cast<std::uint32_t>(offset));
      put32(b, at + 20, static_cast<std::uint32_t>(size));
      put32(b, at + 24, link);
      put32(b, at + 36, entsize);
    };
    section(1, 1, 1, segments.empty() ? 0 : data_at[0],
            segments.empty() ? 0 : segments[0].data.size(), 0, 0);
    section(2, 7, 2, symtab_offset, symtab_size, 3, 16);
    section(3, 15, 3, strtab_offset, strtab_size, 0, 0);
    section(4, 23, 3, shstrtab_offset, sizeof shstr, 0, 0);
    symtab_header = shoff + 2 * 40;
    put32(b, 32, static_cast<std::uint32_t>(shoff));
    put16(b, 46, 40);
    put16(b, 48, 5);
    put16(b, 50, 4);
    return b;
  }
};

constexpr std::uint8_t kFunc = 2, kObject = 1, kNoType = 0, kGlobal = 1, kLocal = 0, kWeak = 2;

// Flash at 0 with code; .data image at LMA 0x100 running at 0x20000000 with 8 bytes of .bss.
TestElf typical() {
  TestElf elf;
  std::vector<std::uint8_t> code(0x40);
  for (std::size_t i = 0; i < code.size(); ++i) code[i] = static_cast<std::uint8_t>(i);
  elf.segments.push_back({0x0, 0x0, 0x40, 5, code});
  elf.segments.push_back({0x100, 0x20000000, 0x10, 6, {1, 2, 3, 4, 5, 6, 7, 8}});
  elf.symbols = {
      {"Reset_Handler", 0x9, 0x10, kFunc, kGlobal},
      {"main", 0x19, 0x20, kFunc, kGlobal},
      {"counter", 0x20000000, 4, kObject, kGlobal},
      {"$t", 0x8, 0, kNoType, kLocal},                 // mapping symbol: skipped
      {"puts", 0, 0, kFunc, kGlobal, 0},               // undefined: skipped
      {"helper", 0x39, 0, kFunc, kLocal},
  };
  return elf;
}

const std::string kBoard =
    "name: t\n"
    "cpu: cortex-m4\n"
    "clock-hz: 1000000\n"
    "memory:\n"
    "  - {name: flash, kind: flash, base: 0x0, size: 64KiB}\n"
    "  - {name: ram, kind: ram, base: 0x20000000, size: 16KiB}\n";

BoardConfig board() {
  auto loaded = load_board_from_string(kBoard, "t.yaml");
  REQUIRE(loaded.ok());
  return *loaded;
}

std::string error_of(const std::vector<std::uint8_t>& bytes) {
  auto result = parse_elf(bytes, "t.elf");
  CHECK_FALSE(result.ok());
  return result.ok() ? std::string("(parsed)") : result.error();
}

}  // namespace

TEST_CASE("a generated ELF parses: entry, PT_LOAD segments, FUNC/OBJECT symbols") {
  TestElf elf = typical();
  auto result = parse_elf(elf.build(), "t.elf");
  INFO(result.error());
  REQUIRE(result.ok());
  const ElfImage& image = *result;
  CHECK(image.file == "t.elf");
  CHECK(image.entry == 0x9);
  REQUIRE(image.segments.size() == 2);
  CHECK(image.segments[0].paddr == 0);
  CHECK(image.segments[0].filesz == 0x40);
  CHECK(image.segments[0].data[0x3f] == 0x3f);
  CHECK(image.segments[0].flags == 5);
  CHECK(image.segments[1].paddr == 0x100);
  CHECK(image.segments[1].vaddr == 0x20000000);
  CHECK(image.segments[1].filesz == 8);
  CHECK(image.segments[1].memsz == 0x10);
  REQUIRE(image.symbols.size() == 4);
  CHECK(image.symbols[0].name == "Reset_Handler");
  CHECK(image.symbols[0].address == 0x8);  // Thumb bit cleared
  CHECK(image.symbols[0].kind == ElfSymbol::Kind::Function);
  CHECK(image.symbols[1].name == "main");
  CHECK(image.symbols[1].address == 0x18);
  CHECK(image.symbols[1].size == 0x20);
  CHECK(image.symbols[2].name == "counter");
  CHECK(image.symbols[2].address == 0x20000000);
  CHECK(image.symbols[2].kind == ElfSymbol::Kind::Object);
  CHECK(image.symbols[3].name == "helper");
  CHECK(image.symbols[3].binding == ElfSymbol::Binding::Local);
}

TEST_CASE("a stripped ELF (no section headers) has no symbols") {
  TestElf elf = typical();
  elf.section_headers = false;
  auto result = parse_elf(elf.build(), "t.elf");
  INFO(result.error());
  REQUIRE(result.ok());
  CHECK(result->symbols.empty());
  CHECK(result->segments.size() == 2);
}

TEST_CASE("every truncation of a valid ELF fails cleanly") {
  TestElf elf = typical();
  std::vector<std::uint8_t> bytes = elf.build();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    CAPTURE(length);
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + length);
    auto result = parse_elf(cut, "t.elf");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().rfind("t.elf: ", 0) == 0);
  }
  CHECK(error_of({}) == "t.elf: not an ELF file (no \\x7fELF magic at offset 0)");
  CHECK(error_of(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 51)) ==
        "t.elf: truncated ELF header (51 bytes of 52)");
}

TEST_CASE("wrong kinds of ELF are named") {
  TestElf elf = typical();
  elf.elf_class = 2;
  CHECK(error_of(elf.build()) == "t.elf: 64-bit ELF; expected a 32-bit ARM executable");
  elf = typical();
  elf.encoding = 2;
  CHECK(error_of(elf.build()) == "t.elf: big-endian ELF; expected little-endian");
  elf = typical();
  elf.machine = 62;
  CHECK(error_of(elf.build()) == "t.elf: machine 62 (x86-64); expected ARM (40)");
  elf = typical();
  elf.type = 1;
  CHECK(error_of(elf.build()).find("(relocatable object); expected an executable") != std::string::npos);
  elf = typical();
  elf.segments.clear();
  CHECK(error_of(elf.build()) == "t.elf: no program headers; expected loadable segments");
  std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  CHECK(error_of(text).find("not an ELF file") != std::string::npos);
}

TEST_CASE("tables pointing outside the file are refused") {
  TestElf elf = typical();
  const std::vector<std::uint8_t> good = elf.build();
  auto corrupt = [&](std::size_t at, std::uint32_t value, bool wide = true) {
    std::vector<std::uint8_t> bad = good;
    if (wide) TestElf::put32(bad, at, value); else TestElf::put16(bad, at, value);
    return error_of(bad);
  };
  CHECK(corrupt(28, 0xfffffff0).find("program header table [0xfffffff0, 0x100000030) lies outside the file") !=
        std::string::npos);
  CHECK(corrupt(42, 20, false) == "t.elf: program header size 20; expected 32");
  CHECK(corrupt(52 + 4, 0x7ffffff0).find("segment 0: file data [0x7ffffff0, ") != std::string::npos);
  CHECK(corrupt(52 + 16, 0xffffffff).find("segment 0: file data") != std::string::npos);  // filesz
  CHECK(corrupt(52 + 20, 0x10).find("segment 0: memory size 0x00000010 is smaller than file size 0x00000040") !=
        std::string::npos);
  CHECK(corrupt(52 + 32 + 8, 0xfffffff8).find("segment 1 runs past the end of the 32-bit address space") !=
        std::string::npos);
  CHECK(corrupt(32, 0xffffff00).find("section header table") != std::string::npos);
  CHECK(corrupt(46, 64, false) == "t.elf: section header size 64; expected 40");
  CHECK(corrupt(elf.symtab_header + 16, 0xfffff000).find("symbol table (section 2) [0xfffff000,") !=
        std::string::npos);
  CHECK(corrupt(elf.symtab_header + 20, 0x7fffffff).find("lies outside the file") != std::string::npos);
  CHECK(corrupt(elf.symtab_header + 24, 9) == "t.elf: symbol table (section 2): string table index 9 is not a section");
  CHECK(corrupt(elf.symtab_header + 24, 1) == "t.elf: symbol table (section 2): linked section 1 is not a string table");
  CHECK(corrupt(elf.symtab_header + 36, 12) == "t.elf: symbol table (section 2): entry size 12; expected 16");
  CHECK(corrupt(elf.symtab_header + 40 + 20, 0x7fffffff).find("string table (section 3)") != std::string::npos);
  CHECK(corrupt(elf.first_symbol, 0x1000) ==
        "t.elf: symbol table (section 2): symbol 1 has a name offset 4096 outside the string table (" +
            std::to_string(elf.strtab_size) + " bytes)");
  // A string table whose last name has no terminating NUL.
  std::vector<std::uint8_t> bad = good;
  TestElf::put32(bad, elf.symtab_header + 40 + 20, static_cast<std::uint32_t>(elf.strtab_size - 1));
  CHECK(error_of(bad).find("runs off the end of the string table") != std::string::npos);
}

TEST_CASE("random corruption never crashes the reader") {
  TestElf elf = typical();
  const std::vector<std::uint8_t> good = elf.build();
  std::uint64_t state = 0x9e3779b97f4a7c15ull;  // fixed seed: the test is deterministic
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int parsed = 0;
  for (int round = 0; round < 5000; ++round) {
    std::vector<std::uint8_t> bytes = good;
    int flips = 1 + static_cast<int>(next() % 4);
    for (int i = 0; i < flips; ++i) bytes[next() % bytes.size()] = static_cast<std::uint8_t>(next());
    auto result = parse_elf(bytes, "t.elf");
    if (result.ok()) {
      ++parsed;
      SymbolTable symbols(result->symbols);  // must cope with whatever came out
      (void)symbols.format(0x18);
    } else {
      CHECK(result.error().rfind("t.elf: ", 0) == 0);
    }
  }
  CHECK(parsed > 0);
}

TEST_CASE("place puts each segment's file bytes at its load address") {
  TestElf elf = typical();
  auto image = parse_elf(elf.build(), "t.elf");
  REQUIRE(image.ok());
  auto chunks = place(*image, board());
  INFO(chunks.error());
  REQUIRE(chunks.ok());
  REQUIRE(chunks->size() == 2);
  CHECK((*chunks)[0].address == 0);
  CHECK((*chunks)[0].bytes.size() == 0x40);
  CHECK((*chunks)[1].address == 0x100);  // .data's image in flash, not at 0x20000000
  CHECK((*chunks)[1].bytes == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("place refuses segments outside the board's memory") {
  TestElf elf = typical();
  elf.segments[1].paddr = 0x0000fffc;  // straddles the end of flash
  auto image = parse_elf(elf.build(), "t.elf");
  REQUIRE(image.ok());
  auto chunks = place(*image, board());
  REQUIRE_FALSE(chunks.ok());
  CHECK(chunks.error() == "t.elf: segment 1 loads at [0x0000fffc, 0x00010004), which is not inside one "
                          "memory region of board 't' (t.yaml)");

  elf = typical();
  elf.segments[1].vaddr = 0x20003ff8;  // .data + .bss run past the end of RAM
  image = parse_elf(elf.build(), "t.elf");
  REQUIRE(image.ok());
  chunks = place(*image, board());
  REQUIRE_FALSE(chunks.ok());
  CHECK(chunks.error() == "t.elf: segment 1 runs at [0x20003ff8, 0x20004008), which is not inside one "
                          "memory region of board 't' (t.yaml)");

  elf = typical();
  elf.segments[1].paddr = 0x20;  // lands on top of segment 0
  image = parse_elf(elf.build(), "t.elf");
  REQUIRE(image.ok());
  chunks = place(*image, board());
  REQUIRE_FALSE(chunks.ok());
  CHECK(chunks.error().find("overlapping an earlier segment at [0x00000000, 0x00000040)") != std::string::npos);
}

TEST_CASE("load_elf reports a missing file") {
  auto result = load_elf("/nonexistent/fw.elf");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error() == "/nonexistent/fw.elf: cannot open firmware image");
}

TEST_CASE("a real arm-none-eabi-gcc image (tests/data/elf/tiny.c)") {
  if (std::system("arm-none-eabi-gcc --version > /dev/null 2>&1") != 0) {
    MESSAGE("arm-none-eabi-gcc not installed; skipped");
    return;
  }
  const std::string data = std::string(HILSIM_SOURCE_DIR) + "/tests/data/elf/";
  const std::string out = std::string(HILSIM_BUILD_DIR) + "/elf_image_test_tiny.elf";
  const std::string command = "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O1 -nostdlib -ffreestanding -T " +
                              data + "tiny.ld " + data + "tiny.c -o " + out;
  REQUIRE(std::system(command.c_str()) == 0);
  auto image = load_elf(out);
  INFO(image.error());
  REQUIRE(image.ok());
  SymbolTable symbols(image->symbols);
  auto reset = symbols.find("Reset_Handler");
  REQUIRE(reset);
  CHECK(image->entry == (*reset | 1));
  REQUIRE(symbols.find("main"));
  REQUIRE(symbols.find("step"));
  CHECK(symbols.describe(*symbols.find("main") + 2) == "main+0x2");
  CHECK(symbols.find("counter") >= 0x20000000u);
  // .data: runs in RAM, loads in flash.
  bool data_segment = false;
  for (const ElfSegment& s : image->segments) data_segment |= s.vaddr == 0x20000000 && s.paddr < 0x10000;
  CHECK(data_segment);
  auto chunks = place(*image, board());
  INFO(chunks.error());
  REQUIRE(chunks.ok());
  for (const LoadChunk& chunk : *chunks) CHECK(chunk.address < 0x10000);
  // The vector table's reset entry is the entry point.
  const LoadChunk& first = (*chunks)[0];
  REQUIRE(first.address == 0);
  REQUIRE(first.bytes.size() >= 8);
  std::uint32_t reset_vector = first.bytes[4] | first.bytes[5] << 8 | first.bytes[6] << 16 |
                               static_cast<std::uint32_t>(first.bytes[7]) << 24;
  CHECK(reset_vector == image->entry);
}
