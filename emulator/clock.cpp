// Event queue: a handful of named events per machine, so a linear scan with a cached
// minimum is both the simplest and the fastest structure (no allocation while running).
#include "emulator/clock.h"

namespace hilsim::emu {

EventId EventQueue::add(std::string name, std::function<void()> fire) {
  events_.push_back(Event{std::move(name), std::move(fire)});
  return static_cast<EventId>(events_.size() - 1);
}

void EventQueue::schedule_at(EventId id, Ticks due) {
  Event& e = events_[id];
  e.due = due;
  e.scheduled = true;
  if (due < next_due_) next_due_ = due;
  else recompute_next_due();
}

void EventQueue::cancel(EventId id) {
  Event& e = events_[id];
  if (!e.scheduled) return;
  e.scheduled = false;
  e.due = kNever;
  recompute_next_due();
}

void EventQueue::cancel_all() {
  for (Event& e : events_) {
    e.scheduled = false;
    e.due = kNever;
  }
  next_due_ = kNever;
}

void EventQueue::recompute_next_due() {
  Ticks best = kNever;
  for (const Event& e : events_)
    if (e.scheduled && e.due < best) best = e.due;
  next_due_ = best;
}

void EventQueue::fire_due(Ticks now) {
  while (next_due_ <= now) {
    // Earliest due first; ties broken by registration order (the id) for determinism.
    EventId pick = 0;
    Ticks best = kNever;
    for (EventId i = 0; i < events_.size(); ++i) {
      const Event& e = events_[i];
      if (e.scheduled && e.due < best) {
        best = e.due;
        pick = i;
      }
    }
    Event& e = events_[pick];
    e.scheduled = false;
    e.due = kNever;
    recompute_next_due();
    e.fire();
  }
}

}  // namespace hilsim::emu
