// Board file loader: YAML (yaml-cpp) → BoardConfig, checking everything docs/board-format.md
// promises. The first error stops loading; it is raised once (Loader::fail records the
// message and throws a private type that never leaves this file).
//
// Index: [helpers] numbers, names, hex  ·  [loader] maps and scalars  ·  [sections] cpu,
// memory, peripherals, pins, partitions  ·  [api] load_board, BoardConfig lookups.
#include "emulator/board_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include "emulator/text.h"

namespace hilsim::emu {
namespace {

// ==== [helpers] ==============================================================================


// Parses a non-negative integer: decimal or 0x-hex, and with `allow_suffix` a KiB/MiB
// suffix. On failure returns nullopt and sets `why` to what was expected.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, bool allow_suffix,
                                            std::string& why) {
  std::uint64_t multiplier = 1;
  if (allow_suffix) {
    if (text.size() > 3 && text.substr(text.size() - 3) == "KiB") {
      multiplier = 1024;
      text.remove_suffix(3);
    } else if (text.size() > 3 && text.substr(text.size() - 3) == "MiB") {
      multiplier = 1024 * 1024;
      text.remove_suffix(3);
    }
  }
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);  // "128 KiB"
  if (text.find('_') != std::string_view::npos) {
    why = "underscores are not allowed in numbers (write 0x20000000, not 0x2000_0000)";
    return std::nullopt;
  }
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  why = allow_suffix ? "expected a decimal or 0x-hex integer, optionally with a KiB or MiB suffix"
                     : "expected a decimal or 0x-hex integer";
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (value > (UINT64_MAX - digit) / base) {
      why = "number is too large";
      return std::nullopt;
    }
    value = value * base + digit;
  }
  if (value > UINT64_MAX / multiplier) {
    why = "number is too large";
    return std::nullopt;
  }
  return value * multiplier;
}

// Names are used in reports, event names ("uart0.rx_done") and scenario files.
bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  char first = name[0];
  if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

const char* node_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

const char* option_kind(periph::OptionKind kind) {
  switch (kind) {
    case periph::OptionKind::Integer: return "an integer";
    case periph::OptionKind::Boolean: return "true or false";
    case periph::OptionKind::String: return "a string";
  }
  return "?";
}

// ==== [loader] ===============================================================================

struct Abort {};  // thrown by Loader::fail after the message is recorded; caught in load()

struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// One bus window (memory region or peripheral) for overlap checks.
struct Window {
  std::string what;  // "memory region 'sram'"
  std::uint64_t begin, end;
  SourceMark mark;
};

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  Loaded<BoardConfig> load(const std::string& text);

 private:
  [[noreturn]] void fail(SourceMark at, const std::string& message) {
    error_ = format_mark(file_, at.line > 0 ? at : SourceMark{1, 1}) + ": " + message;
    throw Abort{};
  }
  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) {
    fail(mark(at), message);
  }
  SourceMark mark(const YAML::Node& node) const {
    YAML::Mark m = node.Mark();
    if (m.line < 0) return {};
    return {m.line + 1, m.column + 1};
  }
  std::string where(SourceMark at) const { return format_mark(file_, at); }

  // The entries of a map, with unique scalar keys. `allowed` empty = any key.
  std::vector<Field> entries(const YAML::Node& map, const std::string& what,
                             std::initializer_list<const char*> allowed = {});
  const Field* get(const std::vector<Field>& fields, std::string_view key) const;
  const Field& require(const std::vector<Field>& fields, const YAML::Node& map,
                       const std::string& what, std::string_view key);
  std::string scalar(const Field& field, const std::string& what);
  std::uint64_t number(const Field& field, const std::string& what, bool allow_suffix);
  std::string name_of(const std::vector<Field>& fields, const YAML::Node& map,
                      const std::string& what);
  std::string choice(const Field& field, const std::string& what,
                     std::initializer_list<const char*> choices);
  std::vector<YAML::Node> list(const Field& field, const std::string& what);

  void load_memory(const Field& field);
  void load_peripherals(const Field& field);
  void load_options(periph::DeviceConfig& device, const periph::DeviceType& type,
                    const Field* options, const YAML::Node& item);
  void load_pins(const Field& field);
  void load_partitions(const Field& field);
  void add_window(Window window, SourceMark at);
  void check_unique_name(const std::string& name, const std::string& what, SourceMark at);

  std::string file_;
  std::string error_;
  BoardConfig board_;
  std::vector<Window> windows_;
  std::vector<std::pair<std::string, SourceMark>> bus_names_;  // memory + peripherals
  std::vector<SourceMark> peripheral_marks_;                   // parallel to board_.peripherals
};

