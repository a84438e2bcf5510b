// Filling the panel's DeviceView from a running scenario (view_builder.h).
// Index: [attach] observers · [records] incremental tails · [flash] · [update] · [net] · [cpu] · [fill]
#include "gui/view_builder.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gui/symbol_text.h"
#include "peripherals/state_io.h"
#include "scenarios/network.h"

namespace hilsim::gui {

namespace {

constexpr std::size_t kUartLines = 600, kMarkers = 3000, kConns = 40, kNetFaults = 60, kTimeline = 200;
constexpr std::size_t kRecentOps = 14, kRequests = 40;
// Program operations come in thousands; consecutive ones closer than this merge into one marker.
constexpr double kBurstSeconds = 0.002;

template <typename T>
void push_bounded(std::deque<T>& d, T v, std::size_t cap) {
  d.push_back(std::move(v));
  while (d.size() > cap) d.pop_front();
}

template <typename T>
T* first_device(emu::Machine& m, const std::string& type) {
  for (const auto& p : m.board().peripherals)
    if (p.type == type) return dynamic_cast<T*>(m.device(p.name));
  return nullptr;
}

// Reads a few named fields out of a model's describe() (the net-link's per-connection totals).
struct Peek final : periph::StateVisitor {
  std::map<std::string, std::uint64_t> want;
  void field(const char* n, std::uint64_t& v) override { take(n, v); }
  void field(const char* n, std::uint32_t& v) override { take(n, v); }
  void field(const char*, bool&) override {}
  void field(const char*, std::uint8_t&) override {}
  void field(const char*, std::uint16_t&) override {}
  void field(const char*, std::int64_t&) override {}
  void field(const char*, std::vector<std::uint8_t>&) override {}
  void field(const char*, std::string&) override {}
  void take(const char* n, std::uint64_t v) {
    auto it = want.find(n);
    if (it != want.end()) it->second = v;
  }
};

const char* link_state_name(periph::NetLink::LinkState s) {
  switch (s) {
    case periph::NetLink::Idle: return "idle";
    case periph::NetLink::Connecting: return "connecting";
    case periph::NetLink::Connected: return "connected";
    case periph::NetLink::PeerClosed: return "peer closed";
    case periph::NetLink::Error: return "error";
  }
  return "?";
}

std::string exception_name(int n) {
  switch (n) {
    case 0: return "Thread mode";
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 11: return "SVCall";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return n >= 16 ? "IRQ " + std::to_string(n - 16) : "exception " + std::to_string(n);
  }
}

// "1.2.3" at the start of `s` (the version word after "update: <what> ").
std::string version_word(const std::string& s) {
  std::size_t end = s.find_first_of(" :(", 0);
  return s.substr(0, end);
}

}  // namespace

ViewBuilder::ViewBuilder() {
  csh h = 0;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &h) == CS_ERR_OK) csh_ = h;
}

ViewBuilder::~ViewBuilder() {
  if (csh_ != 0) {
    csh h = csh_;
    cs_close(&h);
  }
}

// ===== [attach] ========================================================================

void ViewBuilder::attach(scen::RunContext& ctx, emu::Debugger& debugger) {
  ctx_ = &ctx;
  dbg_ = &debugger;
  alive_ = std::make_shared<bool>(true);
  uart_lines_seen_.clear();
  resets_seen_ = faults_seen_ = 0;
  uart_.clear();
  markers_.clear();
  conns_.clear();
  net_faults_.clear();
  timeline_.clear();
  update_scan_ = 0;
  last_update_line_.clear();
  target_version_.clear();
  last_verification_.clear();
  download_base_ = 0;
  download_since_ = 0;
  downloading_ = false;
  slot_versions_.clear();
  torn_.clear();

  const scen::Scenario& sc = ctx.scenario();
  scenario_ = ScenarioView{};
  scenario_.name = sc.name;
  scenario_.file = sc.file;
  scenario_.description = sc.description;
  for (const scen::StepInstance& st : sc.steps)
    scenario_.steps.push_back({st.index, st.type->name, st.label, st.args.summary(), "not-run", 0, 0, ""});
  for (const scen::Release& r : sc.releases) scenario_.releases.push_back(r.args.text("version"));

  std::vector<periph::FlashController*> fcs = ctx.flash_controllers();
  if (!fcs.empty()) {
    torn_.assign(fcs[0]->array().sectors(), false);
    fcs[0]->add_op_sink([this, alive = alive_](const periph::FlashOp& op) {
      if (*alive) on_flash_op(op);
    });
  }
  scen::NetworkState& net = scen::network_state(ctx);
  if (net.link != nullptr)
    net.link->add_observer([this, alive = alive_](const periph::NetNote& n) {
      if (*alive) on_net_note(n);
    });
}

