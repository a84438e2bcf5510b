// ELF32 little-endian ARM reader with full bounds checking, and placement of an image on a
// board's memory map. Layouts follow the System V gABI (Elf32_Ehdr 52 bytes, Elf32_Phdr 32,
// Elf32_Shdr 40, Elf32_Sym 16). All arithmetic on file offsets is done in 64 bits so that
// offset + size cannot wrap.
#include "emulator/elf_image.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string_view>

#include "emulator/board_config.h"

#include "emulator/text.h"

namespace hilsim::emu {
namespace {

constexpr std::size_t kEhdrSize = 52, kPhdrSize = 32, kShdrSize = 40, kSymSize = 16;
constexpr std::uint16_t kEtExec = 2, kEmArm = 40;
constexpr std::uint32_t kPtLoad = 1, kShtSymtab = 2, kShtStrtab = 3;
constexpr std::uint8_t kSttObject = 1, kSttFunc = 2;
constexpr std::uint8_t kStbLocal = 0, kStbWeak = 2;  // anything else counts as global
constexpr std::uint16_t kShnUndef = 0, kShnLoReserve = 0xff00, kShnAbs = 0xfff1;


const char* machine_name(std::uint16_t machine) {
  switch (machine) {
    case 3: return " (x86)";
    case 8: return " (MIPS)";
    case 20: return " (PowerPC)";
    case 40: return " (ARM)";
    case 62: return " (x86-64)";
    case 183: return " (AArch64)";
    case 243: return " (RISC-V)";
    default: return "";
  }
}

// Little-endian reads; callers have checked the range.
std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
std::uint32_t u32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

class Parser {
 public:
  Parser(std::span<const std::uint8_t> bytes, const std::string& file) : b_(bytes), file_(file) {}

  Loaded<ElfImage> parse();

 private:
  bool fail(const std::string& message) {
    error_ = file_ + ": " + message;
    return false;
  }
  bool inside(std::uint64_t offset, std::uint64_t size) const {
    return offset <= b_.size() && size <= b_.size() - offset;
  }
  bool header();
  bool segments();
  bool symbols();