std::vector<Field> Loader::entries(const YAML::Node& map, const std::string& what,
                                   std::initializer_list<const char*> allowed) {
  if (!map.IsMap()) fail(map, what + " must be a map, got " + node_kind(map));
  std::vector<Field> fields;
  for (auto it = map.begin(); it != map.end(); ++it) {
    YAML::Node key = it->first;  // copies: `it->` yields a proxy that dies with the statement
    YAML::Node value = it->second;
    if (!key.IsScalar()) fail(key, "keys of " + what + " must be plain names");
    std::string name = key.Scalar();
    for (const Field& seen : fields) {
      if (seen.key == name) {
        fail(key, "duplicate key '" + name + "' in " + what + " (first given at " +
                      where(mark(seen.key_node)) + ")");
      }
    }
    if (allowed.size() != 0 &&
        std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; })) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      fail(key, "unknown key '" + name + "' in " + what + "; expected one of: " + join(names));
    }
    fields.push_back({name, key, value});
  }
  return fields;
}

const Field* Loader::get(const std::vector<Field>& fields, std::string_view key) const {
  for (const Field& field : fields)
    if (field.key == key) return &field;
  return nullptr;
}

const Field& Loader::require(const std::vector<Field>& fields, const YAML::Node& map,
                             const std::string& what, std::string_view key) {
  const Field* field = get(fields, key);
  if (!field) fail(map, what + " is missing required key '" + std::string(key) + "'");
  return *field;
}

std::string Loader::scalar(const Field& field, const std::string& what) {
  if (!field.value.IsScalar()) {
    fail(field.value.IsNull() ? field.key_node : field.value,
         "'" + field.key + "' of " + what + " must be a single value, got " +
             node_kind(field.value));
  }
  return field.value.Scalar();
}

std::uint64_t Loader::number(const Field& field, const std::string& what, bool allow_suffix) {
  std::string text = scalar(field, what);
  std::string why;
  auto value = parse_unsigned(text, allow_suffix, why);
  if (!value) fail(field.value, "bad number '" + text + "' for '" + field.key + "' of " + what +
                                    ": " + why);
  return *value;
}

std::string Loader::name_of(const std::vector<Field>& fields, const YAML::Node& map,
                            const std::string& what) {
  const Field& field = require(fields, map, what, "name");
  std::string name = scalar(field, what);
  if (!valid_name(name)) {
    fail(field.value, "bad name '" + name + "' for " + what +
                          ": expected a letter or '_' followed by letters, digits, '_' or '-'");
  }
  return name;
}

std::string Loader::choice(const Field& field, const std::string& what,
                           std::initializer_list<const char*> choices) {
  std::string text = scalar(field, what);
  for (const char* c : choices)
    if (text == c) return text;
  std::string list;
  for (const char* c : choices) list += std::string(list.empty() ? "" : " | ") + c;
  fail(field.value, "bad value '" + text + "' for '" + field.key + "' of " + what +
                        "; expected " + list);
}

std::vector<YAML::Node> Loader::list(const Field& field, const std::string& what) {
  if (field.value.IsNull()) return {};
  if (!field.value.IsSequence()) {
    fail(field.value, "'" + field.key + "' of " + what + " must be a list, got " +
                          node_kind(field.value));
  }
  std::vector<YAML::Node> items;
  for (const auto& item : field.value) items.push_back(item);
  return items;
}

void Loader::add_window(Window window, SourceMark at) {
  if (window.end > kScsBase && window.begin < kScsEnd) {
    fail(at, window.what + " " + range(window.begin, window.end) +
                 " overlaps the System Control Space " + range(kScsBase, kScsEnd) +
                 ", which the emulator provides");
  }
  for (const Window& other : windows_) {
    if (window.begin < other.end && other.begin < window.end) {
      fail(at, window.what + " " + range(window.begin, window.end) + " overlaps " + other.what +
                   " " + range(other.begin, other.end) + " declared at " + where(other.mark));
    }
  }
  windows_.push_back(std::move(window));
}

void Loader::check_unique_name(const std::string& name, const std::string& what,
                               SourceMark at) {
  for (const auto& [seen, seen_at] : bus_names_) {
    if (seen == name) {
      fail(at, "duplicate name '" + name + "' for " + what + "; already declared at " +
                   where(seen_at));
    }
  }
  bus_names_.emplace_back(name, at);
}