void ViewBuilder::detach() {
  if (alive_) *alive_ = false;
  ctx_ = nullptr;
  dbg_ = nullptr;
}

void ViewBuilder::step_started(const scen::StepInstance& step, emu::Ticks at) {
  scenario_.current = step.index;
  if (step.index >= 1 && static_cast<std::size_t>(step.index) <= scenario_.steps.size()) {
    StepView& s = scenario_.steps[static_cast<std::size_t>(step.index - 1)];
    s.status = "running";
    s.start = ctx_ ? ctx_->seconds(at) : 0;
  }
  add_marker(at, MarkerKind::Step, "step " + std::to_string(step.index) + " " + step.type->name);
}

void ViewBuilder::step_finished(std::size_t i, const scen::StepRecord& r) {
  if (i >= scenario_.steps.size()) return;
  StepView& s = scenario_.steps[i];
  s.status = r.status;
  s.start = r.start;
  s.end = r.end;
  s.note = r.note;
}

void ViewBuilder::run_finished(const std::string& result, const std::string& failure) {
  scenario_.result = result;
  scenario_.failure = failure;
  scenario_.current = 0;
}

void ViewBuilder::timeline_line(const std::string& line) {
  std::string l = line;
  while (!l.empty() && l.back() == '\n') l.pop_back();
  // "[%11.6f s] power  off (why)": power changes are known only to the timeline.
  if (ctx_ && l.size() > 23 && l[0] == '[' && l.compare(16, 7, "power  ") == 0) {
    double s = std::strtod(l.c_str() + 1, nullptr);
    add_marker(static_cast<emu::Ticks>(s * static_cast<double>(ctx_->machine().clock_hz()) + 0.5), MarkerKind::Power,
               l.substr(23));
  }
  push_bounded(timeline_, std::move(l), kTimeline);
}

void ViewBuilder::add_marker(emu::Ticks at, MarkerKind kind, std::string text) {
  push_bounded(markers_, Marker{at, kind, std::move(text)}, kMarkers);
}

// ===== [records] =======================================================================

void ViewBuilder::on_flash_op(const periph::FlashOp& op) {
  if (!ctx_) return;
  std::vector<periph::FlashController*> fcs = ctx_->flash_controllers();
  if (fcs.empty()) return;
  periph::FlashController& fc = *fcs[0];
  std::uint32_t ss = fc.array().sector_size();
  std::uint32_t sector = ss ? (op.address - fc.base()) / ss : 0;
  const bool erase = op.kind == periph::FlashOp::Kind::Erase;
  if (op.end != 0 && sector < torn_.size()) {
    if (op.result == "power cut (torn)") torn_[sector] = true;
    else if (erase && op.result == "ok") torn_[sector] = false;
  }
  if (op.end == 0) {
    // Markers: erases one each; programs merged into bursts.
    MarkerKind k = erase ? MarkerKind::FlashErase : MarkerKind::FlashProgram;
    std::string part = partition_of(op.address);
    if (!erase && !markers_.empty() && markers_.back().kind == k) {
      Marker& last = markers_.back();
      std::size_t x = last.text.find(" x");
      std::size_t sp = last.text.find(' ', x + 2);
      if (x != std::string::npos && sp != std::string::npos && last.text.substr(sp + 1) == part) {
        unsigned n = static_cast<unsigned>(std::stoul(last.text.substr(x + 2, sp - x - 2)));
        last.text = "program x" + std::to_string(n + 1) + " " + part;
        return;
      }
    }
    add_marker(op.start, k, erase ? "erase " + part : "program x1 " + part);
  } else if (op.result.rfind("power cut", 0) == 0) {
    add_marker(op.end, MarkerKind::Power, "flash op #" + std::to_string(op.seq) + ": " + op.result);
  }
}

