// DeviceView names and its JSON form (device_view.h). The JSON is for tests and scripts: it is
// what the panels draw from, field for field; the UART text and histories are the same tails.
#include "gui/device_view.h"

#include <cstdio>

namespace hilsim::gui {

const char* to_string(RunState s) {
  switch (s) {
    case RunState::Starting: return "starting";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Halted: return "halted";
    case RunState::Finished: return "finished";
    case RunState::Error: return "error";
  }
  return "?";
}

const char* to_string(SectorState s) {
  switch (s) {
    case SectorState::Erased: return "erased";
    case SectorState::Programmed: return "programmed";
    case SectorState::Writing: return "writing";
    case SectorState::Erasing: return "erasing";
    case SectorState::Torn: return "torn";
  }
  return "?";
}

const char* to_string(MarkerKind k) {
  switch (k) {
    case MarkerKind::Uart: return "uart";
    case MarkerKind::FlashProgram: return "flash-program";
    case MarkerKind::FlashErase: return "flash-erase";
    case MarkerKind::Reset: return "reset";
    case MarkerKind::Power: return "power";
    case MarkerKind::Fault: return "fault";
    case MarkerKind::NetFault: return "net-fault";
    case MarkerKind::Step: return "step";
  }
  return "?";
}

namespace {

nlohmann::json op_json(const FlashOpView& op) {
  return {{"seq", op.seq},     {"kind", op.erase ? "erase" : "program"}, {"address", op.address},
          {"size", op.size},   {"start", op.start}, {"end", op.end},     {"result", op.result},
          {"partition", op.partition}};
}

}  // namespace

nlohmann::json to_json(const DeviceView& v) {
  using nlohmann::json;
  json j;
  j["generation"] = v.generation;
  j["state"] = to_string(v.state);
  j["pause_reason"] = v.pause_reason;
  j["error"] = v.error;
  j["now"] = v.now;
  j["seconds"] = v.seconds(v.now);
  j["clock_hz"] = v.clock_hz;
  j["powered"] = v.powered;
  j["board"] = v.board;
  j["free_running"] = v.free_running;
  j["armed"] = v.armed;
  j["recording"] = v.recording;

  for (const PinView& p : v.pins) j["pins"].push_back({{"name", p.name}, {"output", p.output}, {"level", p.level}});
  for (const UartLineView& l : v.uart)
    j["uart"].push_back({{"at", l.at}, {"uart", l.uart}, {"text", l.text}, {"partial", l.partial}});

  const FlashView& f = v.flash;
  json fj;
  fj["present"] = f.present;
  fj["controller"] = f.controller;
  fj["memory"] = f.memory;
  fj["base"] = f.base;
  fj["sector_size"] = f.sector_size;
  for (SectorState s : f.states) fj["states"].push_back(to_string(s));
  fj["erases"] = f.erases;
  fj["max_erases"] = f.max_erases;
  for (const PartitionView& p : f.partitions)
    fj["partitions"].push_back({{"name", p.name}, {"first_sector", p.first_sector}, {"sectors", p.sectors}});
  for (const FlashOpView& op : f.recent) fj["recent"].push_back(op_json(op));
  fj["in_flight"] = f.in_flight ? op_json(*f.in_flight) : json(nullptr);
  fj["ops_started"] = f.ops_started;
  fj["power_loss_policy"] = f.power_loss_policy;
  j["flash"] = fj;

  const UpdateView& u = v.update;
  j["update"] = {{"present", u.present},
                 {"version", u.version},
                 {"slot", u.slot},
                 {"state", u.state},
                 {"updates", u.updates},
                 {"rollbacks", u.rollbacks},
                 {"active_slot", u.active_slot},
                 {"inactive_slot", u.inactive_slot},
                 {"active_version", u.active_version},
                 {"inactive_version", u.inactive_version},
                 {"phase", u.phase},
                 {"target_version", u.target_version},
                 {"download_bytes", u.download_bytes},
                 {"download_total", u.download_total},
                 {"last_verification", u.last_verification},
                 {"last_line", u.last_line}};

  const NetView& n = v.net;
  json nj;
  nj["present"] = n.present;
  nj["link"] = n.link;
  nj["link_state"] = n.link_state;
  for (const ConnectionView& c : n.connections)
    nj["connections"].push_back({{"id", c.id}, {"peer", c.peer}, {"state", c.state}, {"opened", c.opened},
                                 {"closed", c.closed}, {"to_device", c.to_device}, {"from_device", c.from_device}});
  for (const RequestView& r : n.requests)
    nj["requests"].push_back({{"at", r.at}, {"conn", r.conn}, {"method", r.method}, {"path", r.path},
                              {"range", r.range}, {"status", r.status}, {"bytes", r.bytes}});
  for (const NetEventView& e : n.faults_applied) nj["faults_applied"].push_back({{"at", e.at}, {"text", e.text}});
  nj["faults_armed"] = n.faults_armed;
  nj["published"] = n.published;
  j["net"] = nj;

  for (const Marker& m : v.markers) j["markers"].push_back({{"at", m.at}, {"kind", to_string(m.kind)}, {"text", m.text}});

  const CpuView& c = v.cpu;
  json cj;
  cj["regs"] = c.regs;
  cj["pc"] = c.pc;
  cj["function"] = c.function;
  for (const DisasmLine& d : c.code)
    cj["code"].push_back({{"address", d.address}, {"text", d.text}, {"symbol", d.symbol}, {"current", d.current}});
  cj["ipsr"] = c.ipsr;
  cj["exception"] = c.exception;
  cj["sleeping"] = c.sleeping;
  cj["instructions"] = c.instructions;
  j["cpu"] = cj;

  const ScenarioView& s = v.scenario;
  json sj;
  sj["name"] = s.name;
  sj["file"] = s.file;
  sj["current"] = s.current;
  sj["result"] = s.result;
  sj["failure"] = s.failure;
  sj["log"] = s.log;
  for (const StepView& st : s.steps)
    sj["steps"].push_back({{"index", st.index}, {"type", st.type}, {"label", st.label}, {"status", st.status},
                           {"start", st.start}, {"end", st.end}, {"note", st.note}});
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(s.trace_hash));
  sj["trace_hash"] = s.trace_hash ? hash : "";
  j["scenario"] = sj;

  const DebuggerView& d = v.debugger;
  j["debugger"] = {{"enabled", d.enabled}, {"address", d.address},         {"attached", d.attached},
                   {"holds", d.holds},     {"status", d.status},           {"halt_reason", d.halt_reason},
                   {"halts", d.halts},     {"notice", d.notice}};
  return j;
}

}  // namespace hilsim::gui