// ==== [sections] =============================================================================

Loaded<BoardConfig> Loader::load(const std::string& text) {
  board_.file = file_;
  try {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      fail(SourceMark{e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    }
    if (root.IsNull()) fail(SourceMark{1, 1}, "empty board file; expected a map with name, cpu, clock-hz and memory");
    auto top = entries(root, "the board",
                       {"name", "cpu", "clock-hz", "memory", "peripherals", "pins", "partitions"});
    const std::string what = "the board";
    const Field& name = require(top, root, what, "name");
    board_.name = scalar(name, what);
    if (board_.name.empty()) fail(name.value, "the board's name must not be empty");

    std::string cpu = choice(require(top, root, what, "cpu"), what, {"cortex-m4", "cortex-m3"});
    board_.cpu = cpu == "cortex-m3" ? BoardConfig::Cpu::CortexM3 : BoardConfig::Cpu::CortexM4;

    const Field& clock = require(top, root, what, "clock-hz");
    board_.clock_hz = number(clock, what, false);
    if (board_.clock_hz == 0) fail(clock.value, "'clock-hz' must be greater than 0");

    load_memory(require(top, root, what, "memory"));
    if (const Field* f = get(top, "peripherals")) load_peripherals(*f);
    if (const Field* f = get(top, "pins")) load_pins(*f);
    if (const Field* f = get(top, "partitions")) load_partitions(*f);
  } catch (const Abort&) {
    return Loaded<BoardConfig>::failure(error_);
  } catch (const YAML::Exception& e) {  // should not happen: every access is checked first
    return Loaded<BoardConfig>::failure(
        format_mark(file_, {e.mark.line + 1, e.mark.column + 1}) + ": " + e.msg);
  } catch (const std::exception& e) {
    return Loaded<BoardConfig>::failure(file_ + ": " + e.what());
  }
  return std::move(board_);
}

void Loader::load_memory(const Field& field) {
  auto items = list(field, "the board");
  if (items.empty()) fail(field.key_node, "'memory' must list at least one region");
  bool have_ram = false;
  for (const YAML::Node& item : items) {
    auto fields = entries(item, "a memory region", {"name", "kind", "base", "size", "alias-of"});
    MemoryRegion region;
    region.mark = mark(item);
    region.name = name_of(fields, item, "a memory region");
    std::string what = "memory region '" + region.name + "'";
    check_unique_name(region.name, what, region.mark);
    const MemoryRegion* target = nullptr;
    if (const Field* alias = get(fields, "alias-of")) {
      // An alias maps an earlier region's bytes again at another base (QEMU's mirrors).
      region.alias_of = scalar(*alias, what);
      target = board_.find_memory(region.alias_of);
      if (!target || !target->alias_of.empty())
        fail(alias->value, "alias-of of " + what + ": '" + region.alias_of +
                               "' is not a (non-alias) memory region declared before it");
      for (const char* key : {"kind", "size"})
        if (const Field* f = get(fields, key))
          fail(f->key_node, what + " is an alias: its " + key + " is that of '" + region.alias_of + "'");
      region.kind = target->kind;
    } else {
      std::string kind = choice(require(fields, item, what, "kind"), what, {"ram", "flash", "rom"});
      region.kind = kind == "ram"     ? MemoryRegion::Kind::Ram
                    : kind == "flash" ? MemoryRegion::Kind::Flash
                                      : MemoryRegion::Kind::Rom;
    }
    have_ram |= region.kind == MemoryRegion::Kind::Ram;

    const Field& base = require(fields, item, what, "base");
    std::uint64_t b = number(base, what, false);
    if (b > UINT32_MAX) fail(base.value, "base " + hex(b) + " of " + what + " is beyond 4 GiB");
    if (b % kPageSize) fail(base.value, "base " + hex(b) + " of " + what + " is not a multiple of 4 KiB");
    const Field& size = target ? *get(fields, "base") : require(fields, item, what, "size");
    std::uint64_t s = target ? target->size : number(size, what, true);
    if (s == 0) fail(size.value, "size of " + what + " must be greater than 0");
    if (s % kPageSize) fail(size.value, "size " + hex(s) + " of " + what + " is not a multiple of 4 KiB");
    if (b + s > (std::uint64_t{1} << 32))
      fail(size.value, what + " " + range(b, b + s) + " runs past the end of the 4 GiB address space");
    region.base = static_cast<std::uint32_t>(b);
    region.size = static_cast<std::uint32_t>(s);
    add_window({what, b, b + s, region.mark}, mark(base.value));
    board_.memory.push_back(std::move(region));
  }
  if (!have_ram) fail(field.key_node, "'memory' needs at least one region of kind ram");
}

void Loader::load_peripherals(const Field& field) {
  for (const YAML::Node& item : list(field, "the board")) {
    auto fields = entries(item, "a peripheral", {"name", "type", "base", "irq", "options"});
    periph::DeviceConfig device;
    SourceMark at = mark(item);
    device.name = name_of(fields, item, "a peripheral");
    std::string what = "peripheral '" + device.name + "'";
    check_unique_name(device.name, what, at);

    const Field& type_field = require(fields, item, what, "type");
    device.type = scalar(type_field, what);
    const periph::DeviceType* type = periph::find_device_type(device.type);
    if (!type) {
      std::vector<std::string> known;
      for (const auto& t : periph::device_types()) known.push_back(t.name);
      fail(type_field.value, "unknown peripheral type '" + device.type + "' for " + what +
                                 "; known types: " + join(known));
    }

    const Field& base = require(fields, item, what, "base");
    std::uint64_t b = number(base, what, false);
    if (b > UINT32_MAX - (kPeripheralWindow - 1))
      fail(base.value, "base " + hex(b) + " of " + what + " leaves no room for its 4 KiB window");
    if (b % kPeripheralWindow)
      fail(base.value, "base " + hex(b) + " of " + what + " is not a multiple of 4 KiB");
    device.base = static_cast<std::uint32_t>(b);
    add_window({what, b, b + kPeripheralWindow, at}, mark(base.value));

    if (const Field* irq = get(fields, "irq")) {
      std::string text = scalar(*irq, what);
      std::string why;
      auto n = parse_unsigned(text, false, why);
      if (!n || *n > static_cast<std::uint64_t>(kMaxIrq))
        fail(irq->value, "bad IRQ '" + text + "' for " + what + "; expected 0 to " +
                             std::to_string(kMaxIrq));
      device.irq = static_cast<int>(*n);
      for (std::size_t i = 0; i < board_.peripherals.size(); ++i) {
        if (board_.peripherals[i].irq == device.irq) {
          fail(irq->value, "IRQ " + text + " of " + what + " is already used by peripheral '" +
                               board_.peripherals[i].name + "' declared at " +
                               where(peripheral_marks_[i]));
        }
      }
    } else if (type->needs_irq) {
      fail(item, what + " of type " + type->name + " needs an 'irq' (0 to " +
                     std::to_string(kMaxIrq) + ")");
    }

    load_options(device, *type, get(fields, "options"), item);
    board_.peripherals.push_back(std::move(device));
    peripheral_marks_.push_back(at);
  }
}

void Loader::load_options(periph::DeviceConfig& device, const periph::DeviceType& type,
                          const Field* options, const YAML::Node& item) {
  std::string what = "the options of peripheral '" + device.name + "'";
  std::vector<Field> given;
  if (options && !options->value.IsNull()) given = entries(options->value, what);
  for (const Field& option : given) {
    auto spec = std::find_if(type.options.begin(), type.options.end(),
                             [&](const periph::OptionSpec& s) { return s.name == option.key; });
    if (spec == type.options.end()) {
      std::vector<std::string> known;
      for (const auto& s : type.options) known.push_back(s.name);
      fail(option.key_node, "unknown option '" + option.key + "' for " + type.name + " peripheral '" +
                                device.name + "'; " +
                                (known.empty() ? std::string("it takes no options")
                                               : "known options: " + join(known)));
    }
  }
  for (const periph::OptionSpec& spec : type.options) {
    const Field* option = get(given, spec.name);
    if (!option) {
      if (spec.default_value.empty()) {
        fail(options ? options->key_node : item,
             "peripheral '" + device.name + "' needs option '" + spec.name + "' (" +
                 option_kind(spec.kind) + (spec.help.empty() ? "" : ": " + spec.help) + ")");
      }
      device.options[spec.name] = spec.default_value;
      continue;
    }
    std::string text = scalar(*option, what);
    std::string expected = "option '" + spec.name + "' of peripheral '" + device.name +
                           "' must be " + option_kind(spec.kind);
    switch (spec.kind) {
      case periph::OptionKind::Integer: {
        bool negative = !text.empty() && text[0] == '-';
        std::string why;
        auto magnitude = parse_unsigned(std::string_view(text).substr(negative ? 1 : 0), true, why);
        if (!magnitude || *magnitude > static_cast<std::uint64_t>(INT64_MAX))
          fail(option->value, expected + ", got '" + text + "' (" + why + ")");
        std::int64_t value = negative ? -static_cast<std::int64_t>(*magnitude)
                                      : static_cast<std::int64_t>(*magnitude);
        if (value < spec.min || value > spec.max) {
          fail(option->value, expected + " from " + std::to_string(spec.min) + " to " +
                                  std::to_string(spec.max) + ", got " + std::to_string(value));
        }
        device.options[spec.name] = std::to_string(value);
        break;
      }
      case periph::OptionKind::Boolean:
        if (text != "true" && text != "false")
          fail(option->value, expected + ", got '" + text + "'");
        device.options[spec.name] = text;
        break;
      case periph::OptionKind::String:
        device.options[spec.name] = text;
        break;
    }
  }
}

void Loader::load_pins(const Field& field) {
  if (field.value.IsNull()) return;
  auto names = entries(field.value, "'pins'");
  for (const Field& entry : names) {
    PinConfig pin;
    pin.name = entry.key;
    pin.mark = mark(entry.key_node);
    if (!valid_name(pin.name)) {
      fail(entry.key_node, "bad pin name '" + pin.name +
                               "': expected a letter or '_' followed by letters, digits, '_' or '-'");
    }
    std::string what = "pin '" + pin.name + "'";
    auto fields = entries(entry.value, what, {"device", "pin", "direction", "pull", "active"});

    const Field& device_field = require(fields, entry.value, what, "device");
    pin.device = scalar(device_field, what);
    const periph::DeviceConfig* device = board_.find_peripheral(pin.device);
    if (!device || (device->type != "gpio" && device->type != "mps2-fpgaio")) {
      std::vector<std::string> gpios;
      for (const auto& p : board_.peripherals)
        if (p.type == "gpio") gpios.push_back(p.name);
      std::string problem = device ? "'" + pin.device + "' is a " + device->type + " peripheral"
                                   : "there is no peripheral '" + pin.device + "'";
      fail(device_field.value,
           "device of " + what + ": " + problem + "; expected a gpio peripheral (" +
               (gpios.empty() ? std::string("this board has none") : "this board has: " + join(gpios)) +
               ")");
    }

    const Field& number_field = require(fields, entry.value, what, "pin");
    std::uint64_t n = number(number_field, what, false);
    auto pins_option = device->options.find("pins");
    if (device->type == "mps2-fpgaio") pins_option = device->options.find("leds");
    if (pins_option != device->options.end()) {
      std::uint64_t count = std::stoull(pins_option->second);
      if (device->type == "mps2-fpgaio") count += std::stoull(device->options.at("buttons"));
      if (n >= count) {
        fail(number_field.value, what + ": pin " + std::to_string(n) + " is beyond '" + pin.device +
                                     "', which has " + std::to_string(count) + " pins (0 to " +
                                     std::to_string(count - 1) + ")");
      }
    } else if (n > 31) {
      fail(number_field.value, what + ": pin " + std::to_string(n) + " is beyond 31");
    }
    pin.pin = static_cast<unsigned>(n);
    for (const PinConfig& other : board_.pins) {
      if (other.device == pin.device && other.pin == pin.pin) {
        fail(number_field.value, "pin " + std::to_string(n) + " of '" + pin.device +
                                     "' is already named '" + other.name + "' at " + where(other.mark));
      }
    }

    pin.output = choice(require(fields, entry.value, what, "direction"), what,
                        {"input", "output"}) == "output";
    if (const Field* pull = get(fields, "pull")) {
      std::string p = choice(*pull, what, {"up", "down", "none"});
      pin.pull = p == "up" ? PinConfig::Pull::Up : p == "down" ? PinConfig::Pull::Down
                                                              : PinConfig::Pull::None;
    }
    if (const Field* active = get(fields, "active"))
      pin.active_low = choice(*active, what, {"high", "low"}) == "low";
    board_.pins.push_back(std::move(pin));
  }
}

void Loader::load_partitions(const Field& field) {
  for (const YAML::Node& item : list(field, "the board")) {
    auto fields = entries(item, "a partition", {"name", "memory", "offset", "size"});
    Partition part;
    part.mark = mark(item);
    part.name = name_of(fields, item, "a partition");
    std::string what = "partition '" + part.name + "'";
    for (const Partition& other : board_.partitions) {
      if (other.name == part.name)
        fail(part.mark, "duplicate name '" + part.name + "' for " + what + "; already declared at " +
                            where(other.mark));
    }
    const Field& memory_field = require(fields, item, what, "memory");
    part.memory = scalar(memory_field, what);
    const MemoryRegion* region = board_.find_memory(part.memory);
    if (!region || region->kind != MemoryRegion::Kind::Flash) {
      std::vector<std::string> flashes;
      for (const auto& m : board_.memory)
        if (m.kind == MemoryRegion::Kind::Flash) flashes.push_back(m.name);
      std::string problem = region ? "'" + part.memory + "' is a " + to_string(region->kind) + " region"
                                   : "there is no memory region '" + part.memory + "'";
      fail(memory_field.value, "memory of " + what + ": " + problem +
                                   "; expected a flash region (" +
                                   (flashes.empty() ? std::string("this board has none")
                                                    : "this board has: " + join(flashes)) + ")");
    }
    const Field& offset = require(fields, item, what, "offset");
    std::uint64_t o = number(offset, what, true);
    const Field& size = require(fields, item, what, "size");
    std::uint64_t s = number(size, what, true);
    if (s == 0) fail(size.value, "size of " + what + " must be greater than 0");
    if (o + s > region->size) {
      fail(o >= region->size ? offset.value : size.value,
           what + " at offset " + hex(o) + " size " + hex(s) + " (ends at " + hex(o + s) +
               ") lies outside flash region '" + region->name + "' (size " + hex(region->size) + ")");
    }
    part.offset = static_cast<std::uint32_t>(o);
    part.size = static_cast<std::uint32_t>(s);
    for (const Partition& other : board_.partitions) {
      if (other.memory == part.memory && part.offset < other.offset + std::uint64_t{other.size} &&
          other.offset < part.offset + std::uint64_t{part.size}) {
        fail(offset.value, what + " " + range(o, o + s) + " overlaps partition '" + other.name +
                               "' " + range(other.offset, std::uint64_t{other.offset} + other.size) +
                               " of '" + part.memory + "' declared at " + where(other.mark));
      }
    }
    board_.partitions.push_back(std::move(part));
  }
}

}  // namespace