void ViewBuilder::on_net_note(const periph::NetNote& n) {
  using K = periph::NetNote::Kind;
  if (n.kind == K::Connect || (n.kind == K::Fault && conns_.empty())) {
    Conn c;
    c.view.id = n.conn;
    c.view.peer = n.what.rfind("connect to ", 0) == 0 ? n.what.substr(11) : "";
    c.view.state = "connecting";
    c.view.opened = n.when;
    push_bounded(conns_, std::move(c), kConns);
  }
  Conn* c = nullptr;
  for (auto it = conns_.rbegin(); it != conns_.rend(); ++it)
    if (it->view.id == n.conn) {
      c = &*it;
      break;
    }
  switch (n.kind) {
    case K::Connected:
      if (c) c->view.state = "open";
      break;
    case K::Failed:
      if (c) c->view.state = "failed: " + n.what, c->view.closed = n.when;
      break;
    case K::PeerClosed:
      if (c) c->view.state = "peer closed";
      break;
    case K::Closed:
      if (c) c->view.state = n.what, c->view.closed = n.when;
      break;
    case K::Fault:
      push_bounded(net_faults_, NetEventView{n.when, n.what}, kNetFaults);
      add_marker(n.when, MarkerKind::NetFault, n.what);
      break;
    default:
      break;
  }
}

void ViewBuilder::consume_records() {
  scen::RunContext& ctx = *ctx_;
  for (const auto& p : ctx.scenario().board.peripherals) {
    if (p.type != "uart" && p.type != "cmsdk-uart") continue;
    const scen::UartLog& log = ctx.uart(p.name);
    std::size_t& seen = uart_lines_seen_[p.name];
    const auto& lines = log.lines();
    if (seen > lines.size()) seen = 0;  // a restore does not shrink logs, but be safe
    if (lines.size() - seen > kUartLines) seen = lines.size() - kUartLines;
    for (; seen < lines.size(); ++seen) {
      const scen::UartLog::Line& l = lines[seen];
      std::string text = log.line_text(l);
      push_bounded(uart_, UartLineView{l.at, p.name, text, false}, kUartLines);
      add_marker(l.at, MarkerKind::Uart, text);
    }
  }
  for (; resets_seen_ < ctx.resets().size(); ++resets_seen_) {
    const auto& [at, why] = ctx.resets()[resets_seen_];
    add_marker(at, MarkerKind::Reset, std::string("reset: ") + periph::to_string(why));
  }
  for (; faults_seen_ < ctx.faults().size(); ++faults_seen_) {
    const emu::FaultReport& f = ctx.faults()[faults_seen_];
    add_marker(f.at, MarkerKind::Fault, f.kind + ": " + f.detail);
  }
}

std::string ViewBuilder::partition_of(std::uint32_t address) const {
  if (!ctx_) return {};
  const emu::BoardConfig& b = ctx_->scenario().board;
  for (const emu::Partition& p : b.partitions) {
    std::uint32_t base = b.partition_base(p);
    if (address >= base && address - base < p.size) return p.name;
  }
  return {};
}

// ===== [flash] =========================================================================

