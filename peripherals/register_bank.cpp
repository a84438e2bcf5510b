// Register collection decoder: byte-lane merging, access modes and guest-error reporting
// for every model in peripherals/. See register_bank.h for the rules.
#include "peripherals/register_bank.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace hilsim::periph {

const char* to_string(Access access) {
  switch (access) {
    case Access::R: return "R";
    case Access::W: return "W";
    case Access::RW: return "RW";
    case Access::W1C: return "W1C";
    case Access::W1S: return "W1S";
    case Access::RC: return "RC";
  }
  return "?";
}

namespace {

std::uint32_t lane_mask(unsigned size) {
  return size >= 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1u);
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

RegisterBank::RegisterBank(std::string device, DeviceHost& host, std::vector<Register> registers)
    : device_(std::move(device)), host_(host), registers_(std::move(registers)) {
  std::sort(registers_.begin(), registers_.end(),
            [](const Register& a, const Register& b) { return a.offset < b.offset; });
  for (std::size_t i = 0; i < registers_.size(); ++i) {
    const Register& r = registers_[i];
    if ((r.offset & 3u) != 0 || (i > 0 && registers_[i - 1].offset == r.offset))
      throw std::logic_error(device_ + ": bad register table at " + r.name);
    bool needs_storage = r.access == Access::W1C || r.access == Access::W1S || r.access == Access::RC;
    if (needs_storage && r.storage == nullptr)
      throw std::logic_error(device_ + ": register " + r.name + " needs storage");
  }
  reset();
}

const Register* RegisterBank::find(std::uint32_t offset) const {
  auto it = std::lower_bound(registers_.begin(), registers_.end(), offset,
                             [](const Register& r, std::uint32_t off) { return r.offset < off; });
  return (it != registers_.end() && it->offset == offset) ? &*it : nullptr;
}

std::optional<std::uint32_t> RegisterBank::peek(std::uint32_t offset) const {
  const Register* r = find(offset & ~3u);
  if (!r || r->access == Access::W || r->read_has_effects) return std::nullopt;
  std::uint32_t stored = r->storage ? *r->storage : 0;
  return r->on_read ? r->on_read(stored) : stored;
}

void RegisterBank::reset() {
  for (Register& r : registers_)
    if (r.storage) *r.storage = r.reset;
}

void RegisterBank::error(std::uint32_t offset, const std::string& what) {
  host_.guest_error(device_, offset, what);
}

const Register* RegisterBank::decode(std::uint32_t offset, unsigned size, const char* kind) {
  if ((size != 1 && size != 2 && size != 4) || (offset & 3u) + size > 4) {
    error(offset, std::string(kind) + " of size " + std::to_string(size) + " straddles a register");
    return nullptr;
  }
  const Register* r = find(offset & ~3u);
  if (!r) error(offset, std::string(kind) + " of unmapped offset " + hex(offset));
  return r;
}

std::uint32_t RegisterBank::read(std::uint32_t offset, unsigned size) {
  const Register* r = decode(offset, size, "read");
  if (!r) return 0;
  if (r->access == Access::W) return 0;
  unsigned shift = 8 * (offset & 3u);
  std::uint32_t stored = r->storage ? *r->storage : 0;
  std::uint32_t full = r->on_read ? r->on_read(stored) : stored;
  if (r->access == Access::RC) *r->storage &= ~(lane_mask(size) << shift);
  return (full >> shift) & lane_mask(size);
}

void RegisterBank::write(std::uint32_t offset, unsigned size, std::uint32_t value) {
  const Register* r = decode(offset, size, "write");
  if (!r) return;
  if (r->access == Access::R || r->access == Access::RC) {
    error(offset, std::string("write of ") + hex(value) + " to read-only register " + r->name);
    return;
  }
  unsigned shift = 8 * (offset & 3u);
  std::uint32_t mask = lane_mask(size) << shift;
  std::uint32_t bits = (value << shift) & mask;  // the written bits, in register position
  std::uint32_t old = r->storage ? *r->storage : 0;
  std::uint32_t now = old;
  std::uint32_t ignored = 0;
  switch (r->access) {
    case Access::RW: {
      std::uint32_t merged = (old & ~mask) | bits;
      ignored = (merged ^ old) & ~r->writable;
      now = (old & ~r->writable) | (merged & r->writable);
      break;
    }
    case Access::W:
      ignored = bits & ~r->writable;
      now = bits & r->writable;
      break;
    case Access::W1C:
      ignored = bits & ~r->writable;
      now = old & ~(bits & r->writable);
      break;
    case Access::W1S:
      ignored = bits & ~r->writable;
      now = old | (bits & r->writable);
      break;
    case Access::R:
    case Access::RC:
      break;
  }
  if (ignored)
    error(offset, std::string("write touches unmodelled/read-only bits ") + hex(ignored) + " of " +
                      r->name + " (ignored)");
  if (r->storage) *r->storage = now;
  if (r->on_write) r->on_write(r->storage ? old : 0, now);
}

}  // namespace hilsim::periph
