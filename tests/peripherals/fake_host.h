// A DeviceHost for peripheral tests: a real little event queue in virtual time, IRQ line levels
// (with a change log), reset requests and guest errors recorded for assertions. Device tests
// drive models through MMIO and step(), like QEMU's qtest.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "peripherals/device.h"
#include "peripherals/registry.h"

namespace hilsim::periph::test {

struct GuestError {
  std::string device;
  std::uint32_t offset;
  std::string what;
};

class FakeHost final : public DeviceHost {
 public:
  explicit FakeHost(std::uint64_t clock = 64'000'000) : clock_(clock) {}

  Ticks now() const override { return now_; }
  std::uint64_t clock_hz() const override { return clock_; }

  EventId add_event(std::string name, std::function<void()> fire) override {
    events_.push_back({std::move(name), std::move(fire), false, 0, 0});
    return static_cast<EventId>(events_.size() - 1);
  }
  void schedule(EventId id, Ticks delay) override {
    Event& e = events_.at(id);
    e.scheduled = true;
    e.due = now_ + delay;
    e.seq = next_seq_++;
  }
  void cancel(EventId id) override { events_.at(id).scheduled = false; }
  bool is_scheduled(EventId id) const override { return events_.at(id).scheduled; }
  Ticks due_at(EventId id) const override { return events_.at(id).due; }

  void set_irq(int line, bool level) override {
    bool& cur = irq_[line];
    if (cur != level) irq_log_.push_back({now_, line, level});
    cur = level;
  }
  void request_reset(ResetReason reason) override { resets.push_back({now_, reason}); }
  void guest_error(std::string_view device, std::uint32_t offset, std::string_view what) override {
    errors.push_back({std::string(device), offset, std::string(what)});
  }
  // One memory region, "flash": 64 KiB at 0x08000000, erased, for memory-owning models.
  MemoryView memory(const std::string& region) override {
    if (region != "flash") return {};
    return {kFlashBase, flash.data(), static_cast<std::uint32_t>(flash.size())};
  }
  void memory_changed(std::uint32_t address, std::uint32_t size) override { changed.push_back({address, size}); }
  static constexpr std::uint32_t kFlashBase = 0x08000000;
  std::vector<std::uint8_t> flash = std::vector<std::uint8_t>(64 * 1024, 0xFF);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changed;

  // Advances virtual time by `ticks`, firing every event due up to and including the new time,
  // in (due, scheduling order).
  void step(Ticks ticks) {
    Ticks target = now_ + ticks;
    for (;;) {
      Event* next = nullptr;
      for (Event& e : events_)
        if (e.scheduled && e.due <= target && (!next || e.due < next->due || (e.due == next->due && e.seq < next->seq)))
          next = &e;
      if (!next) break;
      now_ = next->due;
      next->scheduled = false;
      next->fire();
    }
    now_ = target;
  }
  // Steps to the absolute time `t` (>= now).
  void step_to(Ticks t) { step(t - now_); }

  bool irq(int line) const {
    auto it = irq_.find(line);
    return it != irq_.end() && it->second;
  }
  // Finds an event by name (kNoEvent if none).
  EventId event(const std::string& name) const {
    for (std::size_t i = 0; i < events_.size(); ++i)
      if (events_[i].name == name) return static_cast<EventId>(i);
    return kNoEvent;
  }

  struct IrqChange {
    Ticks when;
    int line;
    bool level;
  };
  struct ResetRequest {
    Ticks when;
    ResetReason reason;
  };
  std::vector<ResetRequest> resets;
  std::vector<GuestError> errors;
  const std::vector<IrqChange>& irq_log() const { return irq_log_; }

 private:
  struct Event {
    std::string name;
    std::function<void()> fire;
    bool scheduled;
    Ticks due;
    std::uint64_t seq;
  };
  std::uint64_t clock_;
  Ticks now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::vector<Event> events_;
  std::map<int, bool> irq_;
  std::vector<IrqChange> irq_log_;
};

// Builds a config for `type` with the spec's defaults plus `overrides`.
inline DeviceConfig make_config(const std::string& name, const std::string& type, int irq = -1,
                                OptionValues overrides = {}, std::uint64_t seed = 0) {
  DeviceConfig c;
  c.name = name;
  c.type = type;
  c.irq = irq;
  c.seed = seed;
  if (const DeviceType* t = find_device_type(type))
    for (const OptionSpec& o : t->options) c.options[o.name] = o.default_value;
  for (auto& [k, v] : overrides) c.options[k] = v;
  return c;
}

}  // namespace hilsim::periph::test
