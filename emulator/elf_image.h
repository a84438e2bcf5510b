// Firmware images: ELF32 little-endian ARM executables (System V gABI + ARM ELF, IHI 0044).
// Reads what the emulator needs and nothing more: PT_LOAD segments, the entry point and the
// FUNC/OBJECT symbols of .symtab. Every offset and size read from the file is checked against
// the file first, so a truncated or hostile file gives an error naming the file, never a crash.
// Left out: relocations, dynamic linking, debug info (DWARF), extended section numbering.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emulator/source_error.h"

namespace hilsim::emu {

struct BoardConfig;

struct ElfSegment {
  std::uint32_t paddr = 0;  // load address (LMA): where the bytes go at load time
  std::uint32_t vaddr = 0;  // run address (VMA): where the program expects them
  std::uint32_t filesz = 0;
  std::uint32_t memsz = 0;  // >= filesz; the rest (.bss) is zeroed by the firmware's startup
  std::uint32_t flags = 0;  // PF_X = 1, PF_W = 2, PF_R = 4
  std::vector<std::uint8_t> data;  // filesz bytes from the file
};

struct ElfSymbol {
  enum class Kind { Function, Object };
  enum class Binding { Local, Global, Weak };
  std::string name;
  std::uint32_t address = 0;  // functions: Thumb bit cleared
  std::uint32_t size = 0;     // 0 = unknown
  Kind kind = Kind::Function;
  Binding binding = Binding::Global;
};

struct ElfImage {
  std::string file;          // for messages
  std::uint32_t entry = 0;   // e_entry as written (Thumb bit included)
  std::vector<ElfSegment> segments;  // PT_LOAD only, in program-header order
  std::vector<ElfSymbol> symbols;    // FUNC and OBJECT symbols that are defined; may be empty
};

// `file` names the image in error messages ("fw.elf: truncated ...").
Loaded<ElfImage> parse_elf(std::span<const std::uint8_t> bytes, const std::string& file);
Loaded<ElfImage> load_elf(const std::string& path);

// Bytes to write into the machine's memory before reset.
struct LoadChunk {
  std::uint32_t address = 0;
  std::vector<std::uint8_t> bytes;
};

// Where the image goes on `board`: each segment's file bytes at its LMA (p_paddr), so .data's
// initial image lands in flash and the startup code copies it. Fails if a segment's bytes do
// not lie inside one memory region of the board, if its run range (vaddr, memsz) is not
// inside one, or if two segments' bytes overlap. Segments with no file bytes are skipped.
Loaded<std::vector<LoadChunk>> place(const ElfImage& image, const BoardConfig& board);

}  // namespace hilsim::emu