void ViewBuilder::fill_flash(DeviceView& v) {
  FlashView& f = v.flash;
  std::vector<periph::FlashController*> fcs = ctx_->flash_controllers();
  f.present = !fcs.empty();
  if (!f.present) return;
  periph::FlashController& fc = *fcs[0];
  emu::Machine& m = ctx_->machine();
  periph::NorFlash& nor = fc.array();
  f.memory = fc.memory_name();
  f.base = fc.base();
  f.sector_size = nor.sector_size();
  f.ops_started = fc.ops_started();
  f.power_loss_policy = periph::to_string(fc.power_loss_policy());
  const std::uint32_t n = nor.sectors();
  f.states.assign(n, SectorState::Erased);
  f.erases.assign(n, 0);
  f.max_erases = 0;
  const emu::MappedMemory* mem = m.bus().region_at(fc.base());
  for (std::uint32_t s = 0; s < n; ++s) {
    f.erases[s] = nor.erase_count(s);
    f.max_erases = std::max(f.max_erases, f.erases[s]);
    bool programmed = false;
    if (mem) {
      const std::uint8_t* p = mem->bytes.data() + (fc.base() - mem->base) + std::size_t{s} * f.sector_size;
      const std::uint64_t* w = reinterpret_cast<const std::uint64_t*>(p);
      for (std::uint32_t i = 0; i < f.sector_size / 8 && !programmed; ++i) programmed = w[i] != ~0ull;
    }
    if (programmed) f.states[s] = SectorState::Programmed;
    if ((s < torn_.size() && torn_[s]) || nor.weak(s)) f.states[s] = SectorState::Torn;
  }
  f.in_flight.reset();
  if (const periph::FlashOp* op = fc.in_flight()) {
    const bool erase = op->kind == periph::FlashOp::Kind::Erase;
    f.in_flight = FlashOpView{op->seq, erase, op->address, op->size, op->start, 0, "in flight", partition_of(op->address)};
    std::uint32_t s = (op->address - fc.base()) / f.sector_size;
    if (s < n) f.states[s] = erase ? SectorState::Erasing : SectorState::Writing;
  }
  const emu::BoardConfig& b = ctx_->scenario().board;
  f.partitions.clear();
  for (const emu::Partition& p : b.partitions) {
    if (p.memory != fc.memory_name()) continue;
    std::uint32_t base = b.partition_base(p);
    f.partitions.push_back({p.name, (base - fc.base()) / f.sector_size, (p.size + f.sector_size - 1) / f.sector_size});
  }
  f.recent.clear();
  const auto& ops = ctx_->flash_ops();
  for (std::size_t i = ops.size() > kRecentOps ? ops.size() - kRecentOps : 0; i < ops.size(); ++i) {
    const periph::FlashOp& op = ops[i];
    f.recent.push_back({op.seq, op.kind == periph::FlashOp::Kind::Erase, op.address, op.size, op.start, op.end,
                        op.end == 0 ? "in flight" : op.result, partition_of(op.address)});
  }
}

// ===== [update] ========================================================================

