// Memory image files: one board memory region (typically "flash") saved to a file and loaded
// back, so that a device's flash survives between runs as it survives power cycles within one.
// The file is a small header (magic, format version, region name, base, size, checksum) and
// the region's bytes; a file for another region, of another size, truncated or corrupted is
// refused with a message naming the file and what was expected. Format: docs/architecture.md
// ("Memory images"). Leaves out: flash wear counters and weak bits (the NOR model's own
// state); an image holds bytes only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emulator/source_error.h"

namespace hilsim::emu {

class Machine;

struct MemoryImage {
  std::string region;
  std::uint32_t base = 0;
  std::vector<std::uint8_t> bytes;
};

// Layout (all integers little-endian):
//   0  8   magic "HSIMMEM1"
//   8  4   format version (1)
//   12 4   region base address
//   16 4   region size in bytes (= payload size)
//   20 4   name length N (1..255)
//   24 8   FNV-1a 64 checksum of bytes 8..23, the name and the payload
//   32 N   region name (not terminated)
//   32+N   payload
inline constexpr char kMemoryImageMagic[8] = {'H', 'S', 'I', 'M', 'M', 'E', 'M', '1'};
inline constexpr std::uint32_t kMemoryImageVersion = 1;

std::vector<std::uint8_t> encode_memory_image(const std::string& region, std::uint32_t base,
                                              std::span<const std::uint8_t> bytes);
// Checks magic, version, lengths and checksum; `filename` is only used in messages.
Loaded<MemoryImage> decode_memory_image(std::span<const std::uint8_t> file, const std::string& filename);

// Writes the machine's region `region` to `path` (through a temporary file, then renamed).
// Returns "" or a message naming the file.
std::string save_memory_image(Machine& machine, const std::string& region, const std::string& path);
// Reads `path` into the machine's region `region`: the file must hold that region, with the
// same size (and base). Translated code for the region is dropped (Machine::memory_changed).
std::string load_memory_image(Machine& machine, const std::string& region, const std::string& path);

}  // namespace hilsim::emu
