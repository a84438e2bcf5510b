// Board files (emulator/board_config.h): the demo board loads with the values it declares,
// and every error docs/board-format.md promises is reported at the exact line:column.
#include "emulator/board_config.h"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <string>

using namespace hilsim::emu;

namespace {

// Lines 1-6 of most test boards; what a test appends starts at line 7.
const std::string kHead =
    "name: t\n"
    "cpu: cortex-m4\n"
    "clock-hz: 1000000\n"
    "memory:\n"
    "  - {name: flash, kind: flash, base: 0x0, size: 64KiB}\n"
    "  - {name: ram, kind: ram, base: 0x20000000, size: 16KiB}\n";

// kHead plus a uart (line 8) and a 4-pin gpio (line 9); what a test appends starts at line 10.
const std::string kWithDevices = kHead +
                                 "peripherals:\n"
                                 "  - {name: u, type: uart, base: 0x40000000, irq: 0}\n"
                                 "  - {name: g, type: gpio, base: 0x40001000, irq: 1, options: {pins: 4}}\n";

std::string error_of(const std::string& text) {
  auto result = load_board_from_string(text, "b.yaml");
  CHECK_FALSE(result.ok());
  return result.ok() ? std::string("(loaded)") : result.error();
}

// The message must start with `b.yaml:<where>: ` and contain `what`.
#define CHECK_BOARD_ERROR(text, where, what)                                   \
  do {                                                                         \
    std::string message_ = error_of(text);                                     \
    INFO(message_);                                                            \
    CHECK(message_.rfind(std::string("b.yaml:") + (where) + ": ", 0) == 0);   \
    CHECK(message_.find(what) != std::string::npos);                           \
  } while (0)

// "b.yaml:<line>:<column>: <message>"
bool has_position(const std::string& message) {
  std::size_t at = std::string("b.yaml:").size();
  if (message.rfind("b.yaml:", 0) != 0) return false;
  for (int part = 0; part < 2; ++part) {
    std::size_t digits = at;
    while (at < message.size() && std::isdigit(static_cast<unsigned char>(message[at]))) ++at;
    if (at == digits || at >= message.size() || message[at] != ':') return false;
    ++at;
  }
  return message.compare(at, 1, " ") == 0 && message.size() > at + 1;
}

}  // namespace

TEST_CASE("demo-m4 board loads with the values it declares") {
  std::string path = resolve_board_path("demo-m4", HILSIM_SOURCE_DIR);
  CHECK(path == std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml");
  auto result = load_board(path);
  INFO(result.error());
  REQUIRE(result.ok());
  const BoardConfig& b = *result;
  CHECK(b.name == "demo-m4");
  CHECK(b.file == path);
  CHECK(b.cpu == BoardConfig::Cpu::CortexM4);
  CHECK(b.clock_hz == 64000000);

  REQUIRE(b.memory.size() == 2);
  CHECK(b.memory[0].name == "flash");
  CHECK(b.memory[0].kind == MemoryRegion::Kind::Flash);
  CHECK(b.memory[0].base == 0x00000000);
  CHECK(b.memory[0].size == 512 * 1024);
  CHECK(b.memory[1].name == "sram");
  CHECK(b.memory[1].kind == MemoryRegion::Kind::Ram);
  CHECK(b.memory[1].base == 0x20000000);
  CHECK(b.memory[1].size == 128 * 1024);
  CHECK(b.memory[1].mark.line == 12);
  CHECK(b.memory[1].mark.column == 5);

  REQUIRE(b.peripherals.size() == 8);
  CHECK(b.find_peripheral("flashctl")->options.at("bad-sectors") == "none");
  CHECK(b.find_peripheral("flashctl")->irq == 3);
  const auto* uart = b.find_peripheral("uart0");
  REQUIRE(uart);
  CHECK(uart->type == "uart");
  CHECK(uart->base == 0x40001000);
  CHECK(uart->irq == 0);
  CHECK(uart->options.at("baud") == "115200");
  CHECK(b.find_peripheral("gpio0")->options.at("pins") == "8");
  CHECK(b.find_peripheral("wdt")->options.at("clock-hz") == "32768");
  CHECK(b.find_peripheral("wdt")->irq == 2);
  CHECK(b.find_peripheral("sysctl")->irq == -1);
  CHECK(b.find_peripheral("rng")->base == 0x40005000);
  CHECK(b.find_peripheral("nope") == nullptr);
  // Every option of every spec is present (defaults filled in).
  for (const auto& device : b.peripherals) {
    const auto* type = hilsim::periph::find_device_type(device.type);
    REQUIRE(type);
    for (const auto& spec : type->options) CHECK(device.options.count(spec.name) == 1);
  }

  REQUIRE(b.pins.size() == 3);
  CHECK(b.pins[0].name == "LED0");
  CHECK(b.pins[0].device == "gpio0");
  CHECK(b.pins[0].output);
  const PinConfig* button = b.find_pin("BUTTON");
  REQUIRE(button);
  CHECK(button->pin == 2);
  CHECK_FALSE(button->output);
  CHECK(button->pull == PinConfig::Pull::Up);
  CHECK_FALSE(button->active_low);
  CHECK(b.find_pin("LED1")->pull == PinConfig::Pull::None);

  REQUIRE(b.partitions.size() == 5);
  const Partition* slot_b = b.find_partition("slot-b");
  REQUIRE(slot_b);
  CHECK(slot_b->memory == "flash");
  CHECK(slot_b->offset == 0x68000);
  CHECK(slot_b->size == 96 * 1024);
  CHECK(b.partition_base(*slot_b) == 0x68000);
  CHECK(b.find_partition("meta")->size == 16 * 1024);
  CHECK(b.find_partition("slot-c") == nullptr);

  REQUIRE(b.region_containing(0x20000010));
  CHECK(b.region_containing(0x20000010)->name == "sram");
  CHECK(b.region_containing(0x0007FFFF)->name == "flash");
  CHECK(b.region_containing(0x00080000) == nullptr);
  CHECK(b.region_containing(0x20020000) == nullptr);
  CHECK(b.find_memory("sram") == &b.memory[1]);
}

TEST_CASE("resolve_board_path accepts files, folders and board names") {
  std::string root = HILSIM_SOURCE_DIR;
  std::string file = root + "/boards/demo-m4/board.yaml";
  CHECK(resolve_board_path(file, root) == file);
  CHECK(resolve_board_path(root + "/boards/demo-m4", root) == file);
  CHECK(resolve_board_path("no-such-board", root) == "no-such-board");
  auto missing = load_board("no-such-board");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error() == "no-such-board: cannot open board file");
}

