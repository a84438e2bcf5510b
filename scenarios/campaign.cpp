// Power-loss campaigns (campaign.h).
// Index: [triggers] where a run stops for points · [judge] one point: cut, power on, after
// steps · [workers] fork()ed children and their results · [run] discovery, then the sweep.
#include "scenarios/campaign.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "scenarios/campaign_report.h"
#include "scenarios/network.h"
#include "scenarios/runner.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {
namespace {

using json = nlohmann::json;

// ===== [triggers] ======================================================================

// One moment a run stops at: a flash operation starting inside the window, or a chosen time.
struct Trigger {
  emu::Ticks at = 0;
  double seconds = 0;
  std::uint64_t op_seq = 0;  // 0: no operation in flight at `at`
  std::string op, partition, phase;
  int step = 0;
};

std::string partition_of(const emu::BoardConfig& board, std::uint32_t address) {
  for (const emu::Partition& p : board.partitions) {
    std::uint32_t base = board.partition_base(p);
    if (address >= base && address - base < p.size) return p.name;
  }
  return {};
}

std::string op_text(const periph::FlashOp& op) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s #%llu at 0x%08x (%u bytes)", periph::to_string(op.kind),
                static_cast<unsigned long long>(op.seq), op.address, op.size);
  return buf;
}

// Watches one run of the scenario and calls `fire` at every trigger inside the campaign's
// window, with the machine stopped right there (the flash operation in flight).
class TriggerWatch final : public RunObserver {
 public:
  using Fire = std::function<void(RunContext&, const Trigger&)>;
  TriggerWatch(const Scenario& sc, std::vector<emu::Ticks> times, Fire fire)
      : sc_(sc), spec_(sc.campaign), times_(std::move(times)), fire_(std::move(fire)) {}

  void attached(RunContext& ctx) override {
    ctx_ = &ctx;
    if (spec_.at == "flash-ops") {
      ctx.set_interrupt([this] { return ctx_->flash_ops().size() > seen_; }, [this] { on_ops(); });
    } else {
      for (emu::Ticks t : times_) ctx.schedule(t, "campaign point", [this] { on_time(); });
    }
  }
  void step_started(RunContext& ctx, const StepInstance& step, const std::string&) override {
    if (step.index == spec_.from) window_start = ctx.now();
  }
  void step_finished(RunContext& ctx, std::size_t i, const StepRecord&) override {
    if (static_cast<int>(i) + 1 == spec_.to) window_end = ctx.now();
  }
  void stop() { stopped_ = true; }  // a forked child: this copy of the run fires no more

  emu::Ticks window_start = 0, window_end = 0;
  std::size_t missed = 0;  // operations that ended before the run could stop (none expected)

 private:
  bool in_window() const {
    const StepInstance* st = ctx_->current_step();
    return st && st->index >= spec_.from && st->index <= spec_.to;
  }
  bool wanted(const periph::FlashOp& op) const {
    if (spec_.kind != "any" && spec_.kind != periph::to_string(op.kind)) return false;
    if (spec_.partitions.empty()) return true;
    std::string p = partition_of(sc_.board, op.address);
    return std::find(spec_.partitions.begin(), spec_.partitions.end(), p) != spec_.partitions.end();
  }
  void on_ops() {
    const std::size_t n = ctx_->flash_ops().size();
    for (std::size_t i = seen_; i < n && !stopped_; ++i) {
      seen_ = i + 1;
      periph::FlashOp op = ctx_->flash_ops()[i];
      if (!in_window() || !wanted(op)) continue;
      if (op.end != 0) {
        ++missed;
        continue;
      }
      fire_(*ctx_, describe(&op));
    }
    seen_ = std::max(seen_, n);
  }
  void on_time() {
    if (stopped_) return;
    const auto& ops = ctx_->flash_ops();
    const periph::FlashOp* in_flight = !ops.empty() && ops.back().end == 0 ? &ops.back() : nullptr;
    fire_(*ctx_, describe(in_flight));
  }
  Trigger describe(const periph::FlashOp* op) const {
    Trigger t;
    t.at = ctx_->now();
    t.seconds = ctx_->seconds(t.at);
    t.step = ctx_->current_step() ? ctx_->current_step()->index : 0;
    periph::StatusPort* status = network_state(*ctx_).status;
    std::string state = status ? periph::StatusPort::to_string(status->state()) : "";
    if (op) {
      t.op_seq = op->seq;
      t.op = op_text(*op);
      t.partition = partition_of(sc_.board, op->address);
      t.phase = (state.empty() ? "" : state + " · ") + (t.partition.empty() ? "flash" : t.partition) + " " +
                periph::to_string(op->kind);
    } else {
      t.phase = (state.empty() ? "" : state + " · ") + "no flash operation";
    }
    return t;
  }

