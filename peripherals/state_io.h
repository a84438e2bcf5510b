// Generic StateVisitor implementations: everything a snapshot, a state hash, a state diff or a
// debug/GUI dump needs, derived from a model's one describe() declaration (QEMU VMState style).
//
// Binary format (little-endian), one record per field, in describe() order:
//   u16 name length · name bytes · u8 type tag · payload
//   payload: bool/u8 = 1 byte, u16 = 2, u32 = 4, u64/i64 = 8, bytes/string = u32 length + data.
// The reader checks every name and tag, so a snapshot taken from a different model version fails
// with a message naming the field instead of restoring garbage. Not versioned here: the machine's
// snapshot container carries versions and sections.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "peripherals/device.h"

namespace hilsim::periph {

enum class FieldType : std::uint8_t { Bool = 1, U8, U16, U32, U64, I64, Bytes, String };

// Appends name-tagged fields to a byte vector.
class StateWriter final : public StateVisitor {
 public:
  explicit StateWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void field(const char* name, bool& value) override;
  void field(const char* name, std::uint8_t& value) override;
  void field(const char* name, std::uint16_t& value) override;
  void field(const char* name, std::uint32_t& value) override;
  void field(const char* name, std::uint64_t& value) override;
  void field(const char* name, std::int64_t& value) override;
  void field(const char* name, std::vector<std::uint8_t>& bytes) override;
  void field(const char* name, std::string& text) override;

 private:
  void header(const char* name, FieldType type);
  void put(std::uint64_t value, unsigned bytes);
  std::vector<std::uint8_t>& out_;
};

// Reads fields written by StateWriter. After the first error (name/type mismatch, truncation)
// it stops touching state and keeps the message. With apply=false it only checks the input,
// leaving the visited fields untouched (used to make restore all-or-nothing).
class StateReader final : public StateVisitor {
 public:
  explicit StateReader(std::span<const std::uint8_t> in, bool apply = true) : in_(in), apply_(apply) {}
  void field(const char* name, bool& value) override;
  void field(const char* name, std::uint8_t& value) override;
  void field(const char* name, std::uint16_t& value) override;
  void field(const char* name, std::uint32_t& value) override;
  void field(const char* name, std::uint64_t& value) override;
  void field(const char* name, std::int64_t& value) override;
  void field(const char* name, std::vector<std::uint8_t>& bytes) override;
  void field(const char* name, std::string& text) override;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ == in_.size(); }
  std::size_t position() const { return pos_; }

 private:
  bool header(const char* name, FieldType type);
  bool get(std::uint64_t& value, unsigned bytes, const char* name);
  bool get_blob(const char* name, std::span<const std::uint8_t>& blob);
  void fail(std::string message);
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool apply_;
  std::string error_;
};

// FNV-1a 64 over every field's name, type tag and value (lengths included for byte vectors).
class StateHasher final : public StateVisitor {
 public:
  void field(const char* name, bool& value) override;
  void field(const char* name, std::uint8_t& value) override;
  void field(const char* name, std::uint16_t& value) override;
  void field(const char* name, std::uint32_t& value) override;
  void field(const char* name, std::uint64_t& value) override;
  void field(const char* name, std::int64_t& value) override;
  void field(const char* name, std::vector<std::uint8_t>& bytes) override;
  void field(const char* name, std::string& text) override;
  std::uint64_t value() const { return hash_; }

 private:
  void mix(const void* data, std::size_t size);
  void mix_header(const char* name, FieldType type);
  void mix_int(std::uint64_t value, unsigned bytes);
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

// Produces one `name=value` line per field. Integers in decimal with hex alongside for 32/64-bit
// values ("ctrl=5 (0x00000005)"), byte vectors as "[n] hex bytes", strings quoted and escaped.
class StateDumper final : public StateVisitor {
 public:
  void field(const char* name, bool& value) override;
  void field(const char* name, std::uint8_t& value) override;
  void field(const char* name, std::uint16_t& value) override;
  void field(const char* name, std::uint32_t& value) override;
  void field(const char* name, std::uint64_t& value) override;
  void field(const char* name, std::int64_t& value) override;
  void field(const char* name, std::vector<std::uint8_t>& bytes) override;
  void field(const char* name, std::string& text) override;
  const std::string& text() const { return text_; }

 private:
  void line(const char* name, const std::string& value);
  std::string text_;
};

// Conveniences over one device.
std::vector<std::uint8_t> save_state(Device& device);
// All-or-nothing: validates the whole input first; on success applies it and calls post_load().
// On failure the device is untouched and `error` says which field was wrong.
bool load_state(Device& device, std::span<const std::uint8_t> data, std::string* error = nullptr);
std::uint64_t state_hash(Device& device);
std::string dump_state(Device& device);
// Lines "name: before -> after" for every field whose dumped value differs (same describe order).
std::vector<std::string> diff_dumps(std::string_view before, std::string_view after);

}  // namespace hilsim::periph