// ==== [api] ==================================================================================

const char* to_string(MemoryRegion::Kind kind) {
  switch (kind) {
    case MemoryRegion::Kind::Ram: return "ram";
    case MemoryRegion::Kind::Flash: return "flash";
    case MemoryRegion::Kind::Rom: return "rom";
  }
  return "?";
}

const char* to_string(BoardConfig::Cpu cpu) {
  return cpu == BoardConfig::Cpu::CortexM3 ? "cortex-m3" : "cortex-m4";
}

const MemoryRegion* BoardConfig::find_memory(const std::string& wanted) const {
  for (const auto& m : memory)
    if (m.name == wanted) return &m;
  return nullptr;
}

const periph::DeviceConfig* BoardConfig::find_peripheral(const std::string& wanted) const {
  for (const auto& p : peripherals)
    if (p.name == wanted) return &p;
  return nullptr;
}

const PinConfig* BoardConfig::find_pin(const std::string& wanted) const {
  for (const auto& p : pins)
    if (p.name == wanted) return &p;
  return nullptr;
}

const Partition* BoardConfig::find_partition(const std::string& wanted) const {
  for (const auto& p : partitions)
    if (p.name == wanted) return &p;
  return nullptr;
}

const MemoryRegion* BoardConfig::region_containing(std::uint32_t address) const {
  for (const auto& m : memory)
    if (m.contains(address)) return &m;
  return nullptr;
}

std::uint32_t BoardConfig::partition_base(const Partition& partition) const {
  const MemoryRegion* region = find_memory(partition.memory);
  return (region ? region->base : 0) + partition.offset;
}

Loaded<BoardConfig> load_board_from_string(const std::string& text, const std::string& filename) {
  return Loader(filename).load(text);
}

Loaded<BoardConfig> load_board(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    return Loaded<BoardConfig>::failure(path + ": cannot open board file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Loaded<BoardConfig>::failure(path + ": cannot read board file");
  return load_board_from_string(text.str(), path);
}

std::string resolve_board_path(const std::string& argument, const std::string& source_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(argument, ec)) return argument;
  if (fs::is_directory(argument, ec) && fs::is_regular_file(fs::path(argument) / "board.yaml", ec))
    return (fs::path(argument) / "board.yaml").string();
  if (!argument.empty() && argument.find('/') == std::string::npos) {
    fs::path candidate = fs::path(source_root) / "boards" / argument / "board.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return argument;
}

}  // namespace hilsim::emu
