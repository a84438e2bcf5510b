// NOR flash array semantics, independent of any register interface: erased state 0xFF,
// programming only clears bits, erase per sector, wear per sector with an optional endurance
// limit, bad sectors, and what a power cut leaves behind while an operation is in flight
// (before / after / torn program / torn erase with weak bits). Follows the behaviour of
// typical serial/parallel NOR parts (e.g. Micron MT25Q data sheet, "program" and "erase").
// Leaves out: read-while-write, suspend/resume, OTP areas, ECC.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hilsim::periph {

enum class ProgramPolicy { Error, And, Allow };  // programming a location that is not erased
enum class PowerLossPolicy { Before, After, Torn };
const char* to_string(PowerLossPolicy policy);

class NorFlash {
 public:
  enum class Status { Ok, NotErased, OutOfRange, Misaligned, BadSector, WornOut };
  static const char* describe(Status s);

  NorFlash() = default;
  NorFlash(std::uint8_t* array, std::uint32_t size, std::uint32_t sector_size, std::uint32_t unit);

  std::uint32_t size() const { return size_; }
  std::uint32_t sector_size() const { return sector_size_; }
  std::uint32_t unit() const { return unit_; }
  std::uint32_t sectors() const { return sector_size_ ? size_ / sector_size_ : 0; }

  // Checks an operation before it starts (offsets are from the array's start).
  Status check_program(std::uint32_t offset, std::span<const std::uint8_t> data, ProgramPolicy policy) const;
  Status check_erase(std::uint32_t sector) const;
  // Completes an operation.
  void program(std::uint32_t offset, std::span<const std::uint8_t> data, ProgramPolicy policy);
  void erase(std::uint32_t sector);
  // Power was cut during the operation: `rng` is a seeded 64-bit state.
  void tear_program(std::uint32_t offset, std::span<const std::uint8_t> data, std::uint64_t& rng);
  void tear_erase(std::uint32_t sector, std::uint64_t& rng);
  // Bits left weak by a torn erase read differently after each power-on.
  void power_on_noise(std::uint64_t& rng);

  std::uint32_t erase_count(std::uint32_t sector) const { return erase_counts_[sector]; }
  void set_endurance(std::uint32_t cycles) { endurance_ = cycles; }
  void set_bad(std::uint32_t sector, bool bad);
  bool bad(std::uint32_t sector) const { return bad_[sector] != 0; }
  bool weak(std::uint32_t sector) const;

  // State that is not the array itself (the array is board memory, snapshotted as memory).
  std::vector<std::uint8_t>& erase_count_bytes() { return erase_count_bytes_; }
  std::vector<std::uint8_t>& bad_bytes() { return bad_; }
  std::vector<std::uint8_t>& weak_bytes() { return weak_; }
  void sync_from_bytes();  // after a restore of erase_count_bytes()
  void sync_to_bytes();

 private:
  std::uint8_t* array_ = nullptr;
  std::uint32_t size_ = 0, sector_size_ = 0, unit_ = 1;
  std::uint32_t endurance_ = 0;                 // 0 = unlimited
  std::vector<std::uint32_t> erase_counts_;     // per sector
  std::vector<std::uint8_t> erase_count_bytes_;  // little-endian mirror for snapshots
  std::vector<std::uint8_t> bad_;               // per sector: 1 = bad
  std::vector<std::uint8_t> weak_;              // per byte of the array: bit mask of weak bits
  bool any_weak_ = false;                       // skips the noise pass in the common case
};

}  // namespace hilsim::periph