TEST_CASE("a board file's error names the file path") {
  std::string path = std::string(HILSIM_SOURCE_DIR) + "/tests/data/boards/overlap.yaml";
  auto result = load_board(path);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error() == path +
                              ":9:38: peripheral 'uart0' [0x20008000, 0x20009000) overlaps memory "
                              "region 'sram' [0x20000000, 0x20010000) declared at " +
                              path + ":7:5");
}

TEST_CASE("numbers: hex, decimal, KiB and MiB") {
  auto result = load_board_from_string(kHead +
                                           "  - {name: rom, kind: rom, base: 0x10000000, size: 1MiB}\n"
                                           "  - {name: ram2, kind: ram, base: 805306368, size: 8192}\n"
                                           "  - {name: ram3, kind: ram, base: 0X30010000, size: 0x3000}\n",
                                       "b.yaml");
  INFO(result.error());
  REQUIRE(result.ok());
  CHECK(result->memory[0].size == 0x10000);
  CHECK(result->memory[2].size == 0x100000);
  CHECK(result->memory[3].base == 0x30000000);
  CHECK(result->memory[3].size == 0x2000);
  CHECK(result->memory[4].base == 0x30010000);
  CHECK(result->memory[4].kind == MemoryRegion::Kind::Ram);
  CHECK(result->memory[2].kind == MemoryRegion::Kind::Rom);

  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x1000_0000, size: 4KiB}\n", "7:32",
                    "underscores are not allowed");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x10000000, size: 4KB}\n", "7:50",
                    "bad number '4KB' for 'size' of memory region 'x'");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 64KiB, size: 4KiB}\n", "7:32",
                    "bad number '64KiB' for 'base'");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x1G000000, size: 4KiB}\n", "7:32",
                    "expected a decimal or 0x-hex integer");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 99999999999999999999999\n", "3:11",
                    "number is too large");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: fast\n", "3:11",
                    "bad number 'fast' for 'clock-hz'");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 0\n", "3:11", "greater than 0");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x100000000, size: 4KiB}\n", "7:32",
                    "beyond 4 GiB");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0xFFFFF000, size: 8KiB}\n", "7:50",
                    "runs past the end of the 4 GiB address space");
}