void ViewBuilder::fill_update(DeviceView& v) {
  UpdateView& u = v.update;
  scen::NetworkState& net = scen::network_state(*ctx_);
  u.present = net.status != nullptr;
  if (net.status) {
    const periph::StatusPort& st = *net.status;
    u.version = st.version_text();
    u.slot = periph::StatusPort::to_string(st.slot());
    u.state = periph::StatusPort::to_string(st.state());
    u.updates = st.updates();
    u.rollbacks = st.rollbacks();
    u.heartbeat = st.heartbeat();
    if (st.version() != 0 && u.slot != "none") slot_versions_[u.slot] = u.version;
  }
  // Scan the new "update:" lines of the first UART.
  const std::string uart = ctx_->scenario().first_uart();
  const scen::UartLog& log = ctx_->uart(uart);
  const std::string& text = log.text();
  if (update_scan_ > text.size()) update_scan_ = 0;
  std::size_t nl;
  while ((nl = text.find('\n', update_scan_)) != std::string::npos) {
    std::string line = text.substr(update_scan_, nl - update_scan_);
    update_scan_ = nl + 1;
    if (line.rfind("update: ", 0) != 0) continue;
    last_update_line_ = line;
    std::string rest = line.substr(8);
    auto starts = [&](const char* w) { return rest.rfind(w, 0) == 0; };
    emu::Ticks at = log.time_of(nl);
    if (starts("downloading ")) {
      target_version_ = version_word(rest.substr(12));
      downloading_ = true;
      download_base_ = 0;
      download_since_ = at;
    } else if (starts("resuming at byte ")) {
      downloading_ = true;
      download_base_ = std::strtoull(rest.c_str() + 17, nullptr, 10);
      download_since_ = at;
    } else if (starts("verified ")) {
      downloading_ = false;
      last_verification_ = rest;
      last_verification_at_ = at;
    } else if (starts("rejected ")) {
      downloading_ = false;
      last_verification_ = rest;
      last_verification_at_ = at;
    } else if (starts("download interrupted")) {
      downloading_ = false;
    }
  }
  const bool in_b = u.slot == "slot-b";
  u.active_slot = u.slot;
  u.inactive_slot = u.slot == "slot-a" ? "slot-b" : in_b ? "slot-a" : "slot-a";
  u.active_version = u.version;
  auto it = slot_versions_.find(u.inactive_slot);
  u.inactive_version = it != slot_versions_.end() ? it->second : "";
  if (last_verification_.rfind("verified ", 0) == 0 && !target_version_.empty() && target_version_ != u.version &&
      version_word(last_verification_.substr(9)) == target_version_)
    u.inactive_version = target_version_ + " (verified)";
  if (downloading_ && !target_version_.empty()) u.inactive_version = target_version_ + " (being written)";
  u.target_version = target_version_;
  u.last_verification = last_verification_;
  u.last_verification_at = last_verification_at_;
  u.last_line = last_update_line_;
  // Download progress: the journal's resume offset plus what was programmed into the slot since.
  u.download_total = 0;
  if (auto b = net.bundles.find(target_version_); b != net.bundles.end()) u.download_total = b->second.size();
  std::uint64_t programmed = 0;
  const auto& ops = ctx_->flash_ops();
  for (auto op = ops.rbegin(); downloading_ && op != ops.rend() && op->start >= download_since_; ++op)
    if (op->kind == periph::FlashOp::Kind::Program && op->result == "ok" && partition_of(op->address).rfind("slot-", 0) == 0)
      programmed += op->size;
  u.download_bytes = std::min<std::uint64_t>(download_base_ + programmed,
                                             u.download_total ? u.download_total : ~0ull);
  const std::string& L = last_update_line_;
  if (u.state == "trial") u.phase = "trial";
  else if (downloading_) u.phase = "downloading";
  else if (L.find("rolled back") != std::string::npos || L.find("rolling back") != std::string::npos) u.phase = "rolled back";
  else if (L.find("confirmed") != std::string::npos) u.phase = "confirmed";
  else if (L.find("verified") != std::string::npos || L.find("applying") != std::string::npos) u.phase = "pending";
  else if (L.find("rejected") != std::string::npos) u.phase = "rejected";
  else u.phase = u.state == "factory" ? "factory" : "idle";
}

// ===== [net] ===========================================================================

void ViewBuilder::fill_net(DeviceView& v) {
  NetView& n = v.net;
  scen::NetworkState& net = scen::network_state(*ctx_);
  n.present = net.link != nullptr;
  if (!n.present) return;
  for (const auto& p : ctx_->scenario().board.peripherals)
    if (p.type == "net-link") {
      n.link = p.name;
      break;
    }
  n.link_state = link_state_name(net.link->link_state());
  // The current connection's totals, from the model's declared state.
  Peek peek;
  peek.want = {{"conn", 0}, {"rx_total", 0}, {"tx_total", 0}};
  net.link->describe(peek);
  for (Conn& c : conns_)
    if (c.view.id == peek.want["conn"] && c.view.closed == 0) {
      c.view.to_device = peek.want["rx_total"];
      c.view.from_device = peek.want["tx_total"];
    }
  n.connections.clear();
  for (const Conn& c : conns_) n.connections.push_back(c.view);
  n.requests.clear();
  if (net.server) {
    const auto& log = net.server->log();
    for (std::size_t i = log.size() > kRequests ? log.size() - kRequests : 0; i < log.size(); ++i) {
      const auto& e = log[i];
      n.requests.push_back({e.when, e.conn, e.method, e.path, e.range, e.status, e.bytes});
    }
    n.published = net.server->paths();
  }
  n.faults_applied.assign(net_faults_.begin(), net_faults_.end());
  n.faults_armed.clear();
  for (const periph::NetFault& f : net.link->faults()) n.faults_armed.push_back(periph::to_string(f));
}