  const Scenario& sc_;
  const CampaignSpec& spec_;
  std::vector<emu::Ticks> times_;
  Fire fire_;
  RunContext* ctx_ = nullptr;
  std::size_t seen_ = 0;
  bool stopped_ = false;
};

// ===== [judge] =========================================================================

// Cuts the power at the point, powers on after off-time and runs the `after` steps with the
// campaign's invariants watching. `snapshot` receives the machine as it was before the cut.
PointResult judge(RunContext& ctx, const CampaignPoint& p, std::vector<std::uint8_t>& snapshot) {
  const Scenario& sc = ctx.scenario();
  const CampaignSpec& spec = sc.campaign;
  PointResult r;
  r.point = p;
  snapshot = ctx.machine().save_snapshot();
  const auto policy = p.policy == "after" ? periph::PowerLossPolicy::After
                      : p.policy == "torn" ? periph::PowerLossPolicy::Torn
                                           : periph::PowerLossPolicy::Before;
  ctx.set_power_loss_policy(policy);
  ctx.note("campaign", "point " + std::to_string(p.id) + ": power cut" +
                           (p.op.empty() ? "" : " during " + p.op + ", policy " + p.policy));
  ctx.power_off("campaign point " + std::to_string(p.id));
  std::optional<Failure> failure;
  if (ctx.wait_until(ctx.after(spec.off_time_ns), [] { return false; }) != RunContext::Wait::Stopped) {
    ctx.power_on("campaign: after " + duration_text(spec.off_time_ns) + " off");
    for (const InvariantInstance& inv : spec.invariants) {
      std::unique_ptr<Monitor> mon = inv.type->make(inv.args, ctx);
      mon->mark = inv.mark;
      ctx.add_monitor(std::move(mon));
    }
    for (const StepInstance& st : spec.after) {
      if (ctx.violation()) break;
      ctx.begin_step(st);
      ctx.note("after", std::to_string(st.index) + "/" + std::to_string(spec.after.size()) + " " + st.type->name +
                            (st.args.summary().empty() ? "" : " " + st.args.summary()));
      StepResult s = st.type->run(st.args, ctx);
      if (ctx.violation()) break;
      if (s.status != StepResult::Status::Passed) {
        const bool failed = s.status == StepResult::Status::Failed;
        failure = step_failure(ctx, st, "after step " + std::to_string(st.index) + " " + st.type->name,
                               failed ? s.expected : "the step to finish",
                               failed ? s.seen : "it stopped without a reason (engine bug)");
        break;
      }
    }
  }
  if (!failure && ctx.violation()) failure = *ctx.violation();
  r.end_seconds = ctx.seconds(ctx.now());
  r.passed = !failure;
  if (failure) r.failure = format_failure(*failure, sc.file);
  return r;
}

// ===== [workers] =======================================================================

// Children judging points: at most `jobs` at once; each writes one JSON result to its pipe.
class Workers {
 public:
  Workers(int jobs, std::function<void(PointResult)> done) : jobs_(std::max(1, jobs)), done_(std::move(done)) {}
  ~Workers() { wait_all(); }

  // Runs `work` in a child process; returns false in the child's copy never (it exits).
  void spawn(const CampaignPoint& p, const std::function<PointResult()>& work) {
    while (static_cast<int>(running_.size()) >= jobs_) reap_one();
    int fds[2];
    if (::pipe(fds) != 0) return finish_lost(p, "cannot create a pipe for the worker");
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return finish_lost(p, "cannot fork a worker");
    }
    if (pid == 0) {
      ::close(fds[0]);
      std::string out;
      try {
        PointResult r = work();
        out = result_json(r).dump();
      } catch (const std::exception& e) {
        out = json{{"error", e.what()}}.dump();
      }
      for (std::size_t at = 0; at < out.size();) {
        ssize_t n = ::write(fds[1], out.data() + at, out.size() - at);
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
      }
      ::_exit(0);  // no destructors, no atexit: the parent owns every shared resource
    }
    ::close(fds[1]);
    running_[pid] = {fds[0], p, {}};
  }
  void wait_all() {
    while (!running_.empty()) reap_one();
  }

 private:
  struct Child {
    int fd;
    CampaignPoint point;
    std::string out;
  };
  void reap_one() {
    // Drain every child's pipe before waiting, so a large result never blocks its writer.
    for (auto& [pid, c] : running_) {
      char buf[4096];
      ::fcntl(c.fd, F_SETFL, O_NONBLOCK);
      for (ssize_t n; (n = ::read(c.fd, buf, sizeof buf)) > 0;) c.out.append(buf, static_cast<std::size_t>(n));
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    auto it = running_.find(pid);
    if (it == running_.end()) return;
    Child c = std::move(it->second);
    running_.erase(it);
    ::fcntl(c.fd, F_SETFL, 0);
    char buf[4096];
    for (ssize_t n; (n = ::read(c.fd, buf, sizeof buf)) > 0;) c.out.append(buf, static_cast<std::size_t>(n));
    ::close(c.fd);
    json j = json::parse(c.out, nullptr, false);
    std::optional<PointResult> r;
    if (j.is_object() && !j.contains("error")) r = result_from(j);
    if (!r) {
      r = PointResult{};
      r->point = c.point;
      r->failure = (WIFSIGNALED(status) ? "the worker died with signal " + std::to_string(WTERMSIG(status))
                    : j.is_object() && j.contains("error") ? "the worker failed: " + j["error"].get<std::string>()
                                                           : std::string("the worker returned no result")) + "\n";
    }
    done_(std::move(*r));
  }
  void finish_lost(const CampaignPoint& p, const std::string& why) {
    PointResult r;
    r.point = p;
    r.failure = why + "\n";
    done_(std::move(r));
  }

  int jobs_;
  std::function<void(PointResult)> done_;
  std::map<pid_t, Child> running_;
};

