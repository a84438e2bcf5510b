// The memory map: RAM/flash/ROM regions backed by host buffers (Unicorn maps them with
// uc_mem_map_ptr, so snapshots are memcpy) and MMIO windows dispatched to device models
// (QEMU's memory API in miniature). Unicorn maps MMIO in 4 KiB pages; devices that share a
// page are dispatched by offset inside one page callback. Every MMIO access is folded into
// the trace hash with the instruction count and the current block address.
// Aliases (`alias-of` in board.yaml) map a region's host buffer a second time elsewhere.
// Leaves out: bit-banding.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/cpu.h"
#include "emulator/trace_hash.h"
#include "peripherals/device.h"

namespace hilsim::emu {

enum class MappedKind { Ram, Flash, Rom };

struct MappedMemory {
  std::string name;
  MappedKind kind;
  std::uint32_t base, size;
  std::vector<std::uint8_t> bytes;
};

class Bus {
 public:
  Bus(Cpu& cpu, TraceHash& trace) : cpu_(cpu), trace_(trace) {}

  std::string add_memory(const std::string& name, MappedKind kind, std::uint32_t base,
                         std::uint32_t size);
  // Maps the buffer of the already added region `target` again at `base` (same protection).
  std::string add_alias(const std::string& name, const std::string& target, std::uint32_t base);
  std::string add_device(periph::Device& device, std::uint32_t base);
  // Maps every page that has devices; call once after all add_device calls.
  std::string map_devices();

  MappedMemory* region(const std::string& name);
  MappedMemory* region_at(std::uint32_t addr, std::uint32_t size = 1);
  std::vector<MappedMemory>& regions() { return regions_; }
  // Host pointer for [addr, addr+size) if it lies in one memory region, else nullptr.
  std::uint8_t* host(std::uint32_t addr, std::uint32_t size);
  periph::Device* device_at(std::uint32_t addr, std::uint32_t* offset = nullptr);

  // Called for an access inside a mapped MMIO page that no device window covers.
  std::function<void(std::uint32_t addr, bool write)> unmapped_mmio;

 private:
  struct Window {
    std::uint32_t base, size;  // absolute
    periph::Device* device;
  };
  struct Page {
    Bus* bus;
    std::uint32_t base;
    std::vector<Window> windows;
  };
  static std::uint64_t page_read(uc_engine*, std::uint64_t offset, unsigned size, void* user);
  static void page_write(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value,
                         void* user);
  const Window* find(const Page& page, std::uint32_t addr) const;

  Cpu& cpu_;
  TraceHash& trace_;
  std::vector<MappedMemory> regions_;  // reserved up front: host pointers must stay valid
  struct Alias {
    std::uint32_t base;
    MappedMemory* target;
  };
  std::vector<Alias> aliases_;
  std::vector<Window> windows_;
  std::vector<std::unique_ptr<Page>> pages_;
};

}  // namespace hilsim::emu
