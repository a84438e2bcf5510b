// net-link model: registers, the connection state machine, TX segments, RX pacing with flow
// control, link faults and snapshot packing. See net_link.h and docs/peripherals.md.
//
// Timing (virtual time, L = latency-us, R = rate-bps or a Slow fault's rate):
//   CONNECT -> the backend sees the SYN and the answer is at the device 2L later.
//   TX: a segment gathers the bytes written within W = max(L/4, 100 us) of its first byte and
//       reaches the peer L after its last byte (one event per segment, never early). The bytes
//       hold their TX FIFO space until then.
//   RX: a reply produced at time t is at the device from t + L; it enters the RX FIFO in chunks
//       of at most kChunk bytes, each landing n/R after the previous one (or after t + L), and
//       never more than the FIFO has room for: the rest waits in the inbound queue and resumes
//       when the firmware has read enough (window updates are instantaneous). FIN/RST follow
//       the last byte.
//
// Index: [helpers] [faults] [registers and reset] [commands] [TX] [RX] [snapshot]
#include "peripherals/net_link.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace hilsim::periph {

// ===== [helpers] ===============================================================================
namespace {

constexpr std::uint64_t kNever = ~0ull;
constexpr std::size_t kHeadBytes = 1024;           // request prefix kept for the request path
constexpr std::size_t kMaxRequest = 64 * 1024;     // a backend that never answers: forget beyond
constexpr std::size_t kInboundHigh = 64 * 1024;    // live backends: stop reading above this
constexpr std::size_t kInboundCompact = 16 * 1024;

std::uint64_t mul_div(std::uint64_t a, std::uint64_t b, std::uint64_t c, bool round_up = false) {
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  unsigned __int128 q = p / c;
  if (round_up && p % c != 0) ++q;
  return q > kNever ? kNever : static_cast<std::uint64_t>(q);
}

std::string endpoint(std::uint32_t addr, std::uint32_t port) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", addr >> 24, (addr >> 16) & 0xFF, (addr >> 8) & 0xFF, addr & 0xFF,
                port);
  return buf;
}

std::string duration(std::uint64_t ns) {
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + " s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + " ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + " us";
  return std::to_string(ns) + " ns";
}