// ===== [run] ===========================================================================

// A point judged in this process (--point) ends the run by unwinding out of it.
struct PointDone {
  PointResult result;
};

std::vector<CampaignPoint> points_of(const std::vector<Trigger>& triggers, const CampaignSpec& spec) {
  std::vector<CampaignPoint> out;
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    const Trigger& t = triggers[i];
    std::vector<std::string> policies = t.op_seq ? spec.policies : std::vector<std::string>{"none"};
    for (const std::string& policy : policies) {
      CampaignPoint p;
      p.id = static_cast<int>(out.size()) + 1;
      p.trigger = static_cast<int>(i) + 1;
      p.policy = policy;
      p.at = t.at;
      p.seconds = t.seconds;
      p.op = t.op;
      p.partition = t.partition;
      p.phase = t.phase;
      p.step = t.step;
      out.push_back(p);
    }
  }
  return out;
}

// The times of `at: every` / `at: random` points inside the window [start, end].
std::vector<emu::Ticks> chosen_times(const CampaignSpec& spec, emu::Ticks start, emu::Ticks end, std::uint64_t hz) {
  std::vector<emu::Ticks> times;
  if (end <= start) return times;
  if (spec.at == "every") {
    const emu::Ticks step = std::max<emu::Ticks>(1, static_cast<emu::Ticks>(
                                                        static_cast<unsigned __int128>(spec.every_ns) * hz / 1'000'000'000u));
    for (emu::Ticks t = start + step; t < end; t += step) times.push_back(t);
  } else if (spec.at == "random") {
    std::mt19937_64 rng(spec.seed);
    for (std::int64_t i = 0; i < spec.count; ++i) times.push_back(start + 1 + rng() % (end - start));
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
  }
  return times;
}

std::string save_failure_snapshot(const std::string& dir, const Scenario& sc, const CampaignPoint& p,
                                  const std::vector<std::uint8_t>& blob) {
  if (dir.empty()) return {};
  std::string path = dir + "/" + sc.name + "-point-" + std::to_string(p.id) + ".snap";
  if (!make_dirs(dir)) return {};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob.size()));
  return out ? path : std::string{};
}

}  // namespace

