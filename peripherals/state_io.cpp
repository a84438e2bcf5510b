// StateVisitor implementations: binary writer/reader, FNV-1a hasher, text dumper and diff.
// Format in state_io.h.
#include "peripherals/state_io.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace hilsim::periph {

namespace {

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::Bool: return "bool";
    case FieldType::U8: return "u8";
    case FieldType::U16: return "u16";
    case FieldType::U32: return "u32";
    case FieldType::U64: return "u64";
    case FieldType::I64: return "i64";
    case FieldType::Bytes: return "bytes";
    case FieldType::String: return "string";
  }
  return "?";
}

}  // namespace

// {===== StateWriter

void StateWriter::put(std::uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void StateWriter::header(const char* name, FieldType type) {
  std::size_t n = std::strlen(name);
  put(n, 2);
  out_.insert(out_.end(), name, name + n);
  out_.push_back(static_cast<std::uint8_t>(type));
}

void StateWriter::field(const char* name, bool& v) { header(name, FieldType::Bool); put(v ? 1 : 0, 1); }
void StateWriter::field(const char* name, std::uint8_t& v) { header(name, FieldType::U8); put(v, 1); }
void StateWriter::field(const char* name, std::uint16_t& v) { header(name, FieldType::U16); put(v, 2); }
void StateWriter::field(const char* name, std::uint32_t& v) { header(name, FieldType::U32); put(v, 4); }
void StateWriter::field(const char* name, std::uint64_t& v) { header(name, FieldType::U64); put(v, 8); }
void StateWriter::field(const char* name, std::int64_t& v) {
  header(name, FieldType::I64);
  put(static_cast<std::uint64_t>(v), 8);
}
void StateWriter::field(const char* name, std::vector<std::uint8_t>& bytes) {
  header(name, FieldType::Bytes);
  put(bytes.size(), 4);
  out_.insert(out_.end(), bytes.begin(), bytes.end());
}
void StateWriter::field(const char* name, std::string& text) {
  header(name, FieldType::String);
  put(text.size(), 4);
  out_.insert(out_.end(), text.begin(), text.end());
}

// {===== StateReader

void StateReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

bool StateReader::get(std::uint64_t& value, unsigned bytes, const char* name) {
  if (in_.size() - pos_ < bytes) {
    fail(std::string("state truncated in field '") + name + "' at byte " + std::to_string(pos_));
    return false;
  }
  value = 0;
  for (unsigned i = 0; i < bytes; ++i) value |= std::uint64_t{in_[pos_ + i]} << (8 * i);
  pos_ += bytes;
  return true;
}

bool StateReader::header(const char* name, FieldType type) {
  if (!ok()) return false;
  std::uint64_t n = 0;
  if (!get(n, 2, name)) return false;
  if (in_.size() - pos_ < n) {
    fail(std::string("state truncated in the name of field '") + name + "'");
    return false;
  }
  std::string_view found(reinterpret_cast<const char*>(in_.data() + pos_), n);
  pos_ += n;
  if (found != name) {
    fail(std::string("state field mismatch: expected '") + name + "', found '" + std::string(found) + "'");
    return false;
  }
  std::uint64_t tag = 0;
  if (!get(tag, 1, name)) return false;
  if (tag != static_cast<std::uint8_t>(type)) {
    const char* found_type = (tag >= 1 && tag <= 8) ? type_name(static_cast<FieldType>(tag)) : "unknown";
    fail(std::string("state field '") + name + "' has type " + found_type + ", expected " + type_name(type));
    return false;
  }
  return true;
}

bool StateReader::get_blob(const char* name, std::span<const std::uint8_t>& blob) {
  std::uint64_t n = 0;
  if (!get(n, 4, name)) return false;
  if (in_.size() - pos_ < n) {
    fail(std::string("state truncated in field '") + name + "' (" + std::to_string(n) + " bytes declared)");
    return false;
  }
  blob = in_.subspan(pos_, n);
  pos_ += n;
  return true;
}

#define HILSIM_READ_INT(T, TAG, BYTES)                              \
  void StateReader::field(const char* name, T& value) {             \
    std::uint64_t v = 0;                                            \
    if (!header(name, FieldType::TAG) || !get(v, BYTES, name)) return; \
    if (apply_) value = static_cast<T>(v);                          \
  }
HILSIM_READ_INT(std::uint8_t, U8, 1)
HILSIM_READ_INT(std::uint16_t, U16, 2)
HILSIM_READ_INT(std::uint32_t, U32, 4)
HILSIM_READ_INT(std::uint64_t, U64, 8)
HILSIM_READ_INT(std::int64_t, I64, 8)
#undef HILSIM_READ_INT

void StateReader::field(const char* name, bool& value) {
  std::uint64_t v = 0;
  if (!header(name, FieldType::Bool) || !get(v, 1, name)) return;
  if (v > 1) return fail(std::string("state field '") + name + "' holds a bad bool");
  if (apply_) value = v != 0;
}

void StateReader::field(const char* name, std::vector<std::uint8_t>& bytes) {
  std::span<const std::uint8_t> blob;
  if (!header(name, FieldType::Bytes) || !get_blob(name, blob)) return;
  if (apply_) bytes.assign(blob.begin(), blob.end());
}

void StateReader::field(const char* name, std::string& text) {
  std::span<const std::uint8_t> blob;
  if (!header(name, FieldType::String) || !get_blob(name, blob)) return;
  if (apply_) text.assign(blob.begin(), blob.end());
}

// {===== StateHasher

void StateHasher::mix(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash_ ^= p[i];
    hash_ *= 0x100000001b3ull;
  }
}

