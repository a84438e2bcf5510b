// The catalogue of device model types a board file may name (`type: uart`), with the
// options each accepts. The board loader checks a board's `options:` against these specs
// (so an unknown or mistyped option is reported with file:line:column) and then asks the
// registry to build the device.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "peripherals/device.h"

namespace hilsim::periph {

enum class OptionKind { Integer, Boolean, String };

struct OptionSpec {
  std::string name;
  OptionKind kind;
  std::string default_value;  // textual; "" means the option is required
  std::string help;
  std::int64_t min = INT64_MIN;  // for Integer
  std::int64_t max = INT64_MAX;
};

// Option values after validation, by name, as text (integers in decimal, booleans "true"/"false").
// Every option of the spec is present (defaults filled in).
using OptionValues = std::map<std::string, std::string>;

struct DeviceConfig {
  std::string name;
  std::string type;
  std::uint32_t base = 0;
  int irq = -1;  // -1 = none
  OptionValues options;
  std::uint64_t seed = 0;  // machine seed, for models that need randomness
};

struct DeviceType {
  std::string name;
  std::string help;
  bool needs_irq = false;
  std::vector<OptionSpec> options;
  std::unique_ptr<Device> (*create)(const DeviceConfig& config, DeviceHost& host);
};

// All registered types, in a stable order.
const std::vector<DeviceType>& device_types();
const DeviceType* find_device_type(const std::string& name);

// Helpers for create functions.
std::int64_t option_int(const DeviceConfig& config, const std::string& name);
bool option_bool(const DeviceConfig& config, const std::string& name);
std::string option_string(const DeviceConfig& config, const std::string& name);

}  // namespace hilsim::periph