// ===== [cpu] ===========================================================================

void ViewBuilder::fill_cpu(DeviceView& v) {
  CpuView& c = v.cpu;
  emu::Machine& m = ctx_->machine();
  for (int i = 0; i < emu::Debugger::kRegisterCount; ++i) c.regs[static_cast<std::size_t>(i)] = dbg_->read_register(i);
  c.pc = m.pc() & ~1u;
  c.function = readable_symbol(m.symbols().describe(c.pc));
  c.ipsr = static_cast<int>(c.regs[16] & 0x1FF);
  c.exception = c.ipsr == 0 ? "Thread mode" : "Handler: " + exception_name(c.ipsr) + " (" + std::to_string(c.ipsr) + ")";
  c.sleeping = m.sleeping();
  c.active = m.nvic().active_count();
  c.pending = m.nvic().highest_pending();
  c.instructions = m.instructions();
  c.idle = m.idle_cycles();
  c.code.clear();
  if (csh_ == 0 || !m.powered()) return;
  // Thumb cannot be decoded backwards: start a little before the PC (at the function's start
  // when it is close) and keep the start that lands exactly on the PC.
  std::uint32_t from = c.pc >= 24 ? c.pc - 24 : 0;
  if (auto loc = m.symbols().lookup(c.pc); loc && loc->offset <= 24) from = c.pc - loc->offset;
  std::uint8_t code[64];
  for (std::uint32_t start = from; start <= c.pc; start += 2) {
    std::size_t len = sizeof code;
    while (len > 0 && !m.cpu().fast_read(start, code, len)) len /= 2;
    if (len == 0) return;
    cs_insn* insn = nullptr;
    std::size_t count = cs_disasm(static_cast<csh>(csh_), code, len, start, 0, &insn);
    std::size_t at = count;
    for (std::size_t i = 0; i < count; ++i)
      if (insn[i].address == c.pc) at = i;
    if (at == count) {
      cs_free(insn, count);
      continue;
    }
    std::size_t first = at > 5 ? at - 5 : 0, last = std::min(count, at + 7);
    for (std::size_t i = first; i < last; ++i) {
      DisasmLine d;
      d.address = static_cast<std::uint32_t>(insn[i].address);
      char hex[40] = {0};
      for (std::size_t b = 0; b < insn[i].size && b < 4; ++b) std::snprintf(hex + 3 * b, 4, "%02x ", insn[i].bytes[b]);
      d.bytes = hex;
      d.text = std::string(insn[i].mnemonic) + " " + insn[i].op_str;
      d.symbol = readable_symbol(m.symbols().describe(d.address));
      d.current = i == at;
      c.code.push_back(std::move(d));
    }
    cs_free(insn, count);
    return;
  }
}

// ===== [fill] ==========================================================================

void ViewBuilder::fill(DeviceView& v) {
  if (!ctx_) return;
  consume_records();
  emu::Machine& m = ctx_->machine();
  v.now = m.now();
  v.clock_hz = m.clock_hz();
  v.powered = m.powered();
  v.board = m.board().name;
  v.pins.clear();
  for (const emu::PinConfig& p : m.board().pins) v.pins.push_back({p.name, p.output, m.pin(p.name).value_or(false)});
  v.uart.assign(uart_.begin(), uart_.end());
  for (const auto& p : ctx_->scenario().board.peripherals) {
    if (p.type != "uart" && p.type != "cmsdk-uart") continue;
    const scen::UartLog& log = ctx_->uart(p.name);
    if (!log.line_complete() && log.size() > 0)
      v.uart.push_back({log.time_of(log.size() - 1), p.name, log.partial(), true});
  }
  fill_flash(v);
  fill_update(v);
  fill_net(v);
  fill_cpu(v);
  v.markers.assign(markers_.begin(), markers_.end());
  v.scenario = scenario_;
  v.scenario.log.assign(timeline_.begin(), timeline_.end());
}

}  // namespace hilsim::gui
