// NOR array operations. Randomness (torn operations, weak bits) comes from a caller-owned
// seeded state, so a given seed always tears the same bits.
#include "peripherals/nor_flash.h"

#include <cstring>

namespace hilsim::periph {

namespace {
std::uint64_t next(std::uint64_t& s) {  // splitmix64
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

const char* to_string(PowerLossPolicy policy) {
  switch (policy) {
    case PowerLossPolicy::Before: return "before";
    case PowerLossPolicy::After: return "after";
    case PowerLossPolicy::Torn: return "torn";
  }
  return "?";
}

const char* NorFlash::describe(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::NotErased: return "programming a location that is not erased";
    case Status::OutOfRange: return "address outside the flash array";
    case Status::Misaligned: return "address not aligned to the program unit";
    case Status::BadSector: return "bad sector";
    case Status::WornOut: return "sector past its erase endurance";
  }
  return "?";
}

NorFlash::NorFlash(std::uint8_t* array, std::uint32_t size, std::uint32_t sector_size, std::uint32_t unit)
    : array_(array), size_(size), sector_size_(sector_size), unit_(unit) {
  erase_counts_.assign(sectors(), 0);
  bad_.assign(sectors(), 0);
  weak_.assign(size, 0);
  sync_to_bytes();
}

NorFlash::Status NorFlash::check_program(std::uint32_t offset, std::span<const std::uint8_t> data,
                                         ProgramPolicy policy) const {
  if (offset % unit_ != 0 || data.size() % unit_ != 0) return Status::Misaligned;
  if (std::uint64_t(offset) + data.size() > size_) return Status::OutOfRange;
  if (bad(offset / sector_size_)) return Status::BadSector;
  if (policy == ProgramPolicy::Error)
    for (std::size_t i = 0; i < data.size(); ++i)
      // Programming can only clear bits: a 0 in the array where data wants a 1 cannot be done.
      if ((~array_[offset + i] & data[i]) != 0) return Status::NotErased;
  return Status::Ok;
}

NorFlash::Status NorFlash::check_erase(std::uint32_t sector) const {
  if (sector >= sectors()) return Status::OutOfRange;
  if (bad(sector)) return Status::BadSector;
  if (endurance_ && erase_counts_[sector] >= endurance_) return Status::WornOut;
  return Status::Ok;
}

void NorFlash::program(std::uint32_t offset, std::span<const std::uint8_t> data, ProgramPolicy policy) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::uint8_t& cell = array_[offset + i];
    cell = policy == ProgramPolicy::Allow ? data[i] : static_cast<std::uint8_t>(cell & data[i]);
    weak_[offset + i] &= cell;  // a programmed 0 is solid
  }
}

void NorFlash::erase(std::uint32_t sector) {
  std::memset(array_ + std::size_t(sector) * sector_size_, 0xFF, sector_size_);
  std::memset(weak_.data() + std::size_t(sector) * sector_size_, 0, sector_size_);
  ++erase_counts_[sector];
  sync_to_bytes();
}

void NorFlash::tear_program(std::uint32_t offset, std::span<const std::uint8_t> data, std::uint64_t& rng) {
  // Each bit that the program would clear is cleared with probability 1/2.
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::uint8_t to_clear = static_cast<std::uint8_t>(array_[offset + i] & ~data[i]);
    std::uint8_t cleared = static_cast<std::uint8_t>(to_clear & next(rng));
    array_[offset + i] = static_cast<std::uint8_t>(array_[offset + i] & ~cleared);
  }
}

void NorFlash::tear_erase(std::uint32_t sector, std::uint64_t& rng) {
  // An interrupted erase got part of the way: a seeded prefix of the sector reads erased,
  // the rest keeps its old data, and bits around the boundary are weak.
  std::uint32_t base = sector * sector_size_;
  std::uint32_t done = static_cast<std::uint32_t>(next(rng) % sector_size_);
  std::memset(array_ + base, 0xFF, done);
  for (std::uint32_t i = done; i < sector_size_ && i < done + 64; ++i) {
    std::uint8_t w = static_cast<std::uint8_t>(next(rng) & ~array_[base + i]);
    weak_[base + i] |= w;
    any_weak_ = any_weak_ || w != 0;
  }
  ++erase_counts_[sector];  // the cells were stressed all the same
  sync_to_bytes();
}

void NorFlash::power_on_noise(std::uint64_t& rng) {
  if (!any_weak_) return;
  for (std::uint32_t i = 0; i < size_; ++i)
    if (weak_[i]) {
      std::uint8_t flips = static_cast<std::uint8_t>(next(rng));
      array_[i] = static_cast<std::uint8_t>((array_[i] & ~weak_[i]) | (flips & weak_[i]));
    }
}

bool NorFlash::weak(std::uint32_t sector) const {
  for (std::uint32_t i = 0; i < sector_size_; ++i)
    if (weak_[std::size_t(sector) * sector_size_ + i]) return true;
  return false;
}

void NorFlash::set_bad(std::uint32_t sector, bool is_bad) {
  if (sector < sectors()) bad_[sector] = is_bad;
}

void NorFlash::sync_to_bytes() {
  erase_count_bytes_.resize(erase_counts_.size() * 4);
  for (std::size_t i = 0; i < erase_counts_.size(); ++i)
    for (int b = 0; b < 4; ++b) erase_count_bytes_[i * 4 + b] = static_cast<std::uint8_t>(erase_counts_[i] >> (8 * b));
}

void NorFlash::sync_from_bytes() {
  any_weak_ = false;
  for (std::uint8_t w : weak_) any_weak_ = any_weak_ || w != 0;
  for (std::size_t i = 0; i < erase_counts_.size() && i * 4 + 3 < erase_count_bytes_.size(); ++i) {
    std::uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v |= std::uint32_t(erase_count_bytes_[i * 4 + b]) << (8 * b);
    erase_counts_[i] = v;
  }
}

}  // namespace hilsim::periph
