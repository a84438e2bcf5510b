// What script runs, and the trial that decides whether an update stays: boot-time slot
// selection, hot-applying a committed update with exec(), the trial period, confirm, and
// rollback (on an exception, a failed selftest(), or a watchdog reset during the trial).
// All decisions are journaled before they take effect (update/journal.h). The state it
// publishes on the status port is the documented channel scenarios read.
#pragma once
#include <cstdint>

#include "ota/journal.h"

namespace runner {

constexpr uint32_t kTickPeriodMs = 10;     // the script's tick(now_ms) cadence
constexpr uint32_t kTrialMs = 5000;        // a new script must run this long without error
constexpr uint16_t kMaxTrialBoots = 3;     // power cuts tolerated during one trial
constexpr uint32_t kMaxWatchdogResets = 3; // consecutive watchdog resets of a confirmed script

// Picks the slot (journal + validity), handles an interrupted trial, starts the script.
void boot(uint32_t reset_cause);
// Called after the agent journaled `slot` as the new active script in trial.
void apply_update(journal::SlotId slot);
// Calls the script's tick(now_ms) every kTickPeriodMs. Safe from the drivers' idle hook: it
// only runs the script and records a failure.
void tick(uint32_t now_ms);
// Main loop only: confirms a trial that lasted kTrialMs, rolls back one that failed.
void supervise(uint32_t now_ms);
// True while a new script is on trial (the agent does not look for updates then).
bool in_trial();
uint32_t running_version();
journal::SlotId running_slot();
void print_status();

}  // namespace runner
