// Virtual time and the one event queue of the machine.
//
// Time is the CPU's retired-instruction count (one instruction = one cycle at the board
// clock), so it never depends on the host. Everything that happens later is a named event
// owned by a device ("uart0.tx_done"); the CPU runs until the earliest due event. Events are
// registered once (stable ids, in registration order) and saved in snapshots as
// (name, ticks until due), like mGBA's timing.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "peripherals/device.h"

namespace hilsim::emu {

using periph::EventId;
using periph::Ticks;
inline constexpr Ticks kNever = std::numeric_limits<Ticks>::max();

class EventQueue {
 public:
  EventId add(std::string name, std::function<void()> fire);
  void schedule_at(EventId id, Ticks due);
  void cancel(EventId id);
  bool is_scheduled(EventId id) const { return events_[id].scheduled; }
  Ticks due_at(EventId id) const { return events_[id].due; }
  const std::string& name(EventId id) const { return events_[id].name; }
  std::optional<EventId> find(const std::string& name) const {  // snapshots match events by name
    for (EventId id = 0; id < events_.size(); ++id)
      if (events_[id].name == name) return id;
    return std::nullopt;
  }
  std::size_t size() const { return events_.size(); }

  // Earliest due time of any scheduled event, or kNever. Cached; O(1).
  Ticks next_due() const { return next_due_; }
  // Fires, in (due, id) order, every event due at or before `now`. An event may
  // re-schedule itself or others; newly due ones fire in the same call.
  void fire_due(Ticks now);
  void cancel_all();

 private:
  struct Event {
    std::string name;
    std::function<void()> fire;
    Ticks due = kNever;
    bool scheduled = false;
  };
  void recompute_next_due();

  std::vector<Event> events_;
  Ticks next_due_ = kNever;
};

}  // namespace hilsim::emu
