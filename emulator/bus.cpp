// Memory regions and MMIO page dispatch.
#include "emulator/bus.h"

#include <cstdio>
#include <cstring>

#include "emulator/text.h"

namespace hilsim::emu {

namespace {
constexpr std::uint32_t kPage = 0x1000;
}  // namespace

std::string Bus::add_memory(const std::string& name, MappedKind kind, std::uint32_t base,
                            std::uint32_t size) {
  if (regions_.capacity() == 0) regions_.reserve(16);
  if (regions_.size() == regions_.capacity()) return "too many memory regions";
  regions_.push_back(MappedMemory{name, kind, base, size, std::vector<std::uint8_t>(size, 0)});
  MappedMemory& r = regions_.back();
  if (kind == MappedKind::Flash) std::memset(r.bytes.data(), 0xff, size);  // erased NOR
  std::uint32_t prot = kind == MappedKind::Ram ? UC_PROT_ALL : (UC_PROT_READ | UC_PROT_EXEC);
  std::string err = cpu_.map_host(base, size, r.bytes.data(), prot);
  if (!err.empty()) return "memory region '" + name + "' at " + hex(base) + ": " + err;
  cpu_.add_host_region(base, size, r.bytes.data(), kind == MappedKind::Ram);
  return {};
}

std::string Bus::add_alias(const std::string& name, const std::string& target, std::uint32_t base) {
  MappedMemory* t = region(target);
  if (!t) return "memory alias '" + name + "': no region '" + target + "'";
  std::uint32_t prot = t->kind == MappedKind::Ram ? UC_PROT_ALL : (UC_PROT_READ | UC_PROT_EXEC);
  std::string err = cpu_.map_host(base, t->size, t->bytes.data(), prot);
  if (!err.empty()) return "memory alias '" + name + "' at " + hex(base) + ": " + err;
  cpu_.add_host_region(base, t->size, t->bytes.data(), t->kind == MappedKind::Ram);
  aliases_.push_back(Alias{base, t});
  return {};
}

std::string Bus::add_device(periph::Device& device, std::uint32_t base) {
  windows_.push_back(Window{base, device.window_size(), &device});
  return {};
}

std::string Bus::map_devices() {
  for (const Window& w : windows_) {
    for (std::uint32_t p = w.base & ~(kPage - 1); p < w.base + w.size; p += kPage) {
      Page* page = nullptr;
      for (auto& existing : pages_)
        if (existing->base == p) page = existing.get();
      if (!page) {
        pages_.push_back(std::make_unique<Page>(Page{this, p, {}}));
        page = pages_.back().get();
      }
      page->windows.push_back(w);
    }
  }
  for (auto& page : pages_) {
    std::string err = cpu_.map_mmio(page->base, kPage, &Bus::page_read, &Bus::page_write, page.get());
    if (!err.empty()) return "MMIO page " + hex(page->base) + ": " + err;
  }
  return {};
}

MappedMemory* Bus::region(const std::string& name) {
  for (MappedMemory& r : regions_)
    if (r.name == name) return &r;
  return nullptr;
}

MappedMemory* Bus::region_at(std::uint32_t addr, std::uint32_t size) {
  for (MappedMemory& r : regions_)
    if (addr >= r.base && addr - r.base + std::uint64_t(size) <= r.size) return &r;
  return nullptr;
}

std::uint8_t* Bus::host(std::uint32_t addr, std::uint32_t size) {
  if (MappedMemory* r = region_at(addr, size)) return r->bytes.data() + (addr - r->base);
  for (const Alias& a : aliases_)
    if (addr >= a.base && addr - a.base + std::uint64_t(size) <= a.target->size)
      return a.target->bytes.data() + (addr - a.base);
  return nullptr;
}

periph::Device* Bus::device_at(std::uint32_t addr, std::uint32_t* offset) {
  for (const Window& w : windows_)
    if (addr >= w.base && addr - w.base < w.size) {
      if (offset) *offset = addr - w.base;
      return w.device;
    }
  return nullptr;
}

const Bus::Window* Bus::find(const Page& page, std::uint32_t addr) const {
  for (const Window& w : page.windows)
    if (addr >= w.base && addr - w.base < w.size) return &w;
  return nullptr;
}

// Trace record: kind (0 read / 1 write) + size, block address, icount, address, value.
std::uint64_t Bus::page_read(uc_engine*, std::uint64_t offset, unsigned size, void* user) {
  Page& page = *static_cast<Page*>(user);
  Bus& bus = *page.bus;
  std::uint32_t addr = page.base + static_cast<std::uint32_t>(offset);
  std::uint32_t value = 0;
  bus.cpu_.note_mmio_access();
  if (const Window* w = bus.find(page, addr)) value = w->device->read(addr - w->base, size);
  else if (bus.unmapped_mmio) bus.unmapped_mmio(addr, false);
  bus.trace_.record(std::uint64_t(size) << 1 | 0, bus.cpu_.block_addr(), bus.cpu_.icount(),
                    std::uint64_t(addr) << 32 | value);
  return value;
}

void Bus::page_write(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value,
                     void* user) {
  Page& page = *static_cast<Page*>(user);
  Bus& bus = *page.bus;
  std::uint32_t addr = page.base + static_cast<std::uint32_t>(offset);
  std::uint32_t v = static_cast<std::uint32_t>(value);
  bus.cpu_.note_mmio_access();
  bus.trace_.record(std::uint64_t(size) << 1 | 1, bus.cpu_.block_addr(), bus.cpu_.icount(),
                    std::uint64_t(addr) << 32 | v);
  if (const Window* w = bus.find(page, addr)) w->device->write(addr - w->base, size, v);
  else if (bus.unmapped_mmio) bus.unmapped_mmio(addr, true);
}

}  // namespace hilsim::emu