  std::span<const std::uint8_t> b_;
  const std::string& file_;
  std::string error_;
  ElfImage image_;
};

bool Parser::header() {
  if (b_.size() < 4 || b_[0] != 0x7f || b_[1] != 'E' || b_[2] != 'L' || b_[3] != 'F')
    return fail("not an ELF file (no \\x7fELF magic at offset 0)");
  if (b_.size() < 5) return fail("truncated ELF header (" + std::to_string(b_.size()) + " bytes)");
  if (b_[4] != 1) {
    return fail(b_[4] == 2 ? "64-bit ELF; expected a 32-bit ARM executable"
                           : "bad ELF class " + std::to_string(b_[4]) + "; expected 1 (32-bit)");
  }
  if (b_.size() < 6) return fail("truncated ELF header (" + std::to_string(b_.size()) + " bytes)");
  if (b_[5] != 1) {
    return fail(b_[5] == 2 ? "big-endian ELF; expected little-endian"
                           : "bad ELF data encoding " + std::to_string(b_[5]) +
                                 "; expected 1 (little-endian)");
  }
  if (b_.size() < kEhdrSize) {
    return fail("truncated ELF header (" + std::to_string(b_.size()) + " bytes of " +
                std::to_string(kEhdrSize) + ")");
  }
  if (b_[6] != 1 || u32(b_, 20) != 1) return fail("unknown ELF version; expected 1");
  std::uint16_t type = u16(b_, 16), machine = u16(b_, 18);
  if (machine != kEmArm) {
    return fail("machine " + std::to_string(machine) + machine_name(machine) +
                "; expected ARM (40)");
  }
  if (type != kEtExec) {
    return fail("ELF type " + std::to_string(type) +
                (type == 1 ? " (relocatable object)" : type == 3 ? " (shared object)" : "") +
                "; expected an executable (2): link the firmware first");
  }
  image_.entry = u32(b_, 24);
  return true;
}

bool Parser::segments() {
  std::uint32_t phoff = u32(b_, 28);
  std::uint16_t phentsize = u16(b_, 42), phnum = u16(b_, 44);
  if (phnum == 0) return fail("no program headers; expected loadable segments");
  if (phnum == 0xffff) return fail("extended program header numbering is not supported");
  if (phentsize != kPhdrSize) {
    return fail("program header size " + std::to_string(phentsize) + "; expected " +
                std::to_string(kPhdrSize));
  }
  if (!inside(phoff, std::uint64_t{phnum} * kPhdrSize)) {
    return fail("program header table " + range(phoff, std::uint64_t{phoff} + phnum * kPhdrSize) +
                " lies outside the file (" + std::to_string(b_.size()) + " bytes)");
  }
  for (unsigned i = 0; i < phnum; ++i) {
    std::size_t at = phoff + i * kPhdrSize;
    if (u32(b_, at) != kPtLoad) continue;
    ElfSegment s;
    std::uint32_t offset = u32(b_, at + 4);
    s.vaddr = u32(b_, at + 8);
    s.paddr = u32(b_, at + 12);
    s.filesz = u32(b_, at + 16);
    s.memsz = u32(b_, at + 20);
    s.flags = u32(b_, at + 24);
    std::string name = "segment " + std::to_string(i);
    if (!inside(offset, s.filesz)) {
      return fail(name + ": file data " + range(offset, std::uint64_t{offset} + s.filesz) +
                  " lies outside the file (" + std::to_string(b_.size()) + " bytes)");
    }
    if (s.memsz < s.filesz) {
      return fail(name + ": memory size " + hex(s.memsz) + " is smaller than file size " +
                  hex(s.filesz));
    }
    if (std::uint64_t{s.paddr} + s.filesz > (std::uint64_t{1} << 32) ||
        std::uint64_t{s.vaddr} + s.memsz > (std::uint64_t{1} << 32)) {
      return fail(name + " runs past the end of the 32-bit address space");
    }
    s.data.assign(b_.begin() + offset, b_.begin() + offset + s.filesz);
    image_.segments.push_back(std::move(s));
  }
  if (image_.segments.empty()) return fail("no PT_LOAD segments; nothing to load");
  return true;
}

// .symtab and its string table. A stripped image (no .symtab) is fine: no symbols.
bool Parser::symbols() {
  std::uint32_t shoff = u32(b_, 32);
  std::uint16_t shentsize = u16(b_, 46), shnum = u16(b_, 48);
  if (shoff == 0) return true;
  if (shnum == 0) return fail("extended section numbering is not supported");
  if (shentsize != kShdrSize) {
    return fail("section header size " + std::to_string(shentsize) + "; expected " +
                std::to_string(kShdrSize));
  }
  if (!inside(shoff, std::uint64_t{shnum} * kShdrSize)) {
    return fail("section header table " + range(shoff, std::uint64_t{shoff} + shnum * kShdrSize) +
                " lies outside the file (" + std::to_string(b_.size()) + " bytes)");
  }
  auto section = [&](unsigned index) { return shoff + index * kShdrSize; };
  for (unsigned i = 0; i < shnum; ++i) {
    std::size_t sh = section(i);
    if (u32(b_, sh + 4) != kShtSymtab) continue;
    std::uint32_t offset = u32(b_, sh + 16), size = u32(b_, sh + 20), link = u32(b_, sh + 24);
    std::uint32_t entsize = u32(b_, sh + 36);
    std::string name = "symbol table (section " + std::to_string(i) + ")";
    if (entsize != kSymSize) {
      return fail(name + ": entry size " + std::to_string(entsize) + "; expected " +
                  std::to_string(kSymSize));
    }
    if (!inside(offset, size)) {
      return fail(name + " " + range(offset, std::uint64_t{offset} + size) +
                  " lies outside the file (" + std::to_string(b_.size()) + " bytes)");
    }
    if (link == 0 || link >= shnum) {
      return fail(name + ": string table index " + std::to_string(link) + " is not a section");
    }
    std::size_t strsh = section(link);
    if (u32(b_, strsh + 4) != kShtStrtab) {
      return fail(name + ": linked section " + std::to_string(link) + " is not a string table");
    }
    std::uint32_t str_offset = u32(b_, strsh + 16), str_size = u32(b_, strsh + 20);
    if (!inside(str_offset, str_size)) {
      return fail("string table (section " + std::to_string(link) + ") " +
                  range(str_offset, std::uint64_t{str_offset} + str_size) +
                  " lies outside the file (" + std::to_string(b_.size()) + " bytes)");
    }
    std::string_view strings(reinterpret_cast<const char*>(b_.data()) + str_offset, str_size);
    for (std::size_t at = offset; at + kSymSize <= std::uint64_t{offset} + size; at += kSymSize) {
      std::uint32_t name_offset = u32(b_, at), value = u32(b_, at + 4), sym_size = u32(b_, at + 8);
      std::uint8_t info = b_[at + 12];
      std::uint16_t shndx = u16(b_, at + 14);
      std::uint8_t kind = info & 0xf, bind = info >> 4;
      if (kind != kSttFunc && kind != kSttObject) continue;
      if (shndx == kShnUndef || (shndx >= kShnLoReserve && shndx != kShnAbs)) continue;
      if (name_offset >= strings.size()) {
        return fail(name + ": symbol " + std::to_string((at - offset) / kSymSize) +
                    " has a name offset " + std::to_string(name_offset) +
                    " outside the string table (" + std::to_string(strings.size()) + " bytes)");
      }
      std::size_t end = strings.find('\0', name_offset);
      if (end == std::string_view::npos) {
        return fail(name + ": symbol " + std::to_string((at - offset) / kSymSize) +
                    " has a name that runs off the end of the string table");
      }
      if (end == name_offset) continue;  // unnamed
      ElfSymbol symbol;
      symbol.name = std::string(strings.substr(name_offset, end - name_offset));
      symbol.kind = kind == kSttFunc ? ElfSymbol::Kind::Function : ElfSymbol::Kind::Object;
      symbol.address = kind == kSttFunc ? (value & ~1u) : value;
      symbol.size = sym_size;
      symbol.binding = bind == kStbLocal ? ElfSymbol::Binding::Local
                       : bind == kStbWeak ? ElfSymbol::Binding::Weak
                                          : ElfSymbol::Binding::Global;
      image_.symbols.push_back(std::move(symbol));
    }
    break;  // an executable has at most one .symtab
  }
  return true;
}

Loaded<ElfImage> Parser::parse() {
  image_.file = file_;
  if (!header() || !segments() || !symbols()) return Loaded<ElfImage>::failure(error_);
  return std::move(image_);
}

}  // namespace

Loaded<ElfImage> parse_elf(std::span<const std::uint8_t> bytes, const std::string& file) {
  try {
    return Parser(bytes, file).parse();
  } catch (const std::exception& e) {  // only allocation failure can get here
    return Loaded<ElfImage>::failure(file + ": " + e.what());
  }
}

Loaded<ElfImage> load_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Loaded<ElfImage>::failure(path + ": cannot open firmware image");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) return Loaded<ElfImage>::failure(path + ": cannot read firmware image");
  return parse_elf(bytes, path);
}

