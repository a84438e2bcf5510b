// registry: the catalogue of types, their options, creation and option parsing.
#include "peripherals/registry.h"

#include <doctest/doctest.h>

#include <stdexcept>

#include "peripherals/fake_host.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

TEST_CASE("registry: lists every type in a stable order and creates each") {
  std::vector<std::string> names;
  for (const DeviceType& t : device_types()) names.push_back(t.name);
  // The first types keep their order; later ones are appended (board files name types, so
  // order is only for listings, but it must be stable).
  REQUIRE(names.size() >= 6);
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 6) ==
        std::vector<std::string>{"uart", "gpio", "watchdog", "reset-controller", "rng", "flash-controller"});
  FakeHost host;
  for (const DeviceType& t : device_types()) {
    auto dev = t.create(make_config(t.name + "0", t.name), host);
    REQUIRE(dev);
    CHECK(dev->type() == t.name);
    CHECK(dev->name() == t.name + "0");
    CHECK(dev->window_size() == 0x1000);
  }
  CHECK(find_device_type("nope") == nullptr);
  const DeviceType* gpio = find_device_type("gpio");
  REQUIRE(gpio);
  REQUIRE(gpio->options.size() == 1);
  CHECK(gpio->options[0].min == 1);
  CHECK(gpio->options[0].max == 32);
  CHECK(find_device_type("uart")->options[0].min == 300);
  CHECK(find_device_type("watchdog")->options[0].default_value == "32768");
}

TEST_CASE("registry: option parsing") {
  DeviceConfig c = make_config("g", "gpio", -1, {{"pins", "0x10"}});
  CHECK(option_int(c, "pins") == 16);
  c.options["pins"] = "33";
  CHECK_THROWS_AS(option_int(c, "pins"), std::invalid_argument);
  c.options["pins"] = "8x";
  CHECK_THROWS_AS(option_int(c, "pins"), std::invalid_argument);
  c.options.erase("pins");
  CHECK(option_int(c, "pins") == 32);  // falls back to the spec default
  CHECK_THROWS_AS(option_int(c, "missing"), std::invalid_argument);
  c.options["flag"] = "true";
  CHECK(option_bool(c, "flag"));
  c.options["flag"] = "false";
  CHECK_FALSE(option_bool(c, "flag"));
  c.options["flag"] = "maybe";
  CHECK_THROWS_AS(option_bool(c, "flag"), std::invalid_argument);
  c.options["neg"] = "-5";
  CHECK(option_int(c, "neg") == -5);
}
