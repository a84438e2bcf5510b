// A board file (boards/<board>/board.yaml) loaded and checked: CPU, clock, memory map,
// device instances, pin names and flash partitions. The format is specified in
// docs/board-format.md; this module implements exactly that table. Loading never throws:
// every problem comes back as one `file:line:column: ...` message. Devices are not built
// here (that is the registry's job); only their options are checked against the registry's
// specs and completed with defaults.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/source_error.h"
#include "peripherals/registry.h"

namespace hilsim::emu {

// Fixed facts of the memory map that a board may not change.
inline constexpr std::uint32_t kPageSize = 0x1000;          // Unicorn maps in 4 KiB pages
inline constexpr std::uint32_t kPeripheralWindow = 0x1000;  // every device owns 4 KiB
inline constexpr std::uint32_t kScsBase = 0xE0000000;       // System Control Space (PPB)
inline constexpr std::uint64_t kScsEnd = 0xE0100000;        // exclusive
inline constexpr int kMaxIrq = 239;                         // ARMv7-M: IRQ 0..239

struct MemoryRegion {
  enum class Kind { Ram, Flash, Rom };
  std::string name;
  Kind kind = Kind::Ram;
  std::uint32_t base = 0;
  std::uint32_t size = 0;
  std::string alias_of;  // non-empty: the same bytes as that region (kind and size are its)
  SourceMark mark;

  std::uint64_t end() const { return std::uint64_t{base} + size; }  // exclusive
  bool contains(std::uint32_t address) const { return address >= base && address < end(); }
};
const char* to_string(MemoryRegion::Kind kind);  // "ram", "flash", "rom"

struct PinConfig {
  enum class Pull { None, Up, Down };
  std::string name;    // board-level name ("LED0")
  std::string device;  // a gpio peripheral
  unsigned pin = 0;
  bool output = false;
  Pull pull = Pull::None;
  bool active_low = false;  // for display only
  SourceMark mark;
};

struct Partition {
  std::string name;
  std::string memory;  // a flash region
  std::uint32_t offset = 0;  // from the region's base
  std::uint32_t size = 0;
  SourceMark mark;
};

struct BoardConfig {
  enum class Cpu { CortexM3, CortexM4 };

  std::string name;
  std::string file;  // the path it was loaded from (for messages)
  Cpu cpu = Cpu::CortexM4;
  std::uint64_t clock_hz = 0;
  std::vector<MemoryRegion> memory;               // in file order
  std::vector<periph::DeviceConfig> peripherals;  // in file order; options complete
  std::vector<PinConfig> pins;                    // in file order
  std::vector<Partition> partitions;              // in file order

  const MemoryRegion* find_memory(const std::string& name) const;
  const periph::DeviceConfig* find_peripheral(const std::string& name) const;
  const PinConfig* find_pin(const std::string& name) const;
  const Partition* find_partition(const std::string& name) const;
  const MemoryRegion* region_containing(std::uint32_t address) const;
  // Absolute address of a partition's first byte (its region's base + offset).
  std::uint32_t partition_base(const Partition& partition) const;
};
const char* to_string(BoardConfig::Cpu cpu);  // "cortex-m3", "cortex-m4"

// Reads and checks a board file.
Loaded<BoardConfig> load_board(const std::string& path);
// Same, from text; `filename` is only used in messages and stored in BoardConfig::file.
Loaded<BoardConfig> load_board_from_string(const std::string& text, const std::string& filename);

// `--board` accepts a path or a board name: if `argument` names an existing file it is
// returned as is; a directory gives <dir>/board.yaml; otherwise, if
// <source_root>/boards/<argument>/board.yaml exists, that. Failing all, `argument` unchanged
// (so that load_board reports it as missing).
std::string resolve_board_path(const std::string& argument, const std::string& source_root);

}  // namespace hilsim::emu