CampaignResult run_campaign(const Scenario& sc, const CampaignOptions& o) {
  using Clock = std::chrono::steady_clock;
  const auto wall_start = Clock::now();
  CampaignResult res;
  res.name = sc.name;
  res.file = sc.file;
  res.shard = o.shard;
  res.shards = o.shards;
  res.reproduce_prefix = o.reproduce_prefix;
  if (!sc.campaign.present) {
    res.error = sc.file + ": the scenario has no 'campaign:' section";
    return res;
  }
  RunOptions run_options;
  run_options.seed = o.seed;

  // 1. Discovery: one run, stopping at every trigger to describe it (state, partition, step).
  std::vector<Trigger> triggers;
  emu::Ticks window_start = 0, window_end = 0;
  std::size_t missed = 0;
  auto discover = [&](std::vector<emu::Ticks> times) {
    triggers.clear();
    TriggerWatch watch(sc, std::move(times), [&](RunContext&, const Trigger& t) { triggers.push_back(t); });
    run_options.observer = &watch;
    ScenarioResult r = run_scenario(sc, run_options, {});
    res.discovery_timeline = r.timeline;
    window_start = watch.window_start;
    window_end = watch.window_end;
    missed = watch.missed;
    if (r.status != ScenarioResult::Status::Passed)
      res.error = "the campaign's own run (no fault injected) did not pass, so there is nothing to sweep:\n" +
                  (r.failure ? format_failure(*r.failure, sc.file) : r.error);
  };
  discover({});
  if (res.error.empty() && sc.campaign.at != "flash-ops") {
    // The window's extent is known now: choose the times and run again to describe them.
    const std::uint64_t hz = sc.board.clock_hz;
    discover(chosen_times(sc.campaign, window_start, window_end, hz));
  }
  if (!res.error.empty()) return res;
  if (missed) res.error = std::to_string(missed) + " flash operations ended before the run could stop at them (engine bug)";
  res.points = points_of(triggers, sc.campaign);
  std::vector<emu::Ticks> times;
  if (sc.campaign.at != "flash-ops")
    for (const Trigger& t : triggers) times.push_back(t.at);

  // This process's share of the points.
  std::vector<char> mine(res.points.size() + 1, 0);
  std::size_t total = 0;
  for (const CampaignPoint& p : res.points) {
    bool take = o.only_point ? p.id == *o.only_point
                             : (p.id - 1) % o.shards == o.shard - 1 && ((p.id - 1) / o.shards) % o.sample == 0;
    mine[static_cast<std::size_t>(p.id)] = take;
    total += take;
  }
  if (o.only_point && total == 0) {
    res.error = "there is no point " + std::to_string(*o.only_point) + " (the campaign has " +
                std::to_string(res.points.size()) + ")";
    return res;
  }

  CampaignProgress progress;
  progress.total = total;
  auto finished = [&](PointResult r) {
    ++progress.done;
    progress.failed += !r.passed;
    progress.wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
    res.results.push_back(std::move(r));
    if (o.progress) o.progress(progress);
  };
  auto points_at = [&](int trigger) {
    std::vector<const CampaignPoint*> out;
    for (const CampaignPoint& p : res.points)
      if (p.trigger == trigger && mine[static_cast<std::size_t>(p.id)]) out.push_back(&p);
    return out;
  };
  auto check_same = [&](const Trigger& t, int index) {
    const Trigger& d = triggers[static_cast<std::size_t>(index - 1)];
    if (t.at != d.at || t.op_seq != d.op_seq)
      throw std::runtime_error("the run diverged from the discovery run at trigger " + std::to_string(index) +
                               " (determinism broken)");
  };
  // Judges `p` in the current process; failures keep their snapshot.
  auto judge_here = [&](RunContext& ctx, const CampaignPoint& p) {
    std::vector<std::uint8_t> snap;
    PointResult r = judge(ctx, p, snap);
    if (!r.passed) r.snapshot = save_failure_snapshot(o.out_dir, sc, p, snap);
    return r;
  };

  // 2. The sweep.
  try {
    if (o.only_point || o.method == "replay") {
      // From power-on to each point (--point: one, here; replay: each in a worker).
      Workers workers(o.jobs, finished);
      for (const CampaignPoint& target : res.points) {
        if (!mine[static_cast<std::size_t>(target.id)]) continue;
        // Runs from power-on to the point and judges it there; `timeline` (if given) receives
        // the run's timeline through the judgement (the reproducer prints it).
        auto reach_and_judge = [&, target](std::string* timeline) -> PointResult {
          int count = 0;
          TriggerWatch* self = nullptr;
          TriggerWatch watch(sc, times, [&](RunContext& ctx, const Trigger& t) {
            check_same(t, ++count);
            if (count != target.trigger) return;
            self->stop();
            ctx.clear_interrupt();
            PointResult r = judge_here(ctx, target);
            if (timeline) *timeline = ctx.timeline().transcript();
            throw PointDone{std::move(r)};
          });
          self = &watch;
          RunOptions ro = run_options;
          ro.observer = &watch;
          try {
            run_scenario(sc, ro, {});
          } catch (PointDone& done) {
            return std::move(done.result);
          }
          PointResult lost;
          lost.point = target;
          lost.failure = "the run ended before reaching the point\n";
          return lost;
        };
        if (o.only_point) finished(reach_and_judge(&res.point_timeline));
        else workers.spawn(target, [&reach_and_judge] { return reach_and_judge(nullptr); });
      }
      workers.wait_all();
    } else {
      // One run; fork at every trigger that has points of ours.
      Workers workers(o.jobs, finished);
      int count = 0;
      TriggerWatch* self = nullptr;
      TriggerWatch watch(sc, times, [&](RunContext& ctx, const Trigger& t) {
        check_same(t, ++count);
        for (const CampaignPoint* p : points_at(count)) {
          workers.spawn(*p, [&, p]() {
            self->stop();
            ctx.clear_interrupt();
            return judge_here(ctx, *p);
          });
        }
      });
      self = &watch;
      RunOptions ro = run_options;
      ro.observer = &watch;
      run_scenario(sc, ro, {});
      workers.wait_all();
    }
  } catch (const std::exception& e) {
    res.error = e.what();
  }
  std::sort(res.results.begin(), res.results.end(),
            [](const PointResult& a, const PointResult& b) { return a.point.id < b.point.id; });
  res.wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
  return res;
}

}  // namespace hilsim::scen
