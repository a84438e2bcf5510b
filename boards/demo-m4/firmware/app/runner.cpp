// Script lifecycle (see runner.h and docs/update-firmware.md "Boot, trial and rollback").
//
// Invariant: the journal's state record names the script that should run; this module changes
// what runs only after the journal says so (rollback and fallback write first, then switch).
// tick() may run from the drivers' idle hook, so it only calls the script and raises flags;
// decisions that write flash happen in supervise(), from the main loop.
#include "app/runner.h"

#include "app/app.h"
#include "app/script_host.h"
#include "drivers/sysctl.h"
#include "drivers/systick.h"
#include "hw/demo_m4.h"
#include "ota/slots.h"

namespace runner {
namespace {

using journal::Phase;
using journal::SlotId;

SlotId g_slot = SlotId::Factory;
uint32_t g_version;
bool g_script_ok;        // the running script may be ticked
bool g_switching;        // a script change is in progress: no ticks
bool g_started;          // a script has been started since boot (until then: "booting")
bool g_trial;
uint32_t g_trial_start;
const char* g_trial_failure;  // set by tick() or apply_update(), handled by supervise()
uint32_t g_last_tick;
uint32_t g_updates, g_rollbacks;

void publish() {
  demo_m4::StatusPort& s = demo_m4::status();
  s.VERSION = g_version;
  s.SLOT = slots::status_code(g_slot);
  uint32_t state = demo_m4::STATUS_STATE_RUNNING;
  if (g_switching || !g_started) state = demo_m4::STATUS_STATE_BOOTING;
  else if (!g_script_ok) state = demo_m4::STATUS_STATE_FAILED;
  else if (g_trial) state = demo_m4::STATUS_STATE_TRIAL;
  else if (g_slot == SlotId::Factory) state = demo_m4::STATUS_STATE_FACTORY;
  s.STATE = state;
  s.UPDATES = g_updates;
  s.ROLLBACKS = g_rollbacks;
}

void out_version(uint32_t v) {
  if (v == 0) {
    app::out_str("factory");
    return;
  }
  app::out_dec(v >> 16);
  app::out('.');
  app::out_dec((v >> 8) & 0xFF);
  app::out('.');
  app::out_dec(v & 0xFF);
}

// Runs setup() and, when asked, selftest(); sets g_trial_failure on a failure.
bool setup_and_check(bool selftest) {
  if (!script::call("setup", nullptr, 0)) {
    g_trial_failure = "exception in setup()";
    return false;
  }
  if (selftest && script::has("selftest")) {
    bool passed = false;
    if (!script::call("selftest", nullptr, 0, &passed)) {
      g_trial_failure = "exception in selftest()";
      return false;
    }
    if (!passed) {
      g_trial_failure = "selftest() returned False";
      return false;
    }
  }
  return true;
}

// Starts `id` in a fresh VM. Returns false if it did not start.
bool start(SlotId id, bool selftest) {
  g_switching = true;
  const slots::Info info = slots::inspect(id);
  g_slot = id;
  g_version = info.version;
  g_script_ok = false;
  if (!info.valid) {
    app::out_str("boot: ");
    app::out_str(slots::name(id));
    app::out_str(" cannot run: ");
    app::out_line(info.why);
    g_switching = false;
    g_started = true;
    publish();
    return false;
  }
  app::out_str("app: starting ");
  out_version(info.version);
  app::out_str(" from ");
  app::out_line(slots::name(id));
  script::reset(info.version, slots::name(id));
  g_trial_failure = nullptr;
  bool ok = script::exec(info.payload, info.size, info.kind, slots::name(id));
  if (!ok) g_trial_failure = "exception while loading the script";
  ok = ok && setup_and_check(selftest);
  g_script_ok = ok;
  g_last_tick = systick::ticks();
  g_switching = false;
  g_started = true;
  publish();
  return ok;
}

void start_factory() {
  if (!start(SlotId::Factory, false)) app::out_line("boot: no script can run; waiting for an update");
}

// Journals the rollback of the script on trial, then runs the previous one.
void rollback(const char* why) {
  g_switching = true;
  const journal::State bad = journal::state();
  app::out_str("update: rolling back ");
  out_version(bad.version);
  app::out_str(" (");
  app::out_str(why);
  app::out_line(")");
  SlotId prev = bad.previous;
  slots::Info info = slots::inspect(prev);
  if (!info.valid) prev = SlotId::Factory, info = slots::inspect(prev);
  journal::State s;
  s.active = prev;
  s.phase = Phase::Confirmed;
  s.previous = prev;
  s.version = info.version;
  s.rejected = bad.version > bad.rejected ? bad.version : bad.rejected;
  if (!journal::write_state(s)) app::out_line("update: journal write failed");
  g_trial = false;
  ++g_rollbacks;
  if (!start(prev, false) && prev != SlotId::Factory) start_factory();
  app::out_str("update: rolled back to ");
  out_version(g_version);
  app::out_str(" (");
  app::out_str(slots::name(g_slot));
  app::out_line(")");
}

void confirm() {
  g_switching = true;
  g_trial = false;
  journal::State s = journal::state();
  s.phase = Phase::Confirmed;
  s.trial_boots = 0;
  const bool ok = journal::write_state(s);
  g_switching = false;
  app::out_str("update: ");
  out_version(g_version);
  app::out_line(ok ? " confirmed" : " could not be confirmed (journal write failed)");
  publish();
}

// The slot to run when the journal has nothing (fresh device): the newest valid one.
SlotId newest_valid() {
  const slots::Info a = slots::inspect(SlotId::A), b = slots::inspect(SlotId::B);
  if (a.valid && (!b.valid || a.version >= b.version)) return SlotId::A;
  if (b.valid) return SlotId::B;
  return SlotId::Factory;
}

}  // namespace

void boot(uint32_t reset_cause) {
  publish();
  const bool have_state = journal::mount();
  journal::State st = journal::state();
  const bool watchdog = (reset_cause & demo_m4::RSTCAUSE_WATCHDOG) != 0;

  if (have_state && st.phase == Phase::Trial) {
    if (watchdog) {
      rollback("the watchdog reset the device during the trial: the script hung");
      return;
    }
    if (st.trial_boots + 1 >= kMaxTrialBoots) {
      rollback("the trial was interrupted too many times");
      return;
    }
    ++st.trial_boots;
    journal::write_state(st);
    app::out_str("boot: resuming the trial of ");
    out_version(st.version);
    app::out_line("");
    g_trial = true;
    g_trial_start = systick::ticks();
    if (!start(st.active, true)) rollback(g_trial_failure != nullptr ? g_trial_failure : "the slot is not valid");
    return;
  }

  // A confirmed script that keeps hanging: after kMaxWatchdogResets watchdog resets in a row
  // (counted in SCRATCH, which survives resets but not power loss), stop running it.
  demo_m4::Sysctl& sc = demo_m4::sysctl();
  sc.SCRATCH = watchdog ? sc.SCRATCH + 1 : 0;
  SlotId id = have_state ? st.active : newest_valid();
  if (sc.SCRATCH >= kMaxWatchdogResets && id != SlotId::Factory) {
    app::out_str("boot: ");
    app::out_str(slots::name(id));
    app::out_line(" hung repeatedly; falling back");
    st.rejected = st.version > st.rejected ? st.version : st.rejected;
    id = slots::other(id);
    sc.SCRATCH = 0;
  }
  slots::Info info = slots::inspect(id);
  if (!info.valid && id != SlotId::Factory) {
    app::out_str("boot: ");
    app::out_str(slots::name(id));
    app::out_str(" is not valid (");
    app::out_str(info.why);
    app::out_line(")");
    const SlotId alt = slots::other(id);
    id = slots::inspect(alt).valid ? alt : SlotId::Factory;
    info = slots::inspect(id);
  }
  if (!have_state || id != st.active) {  // record what actually runs
    journal::State s;
    s.active = s.previous = id;
    s.version = info.version;
    s.rejected = st.rejected;
    if (have_state || id != SlotId::Factory) journal::write_state(s);
  }
  if (id == SlotId::Factory) start_factory();
  else if (!start(id, false)) app::out_line("app: the script failed; waiting for an update");
}

void apply_update(SlotId slot) {
  g_switching = true;
  const slots::Info info = slots::inspect(slot);
  app::out_str("update: applying ");
  out_version(info.version);
  app::out_line(" with exec(), no reboot");
  script::set_identity(info.version, slots::name(slot));
  g_slot = slot;
  g_version = info.version;
  g_trial = true;
  g_trial_start = systick::ticks();
  g_trial_failure = nullptr;
  ++g_updates;
  bool ok = info.valid && script::exec(info.payload, info.size, info.kind, slots::name(slot));
  if (!ok) g_trial_failure = info.valid ? "exception while loading the script" : info.why;
  ok = ok && setup_and_check(true);
  g_script_ok = ok;
  g_last_tick = systick::ticks();
  g_switching = false;
  publish();
  if (ok) {
    app::out_str("update: ");
    out_version(g_version);
    app::out_str(" on trial for ");
    app::out_dec(kTrialMs / 1000);
    app::out_line(" s");
  }
}

void tick(uint32_t now_ms) {
  if (g_switching || !g_script_ok || now_ms - g_last_tick < kTickPeriodMs) return;
  g_last_tick += kTickPeriodMs * ((now_ms - g_last_tick) / kTickPeriodMs);
  const int64_t arg = now_ms;
  demo_m4::status().HEARTBEAT = demo_m4::status().HEARTBEAT + 1;
  if (script::call("tick", &arg, 1)) return;
  g_script_ok = false;
  if (g_trial) {
    g_trial_failure = "exception in tick()";
  } else {
    app::out_line("app: the script stopped after an error; waiting for an update");
    publish();
  }
}

void supervise(uint32_t now_ms) {
  if (g_switching) return;
  if (g_trial && g_trial_failure != nullptr) {
    rollback(g_trial_failure);
  } else if (g_trial && now_ms - g_trial_start >= kTrialMs) {
    confirm();
  }
}

bool in_trial() { return g_trial; }
uint32_t running_version() { return g_version; }
SlotId running_slot() { return g_slot; }

void print_status() {
  app::out_str("script: version=");
  out_version(g_version);
  app::out_str(" slot=");
  app::out_str(slots::name(g_slot));
  app::out_str(g_trial ? " state=trial" : g_script_ok ? " state=running" : " state=failed");
  app::out_str(" heap=");
  app::out_dec(script::heap_used());
  app::out_str(" updates=");
  app::out_dec(g_updates);
  app::out_str(" rollbacks=");
  app::out_dec(g_rollbacks);
  app::out_str(" journal_seq=");
  app::out_dec(journal::sequence());
  app::out_line("");
}

}  // namespace runner
