// Machine snapshots: one blob with a magic, a version and named sections, each written by
// the same StateVisitor walk that every device declares (peripherals/state_io.h). A failed
// restore rolls back to a backup, so the machine is never left half-restored.
// Every section is named fields (registers included, never Unicorn's opaque context), so a
// snapshot file loads in any process and any build that has the same board; docs/snapshot-format.md.
#include <unicorn/unicorn.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "emulator/machine.h"
#include "peripherals/state_io.h"

namespace hilsim::emu {

namespace {
constexpr std::uint32_t kMagic = 0x504E5348;  // "HSNP"
constexpr std::uint32_t kVersion = 2;  // 2: CPU registers by name (1 was a Unicorn context)
}  // namespace

void Machine::describe_machine(periph::StateVisitor& v) {
  Ticks icount = cpu_.icount();
  v.field("icount", icount);
  cpu_.set_icount(icount);
  v.field("idle_cycles", idle_cycles_);
  v.field("pc", pc_);
  v.field("powered", powered_);
  v.field("sleeping", sleeping_);
  v.field("event_register", event_register_);
  v.field("svc_pending", svc_pending_);
  v.field("sleep_on_exit", sleep_on_exit_);
  v.field("trace_hash", trace_.raw_value());
  v.field("trace_events", trace_.raw_events());
  v.field("exceptions_taken", exceptions_taken_);
  v.field("sleeps", sleeps_);
  bool has_reset = pending_reset_.has_value();
  std::uint32_t reset_reason = has_reset ? static_cast<std::uint32_t>(*pending_reset_) : 0;
  v.field("pending_reset", has_reset);
  v.field("pending_reset_reason", reset_reason);
  pending_reset_.reset();
  if (has_reset) pending_reset_ = static_cast<periph::ResetReason>(reset_reason);
}

std::vector<std::uint8_t> Machine::save_snapshot() {
  std::vector<std::uint8_t> out;
  periph::StateWriter w(out);
  std::uint32_t magic = kMagic, version = kVersion;
  w.field("magic", magic);
  w.field("version", version);
  std::string board = board_.name;
  w.field("board", board);
  describe_machine(w);
  CpuRegisters cpu = cpu_.save_context();
  cpu.describe(w);
  for (MappedMemory& r : bus_.regions()) w.field(r.name.c_str(), r.bytes);
  nvic_.describe(w);
  systick_->describe(w);
  fp_->pull();  // FPCCR.LSPACT lives in Unicorn while the CPU runs
  scs_->describe(w);
  for (auto& d : devices_) {
    std::vector<std::uint8_t> state = periph::save_state(*d);
    w.field(d->name().c_str(), state);
  }
  // Events by name: (scheduled, ticks until due).
  std::uint32_t n = static_cast<std::uint32_t>(events_.size());
  w.field("events", n);
  for (EventId id = 0; id < n; ++id) {
    std::string name = events_.name(id);
    bool scheduled = events_.is_scheduled(id);
    std::uint64_t in = scheduled ? events_.due_at(id) - std::min(events_.due_at(id), cpu_.icount()) : 0;
    w.field("event", name);
    w.field("scheduled", scheduled);
    w.field("due_in", in);
  }
  return out;
}

std::string Machine::restore_snapshot(std::span<const std::uint8_t> snapshot) {
  // Apply section by section; if any section is foreign or corrupted, put the machine back
  // as it was from a backup taken first, so a failed restore never leaves a half state.
  std::vector<std::uint8_t> backup = save_snapshot();
  std::string err = apply_snapshot(snapshot);
  if (!err.empty()) apply_snapshot(backup);
  return err;
}

std::string Machine::apply_snapshot(std::span<const std::uint8_t> snapshot) {
  periph::StateReader r(snapshot);
  std::uint32_t magic = 0, version = 0;
  r.field("magic", magic);
  if (!r.ok() || magic != kMagic) return "not a hilsim snapshot";
  r.field("version", version);
  if (version != kVersion)
    return "snapshot version " + std::to_string(version) + " (this build reads version " +
           std::to_string(kVersion) + ")";
  std::string board;
  r.field("board", board);
  if (!r.ok()) return "snapshot: " + r.error();
  if (board != board_.name) return "snapshot of board '" + board + "', this machine is '" + board_.name + "'";
  describe_machine(r);
  CpuRegisters cpu;
  cpu.describe(r);
  if (!r.ok()) return "snapshot: " + r.error();
  cpu_.restore_context(cpu);
  // Translated code is dropped only where the bytes change: flushing unchanged code would make
  // the replay retranslate blocks the original run had translated earlier, and it measured
  // one tick of difference in a replayed UART line (tests/scenarios/steps_test.cpp).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changed;  // [begin, end) bus addresses
  for (MappedMemory& m : bus_.regions()) {
    std::vector<std::uint8_t> bytes;
    r.field(m.name.c_str(), bytes);
    if (!r.ok() || bytes.size() != m.bytes.size()) return "snapshot: memory region '" + m.name + "' does not match";
    constexpr std::uint32_t kPage = 1024;
    for (std::uint32_t at = 0; at < m.size; at += kPage) {
      std::uint32_t n = std::min(kPage, m.size - at);
      if (std::memcmp(m.bytes.data() + at, bytes.data() + at, n) == 0) continue;
      if (!changed.empty() && changed.back().second == m.base + at) changed.back().second += n;
      else changed.push_back({m.base + at, m.base + at + n});
    }
    // Unicorn maps this very buffer: copy into it, never replace it.
    std::memcpy(m.bytes.data(), bytes.data(), bytes.size());
  }
  nvic_.describe(r);
  systick_->describe(r);
  scs_->describe(r);
  if (!r.ok()) return "snapshot: " + r.error();
  fp_->push();
  for (auto& d : devices_) {
    std::vector<std::uint8_t> state;
    r.field(d->name().c_str(), state);
    std::string why;
    if (!r.ok()) return "snapshot: " + r.error();
    if (!periph::load_state(*d, state, &why)) return "snapshot: device '" + d->name() + "': " + why;
  }
  // Events are matched by name. The scenario engine's own events ("scenario.*") exist only where
  // a scenario drives the machine: a snapshot loaded without one (hilsim boot --snapshot) drops
  // them, and a machine that has them keeps them unscheduled. Any other difference is an error.
  std::uint32_t n = 0;
  r.field("events", n);
  if (!r.ok()) return "snapshot: " + r.error();
  auto host_side = [](const std::string& name) { return name.rfind("scenario.", 0) == 0; };
  events_.cancel_all();
  std::vector<bool> seen(events_.size(), false);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string name;
    bool scheduled = false;
    std::uint64_t in = 0;
    r.field("event", name);
    r.field("scheduled", scheduled);
    r.field("due_in", in);
    if (!r.ok()) return "snapshot: " + r.error();
    std::optional<EventId> id = events_.find(name);
    if (!id) {
      if (host_side(name)) continue;
      return "snapshot: event '" + name + "' does not exist on this machine";
    }
    seen[*id] = true;
    if (scheduled) events_.schedule_at(*id, cpu_.icount() + in);
  }
  for (EventId id = 0; id < seen.size(); ++id)
    if (!seen[id] && !host_side(events_.name(id)))
      return "snapshot: the snapshot has no state for event '" + events_.name(id) + "'";
  if (!r.ok()) return "snapshot: " + r.error();
  if (!r.at_end()) return "snapshot: unexpected data after the last section";
  for (auto [begin, end] : changed) cpu_.flush_code(begin, end);
  stop_.reset();
  return {};
}

}  // namespace hilsim::emu
