// Test helper for the reference hot-update firmware (docs/update-firmware.md): a demo-m4
// machine running the real firmware, with the in-process update server attached to net0, a
// Publisher to release signed bundles of the example scripts, and readers for the status port.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <functional>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "network/update_server.h"
#include "peripherals/flash_controller.h"
#include "peripherals/net_link.h"
#include "peripherals/status_port.h"
#include "release/release.h"
#include "tests/emulator/machine_fixture.h"

namespace hilsim::test {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "cannot read " << path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::string script_path(const std::string& name) {
  return std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/scripts/" + name;
}

inline release::Key32 key(const std::string& name) {
  std::string error;
  auto k = release::read_secret_key(std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/keys/" + name + ".key", error);
  REQUIRE_MESSAGE(k.has_value(), error);
  return *k;
}

// A signed bundle of one of boards/demo-m4/scripts/.
inline std::vector<std::uint8_t> bundle(const std::string& script, const std::string& version,
                                        const std::string& key_name = "dev") {
  const std::string src = read_text(script_path(script));
  auto v = release::parse_version(version);
  REQUIRE(v.has_value());
  return release::pack({reinterpret_cast<const std::uint8_t*>(src.data()), src.size()}, *v, 0, key(key_name));
}

struct OtaFixture : MachineFixture {
  std::shared_ptr<network::UpdateServer> server = std::make_shared<network::UpdateServer>();
  release::Publisher publisher{*server};

  explicit OtaFixture(emu::MachineOptions options = {}) : MachineFixture(ota_firmware(), options) {
    net().set_backend(server);
    flash().add_op_sink([this](const periph::FlashOp& op) {
      if (cut_pick && op.end == 0 && cut_pick(op)) {
        cut_hit = op;
        cut_pick = nullptr;
        m().request_halt();
        m().cpu().stop_at_next_block();
      }
    });
  }
  std::function<bool(const periph::FlashOp&)> cut_pick;  // power_cut_at()'s trigger
  periph::FlashOp cut_hit;
  static std::string ota_firmware() {
    const char* env = std::getenv("HILSIM_OTA_FIRMWARE");  // developer override: another build
    return env != nullptr ? env : "demo-m4";
  }

  periph::NetLink& net() { return *dynamic_cast<periph::NetLink*>(m().device("net0")); }
  periph::StatusPort& status() { return *dynamic_cast<periph::StatusPort*>(m().device("status")); }
  periph::FlashController& flash() { return *dynamic_cast<periph::FlashController*>(m().device("flashctl")); }

  void publish(const std::string& script, const std::string& version, const std::string& key_name = "dev") {
    const std::string err = publisher.publish("app-" + version + ".bundle", bundle(script, version, key_name));
    REQUIRE_MESSAGE(err.empty(), err);
  }
  void run_ms(double v) { m().run_for(ms(v)); }
  // Output before the mark is ignored by printed_since_mark() and run_until_printed().
  void mark() { mark_ = lines.size(); }
  bool printed_since_mark(const std::string& needle) const {
    for (std::size_t i = mark_; i < lines.size(); ++i)
      if (lines[i].text.find(needle) != std::string::npos) return true;
    return false;
  }
  // Runs until `needle` is printed (after the mark) or `limit_ms` passes; returns whether it was.
  bool run_until_printed(const std::string& needle, double limit_ms, double step_ms = 50) {
    for (double t = 0; t < limit_ms; t += step_ms) {
      if (printed_since_mark(needle)) return true;
      m().run_for(ms(step_ms));
    }
    return printed_since_mark(needle);
  }
  std::size_t mark_ = 0;
  // Runs until a flash operation matching `pick` starts, cuts the power while it is in flight
  // (resolved by `policy`), waits `off_ms` and powers on again. Returns the operation, or an
  // op with seq 0 if none matched within limit_ms.
  periph::FlashOp power_cut_at(std::function<bool(const periph::FlashOp&)> pick, periph::PowerLossPolicy policy,
                               double limit_ms, double off_ms = 100) {
    cut_pick = std::move(pick);
    cut_hit = {};
    flash().set_power_loss_policy(policy);
    emu::RunResult r = m().run_for(ms(limit_ms));
    cut_pick = nullptr;
    if (r.reason != emu::StopReason::Halted) return {};
    m().power_off();
    m().advance_unpowered(ms(off_ms));
    mark();
    m().power_on();
    return cut_hit;
  }
  static bool in_range(const periph::FlashOp& op, std::uint32_t base, std::uint32_t size) {
    return op.address >= base && op.address < base + size;
  }
  // Brings a fresh device to a confirmed v1 in slot-a.
  void install_v1() {
    m().power_on();
    publish("app_v1.py", "1.0.0");
    REQUIRE_MESSAGE(run_until_printed("update: 1.0.0 confirmed", 20000), transcript());
  }
  std::size_t count(const std::string& needle) const {
    std::size_t n = 0;
    for (const UartLine& l : lines) n += l.text.find(needle) != std::string::npos;
    return n;
  }
  std::string version() const { return const_cast<OtaFixture*>(this)->status().version_text(); }
  std::string slot() const {
    return periph::StatusPort::to_string(const_cast<OtaFixture*>(this)->status().slot());
  }
  std::string state() const {
    return periph::StatusPort::to_string(const_cast<OtaFixture*>(this)->status().state());
  }
};

}  // namespace hilsim::test