TEST_CASE("YAML syntax errors carry yaml-cpp's position") {
  CHECK_BOARD_ERROR("name: [unclosed\ncpu: x\n", "2:4", "YAML syntax error");
  CHECK_BOARD_ERROR("name: t\nmemory:\n  - {name: flash\n  - x: [\n", "4:6", "YAML syntax error");
  CHECK_BOARD_ERROR("name: t\n\tcpu: x\n", "2:1", "YAML syntax error");
}

TEST_CASE("wrong shapes and types") {
  CHECK_BOARD_ERROR("", "1:1", "empty board file");
  CHECK_BOARD_ERROR("# only a comment\n", "1:1", "empty board file");
  CHECK_BOARD_ERROR("- a\n- b\n", "1:1", "the board must be a map, got a list");
  CHECK_BOARD_ERROR("name:\n  - a\n", "2:3", "'name' of the board must be a single value, got a list");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m7\n", "2:6", "bad value 'cortex-m7' for 'cpu' of the board; expected cortex-m4 | cortex-m3");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 1\nmemory: {name: ram}\n", "4:9",
                    "'memory' of the board must be a list, got a map");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 1\nmemory: []\n", "4:1",
                    "'memory' must list at least one region");
  CHECK_BOARD_ERROR(kHead + "  - just-a-name\n", "7:5", "a memory region must be a map, got a scalar");
  CHECK_BOARD_ERROR(kHead + "peripherals: 3\n", "7:14", "'peripherals' of the board must be a list");
  CHECK_BOARD_ERROR(kHead + "pins: [a]\n", "7:7", "'pins' must be a map, got a list");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: [1], size: 4KiB}\n", "7:32",
                    "'base' of memory region 'x' must be a single value, got a list");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base:, size: 4KiB}\n", "7:26",
                    "'base' of memory region 'x' must be a single value, got nothing");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: eeprom, base: 0x10000000, size: 4KiB}\n", "7:21",
                    "expected ram | flash | rom");
  CHECK_BOARD_ERROR(kHead + "  - {name: 9x, kind: rom, base: 0x10000000, size: 4KiB}\n", "7:12",
                    "bad name '9x'");
  // Empty optional sections are allowed.
  CHECK(load_board_from_string(kHead + "peripherals:\npins:\npartitions: []\n", "b.yaml").ok());
}

TEST_CASE("unknown and duplicate keys at every level") {
  CHECK_BOARD_ERROR(kHead + "colour: red\n", "7:1",
                    "unknown key 'colour' in the board; expected one of: name, cpu, clock-hz, "
                    "memory, peripherals, pins, partitions");
  CHECK_BOARD_ERROR(kHead + "  - name: rom\n    kind: rom\n    base: 0x10000000\n    size: 4KiB\n"
                            "    speed: fast\n",
                    "11:5", "unknown key 'speed' in a memory region; expected one of: name, kind, base, size");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: r, type: rng, base: 0x40000000, clock: 1}\n", "8:44",
                    "unknown key 'clock' in a peripheral");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: input, colour: red}\n",
                    "11:46", "unknown key 'colour' in pin 'LED'");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0, size: 4KiB, ro: true}\n",
                    "8:53", "unknown key 'ro' in a partition");
  CHECK_BOARD_ERROR(kHead + "name: again\n", "7:1",
                    "duplicate key 'name' in the board (first given at b.yaml:1:1)");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, name: y, kind: rom, base: 0x10000000, size: 4KiB}\n", "7:15",
                    "duplicate key 'name' in a memory region (first given at b.yaml:7:6)");
}

TEST_CASE("missing required fields") {
  CHECK_BOARD_ERROR("cpu: cortex-m4\n", "1:1", "the board is missing required key 'name'");
  CHECK_BOARD_ERROR("name: t\nclock-hz: 5\n", "1:1", "missing required key 'cpu'");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\n", "1:1", "missing required key 'clock-hz'");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 5\n", "1:1", "missing required key 'memory'");
  CHECK_BOARD_ERROR(kHead + "  - name: x\n    kind: rom\n    size: 4KiB\n", "7:5",
                    "memory region 'x' is missing required key 'base'");
  CHECK_BOARD_ERROR(kHead + "  - {kind: rom, base: 0x10000000, size: 4KiB}\n", "7:5",
                    "a memory region is missing required key 'name'");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: r, base: 0x40000000}\n", "8:5",
                    "peripheral 'r' is missing required key 'type'");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1}\n", "11:8",
                    "pin 'LED' is missing required key 'direction'");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0}\n", "8:5",
                    "partition 'a' is missing required key 'size'");
  CHECK_BOARD_ERROR("name: t\ncpu: cortex-m4\nclock-hz: 1\nmemory:\n"
                    "  - {name: flash, kind: flash, base: 0x0, size: 64KiB}\n",
                    "4:1", "'memory' needs at least one region of kind ram");
}

