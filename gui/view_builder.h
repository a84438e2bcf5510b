// ViewBuilder: fills a DeviceView (device_view.h) from a running scenario, on the emulation
// thread, between run slices. Most of it is read from what the scenario engine already keeps
// (RunContext: UART logs, resets, faults, flash operations; the status port; the update
// server's log); what nobody keeps (power changes, link notes, torn sectors, per-connection
// byte counts, the timeline's markers) it records itself from observers, incrementally and
// with bounded tails so a copy stays cheap however long the run.
// Leaves out: several flash controllers (the first one is shown), several net links.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulator/debugger.h"
#include "gui/device_view.h"
#include "peripherals/net_link.h"
#include "scenarios/run_context.h"
#include "scenarios/runner.h"

namespace hilsim::gui {

class ViewBuilder {
 public:
  ViewBuilder();
  ~ViewBuilder();
  ViewBuilder(const ViewBuilder&) = delete;
  ViewBuilder& operator=(const ViewBuilder&) = delete;

  // A run starts (observers go on the machine) / ends (they are left disarmed).
  void attach(scen::RunContext& ctx, emu::Debugger& debugger);
  void detach();
  // Things only the emulation thread knows.
  void step_started(const scen::StepInstance& step, emu::Ticks at);
  void step_finished(std::size_t i, const scen::StepRecord& record);
  void run_finished(const std::string& result, const std::string& failure);
  void timeline_line(const std::string& line);

  // Everything else is read now. `v` keeps its capacity between calls.
  void fill(DeviceView& v);

 private:
  struct Conn {
    ConnectionView view;
  };
  void on_flash_op(const periph::FlashOp& op);
  void on_net_note(const periph::NetNote& n);
  void add_marker(emu::Ticks at, MarkerKind kind, std::string text);
  void consume_records();
  void fill_flash(DeviceView& v);
  void fill_update(DeviceView& v);
  void fill_net(DeviceView& v);
  void fill_cpu(DeviceView& v);
  std::string partition_of(std::uint32_t address) const;

  scen::RunContext* ctx_ = nullptr;
  emu::Debugger* dbg_ = nullptr;
  std::shared_ptr<bool> alive_;
  std::size_t csh_ = 0;  // capstone handle (0: none)

  // Incremental consumption of the context's records.
  std::map<std::string, std::size_t> uart_lines_seen_;
  std::size_t resets_seen_ = 0, faults_seen_ = 0;
  std::deque<UartLineView> uart_;
  std::deque<Marker> markers_;
  std::vector<bool> torn_;  // per sector of the shown flash
  std::deque<Conn> conns_;
  std::deque<NetEventView> net_faults_;
  std::deque<std::string> timeline_;
  // Update story, from the firmware's "update:" lines.
  std::size_t update_scan_ = 0;  // bytes of the first UART already scanned
  std::string last_update_line_, target_version_, last_verification_;
  emu::Ticks last_verification_at_ = 0;
  std::uint64_t download_base_ = 0;
  emu::Ticks download_since_ = 0;  // when the current download (or its resumption) began
  bool downloading_ = false;
  std::map<std::string, std::string> slot_versions_;  // "slot-a" -> "1.0.0"
  ScenarioView scenario_;
};

}  // namespace hilsim::gui