Loaded<std::vector<LoadChunk>> place(const ElfImage& image, const BoardConfig& board) {
  using Result = Loaded<std::vector<LoadChunk>>;
  std::vector<LoadChunk> chunks;
  auto region_for = [&](std::uint64_t begin, std::uint64_t end) -> const MemoryRegion* {
    for (const MemoryRegion& m : board.memory)
      if (begin >= m.base && end <= m.end()) return &m;
    return nullptr;
  };
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const ElfSegment& s = image.segments[i];
    std::string name = image.file + ": segment " + std::to_string(i);
    if (s.memsz != 0) {
      std::uint64_t begin = s.vaddr, end = std::uint64_t{s.vaddr} + s.memsz;
      if (!region_for(begin, end)) {
        return Result::failure(name + " runs at " + range(begin, end) +
                               ", which is not inside one memory region of board '" +
                               board.name + "' (" + board.file + ")");
      }
    }
    if (s.filesz == 0) continue;
    std::uint64_t begin = s.paddr, end = std::uint64_t{s.paddr} + s.filesz;
    if (!region_for(begin, end)) {
      return Result::failure(name + " loads at " + range(begin, end) +
                             ", which is not inside one memory region of board '" + board.name +
                             "' (" + board.file + ")");
    }
    for (const LoadChunk& other : chunks) {
      std::uint64_t other_end = other.address + std::uint64_t{other.bytes.size()};
      if (begin < other_end && other.address < end) {
        return Result::failure(name + " loads at " + range(begin, end) +
                               ", overlapping an earlier segment at " +
                               range(other.address, other_end));
      }
    }
    chunks.push_back({s.paddr, s.data});
  }
  return chunks;
}

}  // namespace hilsim::emu