TEST_CASE("RAM-only boards and memory aliases (alias-of)") {
  auto ram_only = load_board_from_string("name: t\ncpu: cortex-m3\nclock-hz: 1\nmemory:\n"
                                         "  - {name: ram, kind: ram, base: 0x0, size: 64KiB}\n"
                                         "  - {name: mirror, alias-of: ram, base: 0x10000}\n",
                                         "b.yaml");
  REQUIRE_MESSAGE(ram_only.ok(), (ram_only.ok() ? "" : ram_only.error()));
  const MemoryRegion* mirror = ram_only->find_memory("mirror");
  REQUIRE(mirror);
  CHECK(mirror->alias_of == "ram");
  CHECK(mirror->kind == MemoryRegion::Kind::Ram);
  CHECK(mirror->size == 64 * 1024);
  CHECK_BOARD_ERROR(kHead + "  - {name: m, alias-of: nope, base: 0x30000000}\n", "7:25",
                    "'nope' is not a (non-alias) memory region declared before it");
  CHECK_BOARD_ERROR(kHead + "  - {name: m, alias-of: ram, base: 0x30000000, size: 4KiB}\n", "7:48",
                    "memory region 'm' is an alias: its size is that of 'ram'");
  CHECK_BOARD_ERROR(kHead + "  - {name: m, alias-of: ram, base: 0x20002000}\n", "7:36", "overlaps");
}

TEST_CASE("alignment, overlaps and the System Control Space") {
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x10000800, size: 4KiB}\n", "7:32",
                    "base 0x10000800 of memory region 'x' is not a multiple of 4 KiB");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x10000000, size: 0x1800}\n", "7:50",
                    "size 0x00001800 of memory region 'x' is not a multiple of 4 KiB");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x10000000, size: 0}\n", "7:50",
                    "must be greater than 0");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0x8000, size: 4KiB}\n", "7:32",
                    "memory region 'x' [0x00008000, 0x00009000) overlaps memory region 'flash' "
                    "[0x00000000, 0x00010000) declared at b.yaml:5:5");
  CHECK_BOARD_ERROR(kHead + "  - {name: x, kind: rom, base: 0xDFFFF000, size: 8KiB}\n", "7:32",
                    "overlaps the System Control Space [0xe0000000, 0xe0100000)");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x20001000, irq: 3}\n", "8:33",
                    "peripheral 'u' [0x20001000, 0x20002000) overlaps memory region 'ram' "
                    "[0x20000000, 0x20004000) declared at b.yaml:6:5");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 3}\n"
                            "  - {name: v, type: uart, base: 0x40000000, irq: 4}\n",
                    "9:33", "peripheral 'v' [0x40000000, 0x40001000) overlaps peripheral 'u' "
                            "[0x40000000, 0x40001000) declared at b.yaml:8:5");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0xE000E000, irq: 3}\n", "8:33",
                    "peripheral 'u' [0xe000e000, 0xe000f000) overlaps the System Control Space");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000800, irq: 3}\n", "8:33",
                    "not a multiple of 4 KiB");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: r, type: rng, base: 0xFFFFFFFF}\n", "8:32",
                    "leaves no room for its 4 KiB window");
  // Just below and just above the SCS are fine.
  CHECK(load_board_from_string(kHead + "peripherals:\n  - {name: a, type: rng, base: 0xDFFFF000}\n"
                                       "  - {name: b, type: rng, base: 0xE0100000}\n",
                               "b.yaml")
            .ok());
}

TEST_CASE("duplicate names") {
  CHECK_BOARD_ERROR(kHead + "  - {name: ram, kind: rom, base: 0x30000000, size: 4KiB}\n", "7:5",
                    "duplicate name 'ram' for memory region 'ram'; already declared at b.yaml:6:5");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: ram, type: rng, base: 0x40000000}\n", "8:5",
                    "duplicate name 'ram' for peripheral 'ram'; already declared at b.yaml:6:5");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0, size: 4KiB}\n"
                            "  - {name: a, memory: flash, offset: 4KiB, size: 4KiB}\n",
                    "9:5", "duplicate name 'a' for partition 'a'; already declared at b.yaml:8:5");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: input}\n"
                                   "  LED: {device: g, pin: 2, direction: input}\n",
                    "12:3", "duplicate key 'LED' in 'pins' (first given at b.yaml:11:3)");
}