void StateHasher::mix_int(std::uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) {
    std::uint8_t b = static_cast<std::uint8_t>(value >> (8 * i));
    mix(&b, 1);
  }
}

void StateHasher::mix_header(const char* name, FieldType type) {
  mix(name, std::strlen(name) + 1);  // the terminator separates name from value
  mix_int(static_cast<std::uint8_t>(type), 1);
}

void StateHasher::field(const char* name, bool& v) { mix_header(name, FieldType::Bool); mix_int(v, 1); }
void StateHasher::field(const char* name, std::uint8_t& v) { mix_header(name, FieldType::U8); mix_int(v, 1); }
void StateHasher::field(const char* name, std::uint16_t& v) { mix_header(name, FieldType::U16); mix_int(v, 2); }
void StateHasher::field(const char* name, std::uint32_t& v) { mix_header(name, FieldType::U32); mix_int(v, 4); }
void StateHasher::field(const char* name, std::uint64_t& v) { mix_header(name, FieldType::U64); mix_int(v, 8); }
void StateHasher::field(const char* name, std::int64_t& v) {
  mix_header(name, FieldType::I64);
  mix_int(static_cast<std::uint64_t>(v), 8);
}
void StateHasher::field(const char* name, std::vector<std::uint8_t>& bytes) {
  mix_header(name, FieldType::Bytes);
  mix_int(bytes.size(), 4);
  mix(bytes.data(), bytes.size());
}
void StateHasher::field(const char* name, std::string& text) {
  mix_header(name, FieldType::String);
  mix_int(text.size(), 4);
  mix(text.data(), text.size());
}

// {===== StateDumper

void StateDumper::line(const char* name, const std::string& value) {
  text_ += name;
  text_ += '=';
  text_ += value;
  text_ += '\n';
}

void StateDumper::field(const char* name, bool& v) { line(name, v ? "true" : "false"); }
void StateDumper::field(const char* name, std::uint8_t& v) { line(name, std::to_string(v)); }
void StateDumper::field(const char* name, std::uint16_t& v) { line(name, std::to_string(v)); }
void StateDumper::field(const char* name, std::uint32_t& v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%u (0x%08x)", v, v);
  line(name, buf);
}
void StateDumper::field(const char* name, std::uint64_t& v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu (0x%016llx)", static_cast<unsigned long long>(v),
                static_cast<unsigned long long>(v));
  line(name, buf);
}
void StateDumper::field(const char* name, std::int64_t& v) { line(name, std::to_string(v)); }
void StateDumper::field(const char* name, std::vector<std::uint8_t>& bytes) {
  std::string s = "[";
  s += std::to_string(bytes.size());
  s += ']';
  char buf[4];
  for (std::uint8_t b : bytes) {
    std::snprintf(buf, sizeof buf, " %02x", b);
    s += buf;
  }
  line(name, s);
}
void StateDumper::field(const char* name, std::string& text) {
  std::string s = "\"";
  char buf[8];
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  line(name, s + "\"");
}

// {===== Conveniences

std::vector<std::uint8_t> save_state(Device& device) {
  std::vector<std::uint8_t> out;
  StateWriter w(out);
  device.describe(w);
  return out;
}

bool load_state(Device& device, std::span<const std::uint8_t> data, std::string* error) {
  StateReader check(data, /*apply=*/false);
  device.describe(check);
  std::string message = check.error();
  if (message.empty() && !check.at_end())
    message = "state has " + std::to_string(data.size() - check.position()) + " trailing bytes";
  if (!message.empty()) {
    if (error) *error = device.name() + ": " + message;
    return false;
  }
  StateReader apply(data, /*apply=*/true);
  device.describe(apply);
  device.post_load();
  return true;
}

std::uint64_t state_hash(Device& device) {
  StateHasher h;
  device.describe(h);
  return h.value();
}

std::string dump_state(Device& device) {
  StateDumper d;
  device.describe(d);
  return d.text();
}

std::vector<std::string> diff_dumps(std::string_view before, std::string_view after) {
  auto split = [](std::string_view text) {
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    while (!text.empty()) {
      std::size_t nl = text.find('\n');
      std::string_view l = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      std::size_t eq = l.find('=');
      if (eq == std::string_view::npos) fields.emplace_back(l, std::string_view{});
      else fields.emplace_back(l.substr(0, eq), l.substr(eq + 1));
    }
    return fields;
  };
  auto a = split(before), b = split(after);
  std::vector<std::string> out;
  std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
    std::string name(i < a.size() ? a[i].first : b[i].first);
    std::string va(i < a.size() ? a[i].second : "<absent>");
    std::string vb(i < b.size() ? b[i].second : "<absent>");
    out.push_back(name + ": " + va + " -> " + vb);
  }
  return out;
}

}  // namespace hilsim::periph
