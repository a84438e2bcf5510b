// Result type for the emulator's loaders (board files, ELF images): either a value or one
// error message that is ready to print. Messages from text formats read
// `file:line:column: what was wrong, what was expected` (1-based line and column, like a
// compiler); binary formats use `file: what was wrong`. Loaders never throw.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace hilsim::emu {

// Where something was declared in a source file (1-based; 0 = unknown).
struct SourceMark {
  int line = 0;
  int column = 0;
};

// "file:line:column" (or just "file" when the mark is unknown).
inline std::string format_mark(const std::string& file, SourceMark mark) {
  if (mark.line <= 0) return file;
  return file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

template <typename T>
class Loaded {
 public:
  Loaded(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static Loaded failure(std::string message) {
    Loaded result;
    result.error_ = std::move(message);
    return result;
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }  // empty when ok()

  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Loaded() = default;
  std::optional<T> value_;
  std::string error_;
};

}  // namespace hilsim::emu