TEST_CASE("peripheral types and IRQs") {
  std::string message = error_of(kHead + "peripherals:\n  - {name: u, type: serial, base: 0x40000000, irq: 3}\n");
  CHECK(message.rfind("b.yaml:8:21: unknown peripheral type 'serial' for peripheral 'u'; known types: ", 0) == 0);
  for (const auto& type : hilsim::periph::device_types()) CHECK(message.find(type.name) != std::string::npos);

  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 240}\n", "8:50",
                    "bad IRQ '240' for peripheral 'u'; expected 0 to 239");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: -1}\n", "8:50",
                    "bad IRQ '-1'");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 3}\n"
                            "  - name: v\n    type: uart\n    base: 0x40001000\n    irq: 3\n",
                    "12:10", "IRQ 3 of peripheral 'v' is already used by peripheral 'u' declared at b.yaml:8:5");
  auto ok = load_board_from_string(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 239}\n", "b.yaml");
  INFO(ok.error());
  REQUIRE(ok.ok());
  CHECK(ok->peripherals[0].irq == 239);

  // A type that needs an IRQ and has none (whichever types the registry says need one).
  for (const auto& type : hilsim::periph::device_types()) {
    if (!type.needs_irq) continue;
    CAPTURE(type.name);
    CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: d, type: " + type.name + ", base: 0x40000000}\n",
                      "8:5", "peripheral 'd' of type " + type.name + " needs an 'irq' (0 to 239)");
  }
}

TEST_CASE("options are checked against the registry and completed with defaults") {
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - name: u\n    type: uart\n    base: 0x40000000\n    irq: 1\n"
                            "    options:\n      bard: 9600\n",
                    "13:7", "unknown option 'bard' for uart peripheral 'u'; known options: baud");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 1, options: {baud: fast}}\n",
                    "8:69", "option 'baud' of peripheral 'u' must be an integer, got 'fast'");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 1, options: [1]}\n",
                    "8:62", "the options of peripheral 'u' must be a map, got a list");
  CHECK_BOARD_ERROR(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 1, options: {baud: {a: 1}}}\n",
                    "8:69", "'baud' of the options of peripheral 'u' must be a single value, got a map");

  // Every registered type: no options → all defaults (or a clear "needs option"); each option
  // given a value of the wrong kind, or out of its range, is refused at the value.
  for (const auto& type : hilsim::periph::device_types()) {
    CAPTURE(type.name);
    std::string device = "  - {name: d, type: " + type.name + ", base: 0x40000000, irq: 7";
    bool needs_some = false;
    for (const auto& spec : type.options) needs_some |= spec.default_value.empty();
    auto plain = load_board_from_string(kHead + "peripherals:\n" + device + "}\n", "b.yaml");
    if (needs_some) {
      REQUIRE_FALSE(plain.ok());
      CHECK(plain.error().find("needs option") != std::string::npos);
      continue;
    }
    INFO(plain.error());
    REQUIRE(plain.ok());
    for (const auto& spec : type.options) {
      CAPTURE(spec.name);
      CHECK(plain->peripherals[0].options.at(spec.name) == spec.default_value);
      // Column of the value in `device + ", options: {" + name + ": "`.
      std::string prefix = device + ", options: {" + spec.name + ": ";
      std::string at = "8:" + std::to_string(prefix.size() + 1);
      if (spec.kind == hilsim::periph::OptionKind::Integer) {
        CHECK_BOARD_ERROR(kHead + "peripherals:\n" + prefix + "maybe}}\n", at, "must be an integer");
        if (spec.max < INT64_MAX)
          CHECK_BOARD_ERROR(kHead + "peripherals:\n" + prefix + std::to_string(spec.max + 1) + "}}\n", at,
                            "from " + std::to_string(spec.min) + " to " + std::to_string(spec.max));
        if (spec.min > INT64_MIN && spec.min > -1000000)
          CHECK_BOARD_ERROR(kHead + "peripherals:\n" + prefix + std::to_string(spec.min - 1) + "}}\n", at,
                            "from " + std::to_string(spec.min) + " to " + std::to_string(spec.max));
      } else if (spec.kind == hilsim::periph::OptionKind::Boolean) {
        CHECK_BOARD_ERROR(kHead + "peripherals:\n" + prefix + "maybe}}\n", at, "must be true or false");
        auto yes = load_board_from_string(kHead + "peripherals:\n" + prefix + "true}}\n", "b.yaml");
        REQUIRE(yes.ok());
        CHECK(yes->peripherals[0].options.at(spec.name) == "true");
      }
    }
  }

  // Integers are stored in decimal, whatever their spelling.
  auto hex = load_board_from_string(kHead + "peripherals:\n  - {name: u, type: uart, base: 0x40000000, irq: 1, options: {baud: 0x2580}}\n", "b.yaml");
  INFO(hex.error());
  REQUIRE(hex.ok());
  CHECK(hex->peripherals[0].options.at("baud") == "9600");
}

