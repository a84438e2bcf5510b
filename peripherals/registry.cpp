// The device type catalogue (registry.h): every model a board file may name, its options with
// defaults and ranges, and its create function; plus option parsing helpers and
// to_string(ResetReason). Adding a model = one entry here.
#include "peripherals/registry.h"

#include <charconv>
#include <stdexcept>

#include "peripherals/cmsdk_dualtimer.h"
#include "peripherals/cmsdk_timer.h"
#include "peripherals/cmsdk_uart.h"
#include "peripherals/cmsdk_watchdog.h"
#include "peripherals/flash_controller.h"
#include "peripherals/gpio.h"
#include "peripherals/mps2_fpgaio.h"
#include "peripherals/net_link.h"
#include "peripherals/reset_controller.h"
#include "peripherals/rng.h"
#include "peripherals/status_port.h"
#include "peripherals/uart.h"
#include "peripherals/watchdog.h"

namespace hilsim::periph {

const char* to_string(ResetReason reason) {
  switch (reason) {
    case ResetReason::PowerOn: return "power-on";
    case ResetReason::Watchdog: return "watchdog";
    case ResetReason::Software: return "software";
    case ResetReason::External: return "external";
    case ResetReason::Lockup: return "lockup";
  }
  return "unknown";
}

namespace {

template <typename T>
std::unique_ptr<Device> make(const DeviceConfig& config, DeviceHost& host) {
  return std::make_unique<T>(config, host);
}

std::vector<DeviceType> build_types() {
  std::vector<DeviceType> types;
  types.push_back({"uart", "byte UART, 16-byte TX/RX FIFOs, 10 bit times per byte", false,
                   {{"baud", OptionKind::Integer, "115200", "initial baud rate (BAUDDIV reset = clock / baud)", 300,
                     INT64_MAX}},
                   &make<Uart>});
  types.push_back({"gpio", "up to 32 pins: direction, set/clear/toggle, pull-ups, edge interrupts", false,
                   {{"pins", OptionKind::Integer, "32", "number of pins", 1, 32}},
                   &make<Gpio>});
  types.push_back({"watchdog", "independent watchdog on its own clock, early-warning IRQ", false,
                   {{"clock-hz", OptionKind::Integer, "32768", "watchdog counter clock in Hz", 1, INT64_MAX}},
                   &make<Watchdog>});
  types.push_back({"reset-controller", "reset causes, boot count, core clock, software reset, scratch", false, {},
                   &make<ResetController>});
  types.push_back({"rng", "deterministic random numbers from the machine seed", false, {}, &make<Rng>});
  types.push_back({"flash-controller", "NOR flash program/erase controller over a flash memory region", false,
                   {{"memory", OptionKind::String, "flash", "the flash memory region it programs"},
                    {"sector-size", OptionKind::Integer, "4096", "erase sector size in bytes (power of two)", 256,
                     1 << 24},
                    {"program-unit", OptionKind::Integer, "4", "bytes per program operation (4 or 8)", 4, 8},
                    {"page-size", OptionKind::Integer, "256",
                     "largest buffered program (CMD 3), bytes; it may not cross a page boundary", 4, 256},
                    {"program-us", OptionKind::Integer, "20", "time to program one unit, microseconds", 0, 1000000},
                    {"erase-ms", OptionKind::Integer, "25", "time to erase one sector, milliseconds", 0, 100000},
                    {"program-policy", OptionKind::String, "error",
                     "programming a non-erased location: error, and (AND the bits) or allow"},
                    {"endurance", OptionKind::Integer, "0", "erase cycles per sector before it wears out (0 = no limit)",
                     0, INT64_MAX},
                    {"bad-sectors", OptionKind::String, "none",
                     "comma-separated sector numbers that fail every operation, or none"}},
                   &make<FlashController>});
  types.push_back({"net-link", "socket-offload TCP link (one connection) to a host-side backend", false,
                   {{"latency-us", OptionKind::Integer, "2000", "one-way latency, microseconds", 0, 60'000'000},
                    {"rate-bps", OptionKind::Integer, "1000000", "receive rate, bytes per second", 1, 1'000'000'000},
                    {"connect-timeout-ms", OptionKind::Integer, "3000", "CONNECT gives up after this, milliseconds", 1,
                     3'600'000}},
                   &make<NetLink>});
  types.push_back({"status-port", "firmware status channel: script version, slot, update state", false, {},
                   &make<StatusPort>});
  // ARM CMSDK / MPS2 models (docs/mps2.md), as on QEMU's mps2-an385/an386.
  types.push_back({"cmsdk-uart", "CMSDK APB UART: 1-byte buffers, TX/RX IRQs (irq = RX)", false,
                   {{"tx-irq", OptionKind::Integer, "-1", "TX interrupt line (-1 = none)", -1, 239},
                    {"byte-cycles", OptionKind::Integer, "-1",
                     "cycles per byte on the wire: -1 = 10 x BAUDDIV, 0 = at once (as QEMU)", -1, INT64_MAX}},
                   &make<CmsdkUart>});
  types.push_back({"cmsdk-timer", "CMSDK APB timer: 32-bit down counter with reload", false, {}, &make<CmsdkTimer>});
  types.push_back({"cmsdk-dualtimer", "CMSDK APB dual timer (SP804-like), combined IRQ", false, {},
                   &make<CmsdkDualTimer>});
  types.push_back({"cmsdk-watchdog", "CMSDK APB watchdog (SP805-like): interrupt, then reset", false,
                   {{"nmi", OptionKind::Boolean, "false", "drive NMI instead of `irq`"}},
                   &make<CmsdkWatchdog>});
  types.push_back({"mps2-fpgaio", "MPS2 FPGA I/O: LEDs, buttons, 1 Hz/100 Hz/prescaled counters", false,
                   {{"leds", OptionKind::Integer, "2", "number of user LEDs (pins 0..leds-1)", 0, 8},
                    {"buttons", OptionKind::Integer, "2", "number of push buttons (the pins after the LEDs)", 0, 8}},
                   &make<Mps2FpgaIo>});
  return types;
}

const OptionSpec* find_spec(const DeviceConfig& config, const std::string& name) {
  if (const DeviceType* t = find_device_type(config.type))
    for (const OptionSpec& o : t->options)
      if (o.name == name) return &o;
  return nullptr;
}

// The option's text, falling back to the type's default when the loader did not fill it in.
std::string option_text(const DeviceConfig& config, const std::string& name) {
  if (auto it = config.options.find(name); it != config.options.end()) return it->second;
  if (const OptionSpec* spec = find_spec(config, name); spec && !spec->default_value.empty())
    return spec->default_value;
  throw std::invalid_argument(config.name + ": missing option '" + name + "'");
}

}  // namespace

const std::vector<DeviceType>& device_types() {
  static const std::vector<DeviceType> types = build_types();
  return types;
}

const DeviceType* find_device_type(const std::string& name) {
  for (const DeviceType& t : device_types())
    if (t.name == name) return &t;
  return nullptr;
}

// Decimal, or hex with a 0x prefix, optionally negative; must consume the whole text and
// respect the spec's range when the type is known.
std::int64_t option_int(const DeviceConfig& config, const std::string& name) {
  std::string text = option_text(config, name);
  std::string_view s = text;
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() ||
      magnitude > (negative ? std::uint64_t{1} << 63 : std::uint64_t{INT64_MAX}))
    throw std::invalid_argument(config.name + ": option '" + name + "' is not an integer: '" + text + "'");
  std::int64_t v = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  if (const OptionSpec* spec = find_spec(config, name); spec && (v < spec->min || v > spec->max))
    throw std::invalid_argument(config.name + ": option '" + name + "' = " + text + " is out of range [" +
                                std::to_string(spec->min) + ", " + std::to_string(spec->max) + "]");
  return v;
}

std::string option_string(const DeviceConfig& config, const std::string& name) {
  return option_text(config, name);
}

bool option_bool(const DeviceConfig& config, const std::string& name) {
  std::string text = option_text(config, name);
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw std::invalid_argument(config.name + ": option '" + name + "' is not a boolean: '" + text + "'");
}

}  // namespace hilsim::periph