// The path of an HTTP request line ("GET /a/b?q HTTP/1.1" -> "/a/b"); "" if there is none yet.
std::string request_path(const std::vector<std::uint8_t>& head) {
  auto eol = std::find(head.begin(), head.end(), '\n');
  if (eol == head.end()) return {};
  std::string line(head.begin(), eol);
  std::size_t sp = line.find(' ');
  if (sp == std::string::npos) return {};
  std::size_t end = line.find(' ', sp + 1);
  std::string target = line.substr(sp + 1, end == std::string::npos ? std::string::npos : end - sp - 1);
  if (std::size_t scheme = target.find("://"); scheme != std::string::npos) {
    std::size_t slash = target.find('/', scheme + 3);
    target = slash == std::string::npos ? "/" : target.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

// Little-endian packing for the lists describe() carries as byte vectors.
struct Packer {
  std::vector<std::uint8_t>& out;
  void u(std::uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void str(const std::string& s) {
    u(s.size(), 4);
    out.insert(out.end(), s.begin(), s.end());
  }
};
struct Unpacker {
  const std::vector<std::uint8_t>& in;
  std::size_t pos = 0;
  bool ok = true;
  bool more() const { return ok && pos < in.size(); }
  std::uint64_t u(unsigned bytes) {
    if (in.size() - pos < bytes) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= std::uint64_t{in[pos++]} << (8 * i);
    return v;
  }
  std::string str() {
    std::uint64_t n = u(4);
    if (in.size() - pos < n) {
      ok = false;
      return {};
    }
    std::string s(in.begin() + static_cast<std::ptrdiff_t>(pos), in.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n;
    return s;
  }
};

}  // namespace

// ===== [faults] ================================================================================

NetFault NetFault::drop(std::uint64_t after) {
  NetFault f;
  f.kind = Kind::Drop;
  f.offset = after;
  return f;
}
NetFault NetFault::truncate(std::uint64_t after) {
  NetFault f;
  f.kind = Kind::Truncate;
  f.offset = after;
  return f;
}
NetFault NetFault::corrupt(std::uint64_t at, std::uint8_t xor_mask, std::uint32_t bytes) {
  NetFault f;
  f.kind = Kind::Corrupt;
  f.offset = at;
  f.mask = xor_mask;
  f.length = bytes;
  return f;
}
NetFault NetFault::stall(std::uint64_t at, std::uint64_t ns) {
  NetFault f;
  f.kind = Kind::Stall;
  f.offset = at;
  f.stall_ns = ns;
  return f;
}
NetFault NetFault::refuse() {
  NetFault f;
  f.kind = Kind::Refuse;
  return f;
}
NetFault NetFault::slow(std::uint64_t bytes_per_second) {
  NetFault f;
  f.kind = Kind::Slow;
  f.rate_bps = bytes_per_second;
  return f;
}
NetFault& NetFault::next(std::uint32_t connections) {
  scope = connections == 1 ? Scope::Next : Scope::Count;
  count = connections;
  return *this;
}
NetFault& NetFault::always() {
  scope = Scope::All;
  return *this;
}
NetFault& NetFault::on_path(std::string prefix) {
  path_prefix = std::move(prefix);
  return *this;
}

std::string to_string(const NetFault& f) {
  std::string s;
  switch (f.kind) {
    case NetFault::Kind::Drop: s = "drop after " + std::to_string(f.offset) + " bytes"; break;
    case NetFault::Kind::Truncate: s = "truncate after " + std::to_string(f.offset) + " bytes"; break;
    case NetFault::Kind::Corrupt: {
      char mask[8];
      std::snprintf(mask, sizeof mask, "0x%02x", f.mask);
      s = "corrupt " + std::to_string(f.length) + " byte(s) at " + std::to_string(f.offset) + " (xor " + mask + ")";
      break;
    }
    case NetFault::Kind::Stall: s = "stall " + duration(f.stall_ns) + " at byte " + std::to_string(f.offset); break;
    case NetFault::Kind::Refuse: s = "refuse connections"; break;
    case NetFault::Kind::Slow: s = "slow link " + std::to_string(f.rate_bps) + " B/s"; break;
  }
  switch (f.scope) {
    case NetFault::Scope::Next: s += " (next connection"; break;
    case NetFault::Scope::Count: s += " (next " + std::to_string(f.count) + " connections"; break;
    case NetFault::Scope::All: s += " (every connection"; break;
  }
  if (!f.path_prefix.empty()) s += ", path " + f.path_prefix;
  return s + ")";
}

void NetLink::add_fault(NetFault f) {
  if (f.kind < NetFault::Kind::Drop || f.kind > NetFault::Kind::Slow)
    throw std::invalid_argument("net fault: bad kind");
  if (f.kind == NetFault::Kind::Refuse && !f.path_prefix.empty())
    throw std::invalid_argument("net fault: refuse cannot match a path (the request is not known at connect time)");
  if (f.kind == NetFault::Kind::Slow && f.rate_bps == 0)
    throw std::invalid_argument("net fault: slow needs a rate > 0");
  if (f.kind == NetFault::Kind::Corrupt && f.length == 0) throw std::invalid_argument("net fault: corrupt 0 bytes");
  if (f.scope == NetFault::Scope::Count && f.count == 0) throw std::invalid_argument("net fault: count 0");
  if (f.scope < NetFault::Scope::Next || f.scope > NetFault::Scope::All)
    throw std::invalid_argument("net fault: bad scope");
  faults_.push_back(std::move(f));
}

namespace {
// One connection of the fault's scope is used; true when the fault is used up.
bool use_up(NetFault& f) {
  if (f.scope == NetFault::Scope::All) return false;
  if (f.scope == NetFault::Scope::Count) return --f.count == 0;
  return true;
}
}  // namespace

bool NetLink::take_refuse_fault() {
  for (auto it = faults_.begin(); it != faults_.end(); ++it)
    if (it->kind == NetFault::Kind::Refuse) {
      if (use_up(*it)) faults_.erase(it);
      return true;
    }
  return false;
}

void NetLink::arm_faults() {
  s_.armed = true;
  std::string path = request_path(s_.head);
  for (auto it = faults_.begin(); it != faults_.end();) {
    NetFault& f = *it;
    if (f.kind == NetFault::Kind::Refuse || path.compare(0, f.path_prefix.size(), f.path_prefix) != 0) {
      ++it;
      continue;
    }
    switch (f.kind) {
      case NetFault::Kind::Drop: s_.drop_at = std::min(s_.drop_at, f.offset); break;
      case NetFault::Kind::Truncate: s_.truncate_at = std::min(s_.truncate_at, f.offset); break;
      case NetFault::Kind::Corrupt: corrupts_.push_back({f.offset, f.length, f.mask, 0}); break;
      case NetFault::Kind::Stall:
        if (s_.stall_at == kNever) {
          s_.stall_at = f.offset;
          s_.stall_ticks = mul_div(f.stall_ns, host().clock_hz(), 1'000'000'000);
        }
        break;
      case NetFault::Kind::Slow:
        s_.slow_bps = f.rate_bps;
        note(NetNote::Kind::Fault, "slow link: " + std::to_string(f.rate_bps) + " B/s");
        break;
      case NetFault::Kind::Refuse: break;
    }
    if (use_up(f)) it = faults_.erase(it);
    else ++it;
  }
}

// ===== [registers and reset] ===================================================================

NetLink::NetLink(const DeviceConfig& config, DeviceHost& host)
    : Device(config.name, host),
      irq_(config.irq),
      latency_(mul_div(host.clock_hz(), static_cast<std::uint64_t>(option_int(config, "latency-us")), 1'000'000)),
      window_(std::max<Ticks>({latency_ / 4, host.clock_hz() / 10'000, 1})),
      timeout_(mul_div(host.clock_hz(), static_cast<std::uint64_t>(option_int(config, "connect-timeout-ms")), 1'000)),
      poll_period_(std::max<Ticks>(1, host.clock_hz() / 1'000)),
      rate_(static_cast<std::uint64_t>(option_int(config, "rate-bps"))),
      connect_event_(host.add_event(config.name + ".connect", [this] { connect_done(); })),
      tx_event_(host.add_event(config.name + ".tx", [this] { tx_arrive(); })),
      rx_event_(host.add_event(config.name + ".rx", [this] { rx_arrive(); })),
      poll_event_(host.add_event(config.name + ".poll", [this] { poll(); })),
      bank_(config.name, host,
            {
                {.name = "CMD", .offset = 0x00, .access = Access::W,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { command(v); }},
                {.name = "ADDR", .offset = 0x04, .access = Access::RW, .storage = &s_.addr},
                {.name = "PORT", .offset = 0x08, .access = Access::RW, .writable = 0xFFFF, .storage = &s_.port},
                {.name = "STATE", .offset = 0x0C, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return s_.state; }},
                {.name = "ERROR", .offset = 0x10, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return s_.error; }},
                {.name = "EVENTS", .offset = 0x14, .access = Access::W1C, .writable = kEvAll, .storage = &s_.events,
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                {.name = "IRQEN", .offset = 0x18, .access = Access::RW, .writable = kEvAll, .storage = &s_.irqen,
                 .on_write = [this](std::uint32_t, std::uint32_t) { update_irq(); }},
                {.name = "TXDATA", .offset = 0x1C, .access = Access::W, .writable = 0xFF,
                 .on_write = [this](std::uint32_t, std::uint32_t v) { push_tx(static_cast<std::uint8_t>(v)); }},
                {.name = "TXFREE", .offset = 0x20, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(kTxDepth - s_.tx.size()); }},
                {.name = "RXDATA", .offset = 0x24, .access = Access::R,
                 .on_read = [this](std::uint32_t) -> std::uint32_t {
                   std::uint8_t b = pop_rx();
                   after_pop();
                   return b;
                 },
                 .read_has_effects = true},
                {.name = "RXCOUNT", .offset = 0x28, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(rx_count()); }},
                {.name = "RXWORD", .offset = 0x2C, .access = Access::R,
                 .on_read = [this](std::uint32_t) -> std::uint32_t {
                   if (rx_count() < 4) {
                     this->host().guest_error(name(), 0x2C, "RXWORD read with fewer than 4 bytes in the RX FIFO");
                     return 0;
                   }
                   std::uint32_t w = 0;
                   for (unsigned i = 0; i < 4; ++i) w |= std::uint32_t{pop_rx()} << (8 * i);
                   after_pop();
                   return w;
                 },
                 .read_has_effects = true},
                {.name = "TXTOTAL", .offset = 0x30, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(s_.tx_total); }},
                {.name = "RXTOTAL", .offset = 0x34, .access = Access::R,
                 .on_read = [this](std::uint32_t) { return static_cast<std::uint32_t>(s_.rx_total); }},
            }) {
  if (rate_ == 0) throw std::invalid_argument(config.name + ": rate-bps must be > 0");
  reset(ResetReason::PowerOn);
}

void NetLink::reset(ResetReason) {
  // The modem loses its connection with the rest of the system; host-set faults stay.
  bool active = s_.state != Idle;
  if (s_.backend_open && backend_) backend_->on_close(context(), true);
  s_.backend_open = false;
  drop_connection();
  std::uint64_t conn = s_.conn;
  s_ = State{};
  s_.conn = conn;
  bank_.reset();
  if (active) note(NetNote::Kind::Closed, "connection lost to a system reset");
  update_irq();
}

NetContext NetLink::context() const {
  return {host().now(), s_.peer_addr, static_cast<std::uint16_t>(s_.peer_port), s_.conn};
}

std::size_t NetLink::inbound_pending() const {
  std::uint64_t done = s_.rx_total - std::min(s_.rx_total, s_.inbound_base);
  return s_.inbound.size() - static_cast<std::size_t>(std::min<std::uint64_t>(done, s_.inbound.size()));
}

void NetLink::note(NetNote::Kind kind, std::string what) {
  if (sinks_.empty()) return;
  NetNote n{host().now(), s_.conn, kind, std::move(what)};
  for (const NoteSink& sink : sinks_) sink(n);
}

void NetLink::update_irq() {
  if (irq_ >= 0) host().set_irq(irq_, (s_.events & s_.irqen) != 0);
}

// ===== [commands] ==============================================================================

void NetLink::command(std::uint32_t cmd) {
  switch (cmd) {
    case kCmdConnect:
      if (s_.state != Idle && s_.state != Error) {
        bad_command("CONNECT while a connection is in use (CLOSE or ABORT it first)");
        break;
      }
      if (s_.addr == 0 || s_.port == 0) {
        bad_command("CONNECT with ADDR or PORT 0");
        break;
      }
      drop_connection();  // what an earlier failed connection left in the RX FIFO
      ++s_.conn;
      s_.peer_addr = s_.addr;
      s_.peer_port = s_.port;
      s_.state = Connecting;
      s_.error = ErrNone;
      s_.opened_at = host().now();
      s_.rx_total = s_.tx_total = s_.inbound_base = 0;
      s_.refused_by_fault = take_refuse_fault();
      note(NetNote::Kind::Connect, "connect to " + endpoint(s_.peer_addr, s_.peer_port));
      host().schedule(connect_event_, 2 * latency_);
      break;
    case kCmdClose:
      if (s_.state == Idle || s_.closing) break;
      if (s_.state == Connected || s_.state == PeerClosed) {
        // Received data is discarded; unsent bytes still go out, then the FIN.
        host().cancel(rx_event_);
        host().cancel(poll_event_);
        s_.rx.clear();
        s_.rx_head = 0;
        s_.inbound.clear();
        s_.inbound_base = s_.rx_total;
        s_.rx_chunk = 0;
        in_segs_.clear();
        if (s_.tx.empty()) finish_close(false);
        else s_.closing = true;
      } else {
        finish_close(s_.state == Connecting);
      }
      break;
    case kCmdAbort:
      if (s_.state != Idle) finish_close(true);
      break;
    default:
      bad_command("unknown CMD " + std::to_string(cmd));
  }
  update_irq();
}

void NetLink::bad_command(const std::string& why) {
  s_.error = ErrBadCommand;
  s_.events |= kEvError;
  host().guest_error(name(), 0x00, why);
}

void NetLink::connect_done() {
  if (s_.state != Connecting) return;
  std::string to = endpoint(s_.peer_addr, s_.peer_port);
  if (s_.waiting) {
    fail(ErrTimeout, "connect to " + to + " timed out");
  } else if (s_.refused_by_fault) {
    note(NetNote::Kind::Fault, "refused connection to " + to);
    fail(ErrRefused, "connection to " + to + " refused");
  } else if (!backend_) {
    fail(ErrUnreachable, to + " unreachable (no backend)");
  } else {
    Ticks deadline = s_.opened_at + timeout_, now = host().now();
    switch (backend_->connect(context())) {
      case NetConnect::Accept:
        s_.backend_open = true;
        connected();
        break;
      case NetConnect::Refuse: fail(ErrRefused, "connection to " + to + " refused"); break;
      case NetConnect::Unreachable: fail(ErrUnreachable, to + " unreachable"); break;
      case NetConnect::Pending:
        s_.backend_open = true;
        host().schedule(poll_event_, poll_period_);
        [[fallthrough]];
      case NetConnect::NoAnswer:
        s_.waiting = true;
        host().schedule(connect_event_, deadline > now ? deadline - now : 0);
        break;
    }
  }
  update_irq();
}

void NetLink::connected() {
  s_.state = Connected;
  s_.waiting = false;
  s_.events |= kEvConnected;
  note(NetNote::Kind::Connected, "connected to " + endpoint(s_.peer_addr, s_.peer_port));
  if (backend_ && backend_->live()) host().schedule(poll_event_, poll_period_);
}

// A connection error: STATE=ERROR, TX and the inbound queue are dropped, the RX FIFO stays readable.
void NetLink::fail(ErrCode code, const std::string& why) {
  if (s_.backend_open && backend_) backend_->on_close(context(), true);
  s_.backend_open = false;
  for (EventId e : {connect_event_, tx_event_, rx_event_, poll_event_}) host().cancel(e);
  s_.tx.clear();
  tx_segs_.clear();
  s_.request.clear();
  s_.inbound.clear();
  s_.inbound_base = s_.rx_total;
  in_segs_.clear();
  s_.rx_chunk = 0;
  s_.closing = s_.waiting = false;
  s_.peer_done = true;
  s_.state = Error;
  s_.error = code;
  s_.events |= kEvError;
  note(NetNote::Kind::Failed, why);
  update_irq();
}

void NetLink::finish_close(bool abort) {
  if (s_.backend_open && backend_) backend_->on_close(context(), abort);
  s_.backend_open = false;
  drop_connection();
  s_.state = Idle;
  note(NetNote::Kind::Closed, abort ? "aborted (RST)" : "closed (FIN)");
}

// Forgets everything about the current connection except its counters, STATE and ERROR.
void NetLink::drop_connection() {
  for (EventId e : {connect_event_, tx_event_, rx_event_, poll_event_}) host().cancel(e);
  std::uint64_t rx_total = s_.rx_total, tx_total = s_.tx_total;
  State keep = s_;
  s_ = State{};
  s_.addr = keep.addr;
  s_.port = keep.port;
  s_.state = keep.state;
  s_.error = keep.error;
  s_.events = keep.events;
  s_.irqen = keep.irqen;
  s_.conn = keep.conn;
  s_.peer_addr = keep.peer_addr;
  s_.peer_port = keep.peer_port;
  s_.opened_at = keep.opened_at;
  s_.rx_total = s_.inbound_base = rx_total;
  s_.tx_total = tx_total;
  tx_segs_.clear();
  in_segs_.clear();
  corrupts_.clear();
}

void NetLink::poll() {
  if (!backend_ || !backend_->live()) return;
  if (s_.state == Connecting && s_.waiting) {
    switch (backend_->poll_connect(context())) {
      case NetConnect::Accept:
        host().cancel(connect_event_);
        connected();
        break;
      case NetConnect::Refuse:
        fail(ErrRefused, "connection to " + endpoint(s_.peer_addr, s_.peer_port) + " refused");
        break;
      case NetConnect::Unreachable:
        fail(ErrUnreachable, endpoint(s_.peer_addr, s_.peer_port) + " unreachable");
        break;
      case NetConnect::Pending:
      case NetConnect::NoAnswer: host().schedule(poll_event_, poll_period_); break;
    }
  } else if (s_.state == Connected && !s_.peer_done && !s_.closing) {
    std::size_t pending = inbound_pending();
    if (pending < kInboundHigh) {
      NetReply reply = backend_->poll(context(), kInboundHigh - pending);
      if (reply.answered()) enqueue(std::move(reply));
    }
    if (s_.state == Connected && !s_.peer_done) host().schedule(poll_event_, poll_period_);
  }
  update_irq();
}

// ===== [TX] ====================================================================================

void NetLink::push_tx(std::uint8_t byte) {
  if ((s_.state != Connected && s_.state != PeerClosed) || s_.closing) {
    host().guest_error(name(), 0x1C, "TXDATA while not connected: byte lost");
    return;
  }
  if (s_.tx.size() >= kTxDepth) {
    host().guest_error(name(), 0x1C, "TXDATA with the TX FIFO full: byte lost");
    return;
  }
  Ticks now = host().now();
  s_.tx.push_back(byte);
  ++s_.tx_total;
  if (!tx_segs_.empty() && now - tx_segs_.back().first <= window_) {
    tx_segs_.back().len++;
    tx_segs_.back().due = now + latency_;
  } else {
    tx_segs_.push_back({now, now + latency_, 1});
  }
  if (tx_segs_.size() == 1) host().schedule(tx_event_, latency_);  // its due moved to now + latency
}

void NetLink::tx_arrive() {
  if (tx_segs_.empty()) return;
  TxSeg seg = tx_segs_.front();
  tx_segs_.erase(tx_segs_.begin());
  auto len = static_cast<std::ptrdiff_t>(seg.len);
  std::vector<std::uint8_t> bytes(s_.tx.begin(), s_.tx.begin() + len);
  s_.tx.erase(s_.tx.begin(), s_.tx.begin() + len);
  std::size_t keep = std::min(bytes.size(), kHeadBytes - std::min(kHeadBytes, s_.head.size()));
  s_.head.insert(s_.head.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
  if (!s_.peer_done && backend_) {  // while closing the peer still gets the bytes; replies are dropped
    s_.request.insert(s_.request.end(), bytes.begin(), bytes.end());
    NetReply reply = backend_->on_request_bytes(context(), s_.request, bytes.size());
    std::size_t request_size = s_.request.size();
    if (backend_->live() || reply.answered() || s_.request.size() > kMaxRequest) s_.request.clear();
    if (reply.answered()) {
      if (!backend_->live()) note(NetNote::Kind::Request, "request of " + std::to_string(request_size) + " bytes");
      enqueue(std::move(reply));
    }
  }
  if (s_.state == Error) return;  // a fault or a reset from the reply already ended it
  if (s_.tx.empty()) {
    s_.events |= kEvTxEmpty;
    if (s_.closing) finish_close(false);
  } else if (!tx_segs_.empty()) {
    Ticks now = host().now(), due = tx_segs_.front().due;
    host().schedule(tx_event_, due > now ? due - now : 0);
  }
  update_irq();
}

// ===== [RX] ====================================================================================

void NetLink::enqueue(NetReply reply) {
  if (s_.closing || s_.peer_done) return;
  if (!s_.armed) arm_faults();
  std::uint64_t end = s_.inbound_base + s_.inbound.size() + reply.bytes.size();
  s_.inbound.insert(s_.inbound.end(), reply.bytes.begin(), reply.bytes.end());
  std::uint8_t flag = reply.end == NetReply::End::Close ? 1 : reply.end == NetReply::End::Reset ? 2 : 0;
  in_segs_.push_back({host().now() + latency_, end, flag});
  if (flag != 0) {
    s_.peer_done = true;
    host().cancel(poll_event_);
  }
  note(NetNote::Kind::Response, std::to_string(reply.bytes.size()) + " response bytes" +
                                    (flag == 1 ? ", then FIN" : flag == 2 ? ", then RST" : ""));
  schedule_rx();
}

void NetLink::schedule_rx() {
  if (host().is_scheduled(rx_event_) || s_.state != Connected || s_.closing) return;
  while (!in_segs_.empty() && in_segs_.front().end_flag == 0 && in_segs_.front().end <= s_.rx_total)
    in_segs_.erase(in_segs_.begin());
  if (in_segs_.empty()) return;
  const InSeg& seg = in_segs_.front();
  Ticks now = host().now();
  Ticks start = std::max(now, seg.ready);
  s_.rx_chunk = 0;
  if (s_.drop_at == s_.rx_total || s_.truncate_at == s_.rx_total || seg.end <= s_.rx_total) {
    host().schedule(rx_event_, start - now);  // a cut or the end of the stream
    return;
  }
  std::size_t room = kRxDepth - rx_count();
  if (room == 0) return;  // resumes when the firmware has read (after_pop)
  std::uint64_t n = std::min<std::uint64_t>({kChunk, room, seg.end - s_.rx_total});
  for (std::uint64_t cut : {s_.drop_at, s_.truncate_at, s_.stall_done ? kNever : s_.stall_at})
    if (cut > s_.rx_total) n = std::min(n, cut - s_.rx_total);
  if (!s_.stall_done && s_.stall_at == s_.rx_total) {
    s_.stall_done = true;
    start += s_.stall_ticks;
    note(NetNote::Kind::Fault, "stalled " +
                                   duration(mul_div(s_.stall_ticks, 1'000'000'000, host().clock_hz())) +
                                   " at response byte " + std::to_string(s_.rx_total));
  }
  s_.rx_chunk = static_cast<std::uint32_t>(n);
  Ticks wire = mul_div(n, host().clock_hz(), s_.slow_bps ? s_.slow_bps : rate_, true);
  host().schedule(rx_event_, start - now + wire);
}

void NetLink::rx_arrive() {
  if (s_.state != Connected || s_.closing) return;
  if (s_.rx_chunk > 0) {
    std::uint32_t n = s_.rx_chunk;
    s_.rx_chunk = 0;
    if (s_.rx_head >= kRxDepth) {
      s_.rx.erase(s_.rx.begin(), s_.rx.begin() + s_.rx_head);
      s_.rx_head = 0;
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint64_t at = s_.rx_total + i;
      std::uint8_t b = s_.inbound[static_cast<std::size_t>(at - s_.inbound_base)];
      for (Corrupt& c : corrupts_) {
        if (at < c.at || at - c.at >= c.len) continue;
        b ^= c.mask;
        if (!c.reported) {
          c.reported = 1;
          char mask[8];
          std::snprintf(mask, sizeof mask, "0x%02x", c.mask);
          note(NetNote::Kind::Fault, "corrupted " + std::to_string(c.len) + " byte(s) at response byte " +
                                         std::to_string(c.at) + " (xor " + mask + ")");
        }
      }
      s_.rx.push_back(b);
    }
    s_.rx_total += n;
    s_.events |= kEvRx;
    std::uint64_t consumed = s_.rx_total - s_.inbound_base;
    if (consumed >= kInboundCompact || consumed == s_.inbound.size()) {
      s_.inbound.erase(s_.inbound.begin(), s_.inbound.begin() + static_cast<std::ptrdiff_t>(consumed));
      s_.inbound_base = s_.rx_total;
    }
  }
  while (!in_segs_.empty() && in_segs_.front().end_flag == 0 && in_segs_.front().end <= s_.rx_total)
    in_segs_.erase(in_segs_.begin());
  if (!apply_cut()) {
    if (!in_segs_.empty() && in_segs_.front().end == s_.rx_total && in_segs_.front().ready <= host().now()) {
      if (in_segs_.front().end_flag == 1) peer_closed();
      else fail(ErrReset, "connection reset by peer");
    } else {
      schedule_rx();
    }
  }
  update_irq();
}

// A Drop or Truncate fault at the current stream offset. True when it changed the connection.
bool NetLink::apply_cut() {
  bool drop = s_.drop_at == s_.rx_total, truncate = s_.truncate_at == s_.rx_total;
  if (!drop && !truncate) return false;
  std::uint8_t ends_here = !in_segs_.empty() && in_segs_.front().end == s_.rx_total ? in_segs_.front().end_flag : 0;
  std::string after = std::to_string(s_.rx_total);
  if (drop && ends_here != 2) {
    note(NetNote::Kind::Fault, "dropped connection after " + after + " bytes");
    fail(ErrReset, "connection reset after " + after + " response bytes (fault)");
    return true;
  }
  if (truncate && ends_here == 0) {
    note(NetNote::Kind::Fault, "truncated response after " + after + " bytes");
    if (s_.backend_open && backend_ && backend_->live()) {  // the real connection ends here too
      backend_->on_close(context(), true);
      s_.backend_open = false;
    }
    s_.inbound.clear();
    s_.inbound_base = s_.rx_total;
    in_segs_.clear();
    s_.peer_done = true;
    host().cancel(poll_event_);
    peer_closed();
    return true;
  }
  s_.drop_at = drop ? kNever : s_.drop_at;  // the stream ends here anyway: nothing to cut
  s_.truncate_at = truncate ? kNever : s_.truncate_at;
  return false;
}

void NetLink::peer_closed() {
  in_segs_.clear();
  s_.state = PeerClosed;
  s_.events |= kEvClosed;
  note(NetNote::Kind::PeerClosed, "peer closed the connection after " + std::to_string(s_.rx_total) + " bytes");
}

std::uint8_t NetLink::pop_rx() {
  if (rx_count() == 0) return 0;
  std::uint8_t b = s_.rx[s_.rx_head++];
  if (s_.rx_head == s_.rx.size()) {
    s_.rx.clear();
    s_.rx_head = 0;
  }
  return b;
}

// Window update: restart delivery once a chunk (or everything that is left) fits again.
void NetLink::after_pop() {
  if (host().is_scheduled(rx_event_) || s_.state != Connected || s_.closing) return;
  std::size_t pending = inbound_pending();
  if (pending > 0 && kRxDepth - rx_count() >= std::min<std::size_t>(kChunk, pending)) schedule_rx();
}

// ===== [snapshot] ==============================================================================

void NetLink::pack() {
  s_.tx_segs_blob.clear();
  Packer t{s_.tx_segs_blob};
  for (const TxSeg& g : tx_segs_) {
    t.u(g.first, 8);
    t.u(g.due, 8);
    t.u(g.len, 4);
  }
  s_.in_segs_blob.clear();
  Packer in{s_.in_segs_blob};
  for (const InSeg& g : in_segs_) {
    in.u(g.ready, 8);
    in.u(g.end, 8);
    in.u(g.end_flag, 1);
  }
  s_.corrupts_blob.clear();
  Packer c{s_.corrupts_blob};
  for (const Corrupt& k : corrupts_) {
    c.u(k.at, 8);
    c.u(k.len, 4);
    c.u(k.mask, 1);
    c.u(k.reported, 1);
  }
  s_.faults_blob.clear();
  Packer f{s_.faults_blob};
  for (const NetFault& k : faults_) {
    f.u(static_cast<std::uint8_t>(k.kind), 1);
    f.u(k.offset, 8);
    f.u(k.length, 4);
    f.u(k.mask, 1);
    f.u(k.stall_ns, 8);
    f.u(k.rate_bps, 8);
    f.u(static_cast<std::uint8_t>(k.scope), 1);
    f.u(k.count, 4);
    f.str(k.path_prefix);
  }
}

void NetLink::unpack() {
  tx_segs_.clear();
  for (Unpacker u{s_.tx_segs_blob}; u.more();) {
    TxSeg g{u.u(8), u.u(8), static_cast<std::uint32_t>(u.u(4))};
    if (u.ok) tx_segs_.push_back(g);
  }
  in_segs_.clear();
  for (Unpacker u{s_.in_segs_blob}; u.more();) {
    InSeg g{u.u(8), u.u(8), static_cast<std::uint8_t>(u.u(1))};
    if (u.ok) in_segs_.push_back(g);
  }
  corrupts_.clear();
  for (Unpacker u{s_.corrupts_blob}; u.more();) {
    Corrupt k{u.u(8), static_cast<std::uint32_t>(u.u(4)), static_cast<std::uint8_t>(u.u(1)),
              static_cast<std::uint8_t>(u.u(1))};
    if (u.ok) corrupts_.push_back(k);
  }
  faults_.clear();
  for (Unpacker u{s_.faults_blob}; u.more();) {
    NetFault k;
    k.kind = static_cast<NetFault::Kind>(u.u(1));
    k.offset = u.u(8);
    k.length = static_cast<std::uint32_t>(u.u(4));
    k.mask = static_cast<std::uint8_t>(u.u(1));
    k.stall_ns = u.u(8);
    k.rate_bps = u.u(8);
    k.scope = static_cast<NetFault::Scope>(u.u(1));
    k.count = static_cast<std::uint32_t>(u.u(4));
    k.path_prefix = u.str();
    if (u.ok) faults_.push_back(std::move(k));
  }
}

void NetLink::describe(StateVisitor& v) {
  pack();
  v.field("addr", s_.addr);
  v.field("port", s_.port);
  v.field("state", s_.state);
  v.field("error", s_.error);
  v.field("events", s_.events);
  v.field("irqen", s_.irqen);
  v.field("conn", s_.conn);
  v.field("peer_addr", s_.peer_addr);
  v.field("peer_port", s_.peer_port);
  v.field("opened_at", s_.opened_at);
  v.field("refused_by_fault", s_.refused_by_fault);
  v.field("waiting", s_.waiting);
  v.field("backend_open", s_.backend_open);
  v.field("closing", s_.closing);
  v.field("peer_done", s_.peer_done);
  v.field("tx", s_.tx);
  v.field("request", s_.request);
  v.field("head", s_.head);
  v.field("rx", s_.rx);
  v.field("rx_head", s_.rx_head);
  v.field("inbound", s_.inbound);
  v.field("inbound_base", s_.inbound_base);
  v.field("rx_total", s_.rx_total);
  v.field("tx_total", s_.tx_total);
  v.field("rx_chunk", s_.rx_chunk);
  v.field("armed", s_.armed);
  v.field("stall_done", s_.stall_done);
  v.field("drop_at", s_.drop_at);
  v.field("truncate_at", s_.truncate_at);
  v.field("stall_at", s_.stall_at);
  v.field("stall_ticks", s_.stall_ticks);
  v.field("slow_bps", s_.slow_bps);
  v.field("tx_segs", s_.tx_segs_blob);
  v.field("in_segs", s_.in_segs_blob);
  v.field("corrupts", s_.corrupts_blob);
  v.field("faults", s_.faults_blob);
}

void NetLink::post_load() {
  unpack();
  if (s_.rx_head > s_.rx.size()) s_.rx_head = static_cast<std::uint32_t>(s_.rx.size());
  update_irq();
}

}  // namespace hilsim::periph