TEST_CASE("pins") {
  auto ok = load_board_from_string(kWithDevices + "pins:\n  LED: {device: g, pin: 3, direction: output, active: low}\n"
                                                  "  KEY: {device: g, pin: 0, direction: input, pull: down}\n",
                                   "b.yaml");
  INFO(ok.error());
  REQUIRE(ok.ok());
  CHECK(ok->find_pin("LED")->active_low);
  CHECK(ok->find_pin("LED")->mark.line == 11);
  CHECK(ok->find_pin("KEY")->pull == PinConfig::Pull::Down);

  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: u, pin: 0, direction: output}\n", "11:17",
                    "device of pin 'LED': 'u' is a uart peripheral; expected a gpio peripheral (this board has: g)");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g2, pin: 0, direction: output}\n", "11:17",
                    "there is no peripheral 'g2'");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 4, direction: output}\n", "11:25",
                    "pin 'LED': pin 4 is beyond 'g', which has 4 pins (0 to 3)");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: output}\n"
                                   "  LED2: {device: g, pin: 1, direction: input}\n",
                    "12:26", "pin 1 of 'g' is already named 'LED' at b.yaml:11:3");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: out}\n", "11:39",
                    "bad value 'out' for 'direction' of pin 'LED'; expected input | output");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: input, pull: sideways}\n", "11:52",
                    "expected up | down | none");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: {device: g, pin: 1, direction: input, active: sometimes}\n", "11:54",
                    "expected high | low");
  CHECK_BOARD_ERROR(kWithDevices + "pins:\n  LED: 3\n", "11:8", "pin 'LED' must be a map, got a scalar");
}

TEST_CASE("partitions") {
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0, size: 32KiB}\n"
                            "  - {name: b, memory: flash, offset: 32KiB, size: 64KiB}\n",
                    "9:51", "partition 'b' at offset 0x00008000 size 0x00010000 (ends at 0x00018000) lies "
                            "outside flash region 'flash' (size 0x00010000)");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0x20000, size: 4KiB}\n", "8:38",
                    "lies outside flash region 'flash'");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0, size: 32KiB}\n"
                            "  - {name: b, memory: flash, offset: 16KiB, size: 4KiB}\n",
                    "9:38", "partition 'b' [0x00004000, 0x00005000) overlaps partition 'a' "
                            "[0x00000000, 0x00008000) of 'flash' declared at b.yaml:8:5");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: ram, offset: 0, size: 4KiB}\n", "8:23",
                    "memory of partition 'a': 'ram' is a ram region; expected a flash region (this board has: flash)");
  CHECK_BOARD_ERROR(kHead + "partitions:\n  - {name: a, memory: nvm, offset: 0, size: 4KiB}\n", "8:23",
                    "there is no memory region 'nvm'");
  auto ok = load_board_from_string(kHead + "partitions:\n  - {name: a, memory: flash, offset: 0, size: 32KiB}\n"
                                           "  - {name: b, memory: flash, offset: 32KiB, size: 32KiB}\n",
                                   "b.yaml");
  INFO(ok.error());
  REQUIRE(ok.ok());
  CHECK(ok->find_partition("b")->offset == 0x8000);
}

TEST_CASE("every prefix of the demo board loads or fails with file:line:column, never throws") {
  auto whole = load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml");
  REQUIRE(whole.ok());
  std::string text;
  {
    FILE* f = std::fopen((std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml").c_str(), "rb");
    REQUIRE(f);
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
  }
  int failures = 0;
  for (std::size_t length = 0; length < text.size(); ++length) {
    std::string prefix = text.substr(0, length);
    Loaded<BoardConfig> result = BoardConfig{};
    CHECK_NOTHROW(result = load_board_from_string(prefix, "b.yaml"));
    if (!result.ok()) {
      ++failures;
      if (!has_position(result.error())) FAIL_CHECK(result.error());
    }
  }
  CHECK(failures > 0);
}
