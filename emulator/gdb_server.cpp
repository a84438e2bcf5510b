// GDB remote serial protocol over TCP, single-threaded on the emulation thread.
//
// Index: [util] hex and escapes · [socket] listen/accept/packets · [run] the run loop ·
// [commands] packet dispatch · [monitor] monitor commands.
//
// Robustness rules: a packet is at most max_packet bytes between '$' and '#' (longer ones are
// dropped and NAKed); a bad checksum is NAKed (ignored in no-ack mode); bytes outside packets
// are skipped; unknown packets get the empty reply; bad arguments get "E01"; a client that
// goes away (even mid-packet) is dropped and the target stays halted for the next one;
// sends never raise SIGPIPE and time out after 5 s.
#include "emulator/gdb_server.h"

#include "peripherals/flash_controller.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace hilsim::emu {

namespace {

// ===== [util] ==========================================================================

const char kHex[] = "0123456789abcdef";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict: the whole string must be hex, 1–16 digits.
bool parse_hex(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 16) return false;
  out = 0;
  for (char c : s) {
    int d = hex_digit(c);
    if (d < 0) return false;
    out = out << 4 | static_cast<std::uint64_t>(d);
  }
  return true;
}

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}
std::string to_hex(std::string_view text) {
  return to_hex(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

bool from_hex(std::string_view s, std::vector<std::uint8_t>& out) {
  if (s.size() % 2) return false;
  out.clear();
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return true;
}

std::string le32(std::uint32_t v) {
  std::uint8_t b[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
  return to_hex(b, 4);
}

// Binary data in X / vFlashWrite: '}' escapes the next byte (XOR 0x20).
std::vector<std::uint8_t> unescape(std::string_view s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '}' && i + 1 < s.size()) out.push_back(static_cast<std::uint8_t>(s[++i] ^ 0x20));
    else out.push_back(static_cast<std::uint8_t>(s[i]));
  }
  return out;
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '$' || c == '#' || c == '}' || c == '*') {
      out += '}';
      out += static_cast<char>(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

// "ADDR,LEN" (then anything after `stop`).
bool parse_addr_len(std::string_view s, std::uint64_t& addr, std::uint64_t& len) {
  std::size_t comma = s.find(',');
  if (comma == std::string_view::npos) return false;
  return parse_hex(s.substr(0, comma), addr) && parse_hex(s.substr(comma + 1), len) &&
         addr <= 0xFFFFFFFFull;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

}  // namespace

// ===== [socket] ========================================================================

GdbServer::GdbServer(Machine& machine, GdbServerOptions options)
    : m_(machine), dbg_(machine), o_(std::move(options)) {
  o_.max_packet = std::clamp<std::size_t>(o_.max_packet, 256, 1 << 20);
}

GdbServer::~GdbServer() { close_client(); }  // the listening socket belongs to its GdbListener

void GdbServer::log(const std::string& line) {
  if (o_.log) o_.log(line);
  else std::fprintf(stderr, "gdb: %s\n", line.c_str());
}

std::string GdbServer::start() {
  const GdbListener* l = o_.listener;
  if (!l) {
    own_listener_ = std::make_unique<GdbListener>();
    if (std::string err = own_listener_->open(o_.listen_address, o_.port); !err.empty()) return err;
    l = own_listener_.get();
  }
  if (!l->is_open()) return "the listener is not open";
  listen_fd_ = l->fd();
  port_ = l->port();
  o_.listen_address = l->address();
  await_client_ = o_.wait_for_client;
  if (await_client_) halt_reason_ = "waiting for a debugger at the reset vector";
  return {};
}

bool GdbServer::idle() { return !o_.idle || o_.idle(); }

bool GdbServer::accept_client(int timeout_ms) {
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  client_fd_ = fd;
  rx_.clear();
  last_sent_.clear();
  no_ack_ = false;
  swbreak_ = false;
  await_client_ = false;
  announced_wait_ = false;
  last_rx_ = std::chrono::steady_clock::now();
  if (!halted_) set_stop_reply("T02thread:01;");  // attaching halts a running target
  halt_reason_ = "a debugger attached";
  halted_ = true;
  from_halt_ = true;
  ++halts_;
  log("debugger attached; target halted at " + m_.symbols().format(m_.pc() & ~1u));
  return true;
}

void GdbServer::close_client() {
  if (client_fd_ >= 0) ::close(client_fd_);
  client_fd_ = -1;
  rx_.clear();
}

bool GdbServer::send_raw(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size() && client_fd_ >= 0) {
    ssize_t n = ::send(client_fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close_client();
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return client_fd_ >= 0;
}

bool GdbServer::send_packet(const std::string& payload) {
  unsigned sum = 0;
  for (char c : payload) sum += static_cast<unsigned char>(c);
  std::string framed = "$" + payload + "#";
  framed += kHex[(sum >> 4) & 15];
  framed += kHex[sum & 15];
  last_sent_ = framed;
  return send_raw(framed);
}

GdbServer::Read GdbServer::read_packet(std::string& out, int timeout_ms) {
  for (;;) {
    while (!rx_.empty()) {
      char c = rx_[0];
      if (c == 0x03) {
        rx_.erase(0, 1);
        return Read::Interrupt;
      }
      if (c == '-' && !no_ack_ && !last_sent_.empty()) {
        rx_.erase(0, 1);
        send_raw(last_sent_);
        continue;
      }
      if (c != '$') {  // '+' acks and anything outside a packet
        rx_.erase(0, 1);
        continue;
      }
      std::size_t hash = rx_.find('#', 1), dollar = rx_.find('$', 1);
      if (dollar != std::string::npos && (hash == std::string::npos || dollar < hash)) {
        rx_.erase(0, dollar);  // a packet without its end: drop it, keep the new one
        if (!no_ack_) send_raw("-");
        continue;
      }
      if (hash == std::string::npos) {
        if (rx_.size() > o_.max_packet + 1) {
          log("dropped a packet longer than " + std::to_string(o_.max_packet) + " bytes");
          rx_.clear();
          discarding_ = true;
          if (!no_ack_) send_raw("-");
        }
        break;
      }
      if (hash + 2 >= rx_.size()) break;  // the checksum has not arrived yet
      std::uint64_t sum = 0;
      bool ok = parse_hex(std::string_view(rx_).substr(hash + 1, 2), sum);
      unsigned actual = 0;
      for (std::size_t i = 1; i < hash; ++i) actual += static_cast<unsigned char>(rx_[i]);
      ok = ok && (actual & 0xff) == sum;
      out = rx_.substr(1, hash - 1);
      rx_.erase(0, hash + 3);
      if (!ok && !no_ack_) {
        send_raw("-");
        continue;
      }
      if (!no_ack_) send_raw("+");
      if (client_fd_ < 0) return Read::Closed;
      return Read::Packet;
    }
    if (client_fd_ < 0) return Read::Closed;
    pollfd p{client_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Read::Nothing;
    char buf[4096];
    ssize_t n = ::recv(client_fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close_client();
      return Read::Closed;
    }
    last_rx_ = std::chrono::steady_clock::now();
    std::string_view in(buf, static_cast<std::size_t>(n));
    if (discarding_) {  // the rest of an oversized packet: skip through its '#'
      std::size_t hash = in.find('#');
      if (hash == std::string_view::npos) continue;
      discarding_ = false;
      in.remove_prefix(hash + 1);
    }
    rx_.append(in);
  }
}

// ===== [run] ===========================================================================

RunResult GdbServer::run_until(Ticks limit) {
  const Ticks slice = o_.slice ? o_.slice : std::max<Ticks>(1, m_.clock_hz() / 100);
  for (;;) {
    if (killed_) return {StopReason::Halted, 0};
    if (final_) return *final_;
    if (client_fd_ < 0) {
      if (await_client_) {
        if (!announced_wait_) {
          log("waiting for a debugger on " + o_.listen_address + ":" + std::to_string(port_) + " (target halted)");
          announced_wait_ = true;
        }
        if (!accept_client(o_.idle ? 10 : -1) && !idle()) return {StopReason::Halted, 0};
        continue;
      }
      accept_client(0);  // attach on request while running
    } else if (!halted_) {
      poll_running();
    }
    if (client_fd_ >= 0 && halted_) {
      if (!serve_halted()) return {StopReason::Halted, 0};
      continue;
    }
    if (m_.now() >= limit) return {StopReason::TimeLimit, 0};
    DebugStop s = dbg_.resume(std::min(limit, m_.now() + slice), from_halt_);
    from_halt_ = false;
    if (s.kind == DebugStop::Kind::TimeLimit) continue;  // the next turn reads a Ctrl-C
    // A halt nobody asked the debugger for comes from the host (the scenario engine's waits):
    // hand it back to the caller; the debugger still sees a running target.
    if (s.kind == DebugStop::Kind::Halted && !debug_halt_pending_ && scenario_) return s.run;
    if (client_fd_ < 0) {  // nobody attached: the machine's own stops end the run
      if (s.kind == DebugStop::Kind::Machine) return s.run;
      if (s.kind == DebugStop::Kind::Halted) debug_halt_pending_ = false;
      continue;
    }
    debug_halt_pending_ = false;
    report(s);
  }
}

// While the target runs: all-stop mode, so GDB sends nothing but a Ctrl-C; anything else is
// ignored.
void GdbServer::poll_running() {
  std::string p;
  for (Read r; client_fd_ >= 0 && !halted_ && (r = read_packet(p, 0)) != Read::Nothing && r != Read::Closed;) {
    if (r == Read::Interrupt) {
      halted_ = true;
      halt_reason_ = "interrupted (Ctrl-C)";
      ++halts_;
      set_stop_reply("T02thread:01;");
      send_packet(stop_reply_);
    }
  }
}

bool GdbServer::poll() {
  if (killed_ || final_) return false;
  if (client_fd_ < 0) {
    if (!await_client_) accept_client(0);
  } else if (!halted_) {
    poll_running();
  }
  return holds_target() || waiting_for_client();
}

bool GdbServer::interrupt(const std::string& why) {
  if (client_fd_ < 0 || halted_ || killed_ || final_) return false;
  halted_ = true;
  halt_reason_ = why;
  ++halts_;
  send_packet("O" + to_hex("hilsim: " + why + "\n"));
  set_stop_reply("T02thread:01;");
  send_packet(stop_reply_);
  return true;
}

bool GdbServer::release() {
  if (client_fd_ >= 0) return false;
  if (await_client_ || halted_) log("released without a debugger; the target runs (a debugger may attach)");
  await_client_ = false;
  announced_wait_ = false;
  halted_ = false;
  from_halt_ = true;
  return true;
}

void GdbServer::scenario_step(const std::string& what) {
  if (!step_scenario_armed_ || killed_ || final_) return;
  step_scenario_armed_ = false;
  log("scenario: halted before step " + what);
  if (client_fd_ < 0) return;  // the debugger left meanwhile: nothing to stop for
  send_packet("O" + to_hex("scenario: next step " + what + "\n"));
  halted_ = true;
  halt_reason_ = "before scenario step " + what;
  ++halts_;
  set_stop_reply("T05thread:01;");
  send_packet(stop_reply_);
  serve_halted();
  from_halt_ = true;
}

bool GdbServer::serve_halted() {
  while (client_fd_ >= 0 && halted_ && !killed_ && !final_) {
    std::string p;
    Read r = read_packet(p, o_.idle ? 10 : 10000);
    if (r == Read::Closed) {
      log("debugger disconnected; the target stays halted until one attaches again");
      await_client_ = true;
      halt_reason_ = "the debugger disconnected; waiting for one";
      return true;
    }
    if (r == Read::Nothing) {
      // A client stalled mid-packet for 10 s: forget the fragment.
      if (!rx_.empty() && std::chrono::steady_clock::now() - last_rx_ >= std::chrono::seconds(10)) {
        rx_.clear();
        if (!no_ack_) send_raw("-");
      }
      if (!idle()) return false;
      continue;
    }
    if (r == Read::Packet) handle(p);
  }
  return true;
}

void GdbServer::finish(int code) {
  if (client_fd_ >= 0 && !killed_) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "W%02x", code & 0xff);
    send_packet(buf);
  }
  close_client();
}

void GdbServer::set_stop_reply(const std::string& reply) { stop_reply_ = reply; }

void GdbServer::report(const DebugStop& s) {
  halted_ = true;
  const std::string at = m_.symbols().format(m_.pc() & ~1u);
  halt_reason_ = "halted at " + at;
  std::string reply = "T05";
  auto say = [&](const std::string& text) {
    std::string packet = "O";
    packet += to_hex(text);
    send_packet(packet);
  };
  switch (s.kind) {
    case DebugStop::Kind::Breakpoint:
      if (swbreak_) reply += s.hardware ? "hwbreak:;" : "swbreak:;";
      halt_reason_ = "breakpoint at " + at;
      break;
    case DebugStop::Kind::Watchpoint: {
      const char* k = s.watch == WatchKind::Write ? "watch" : s.watch == WatchKind::Read ? "rwatch" : "awatch";
      char buf[40];
      std::snprintf(buf, sizeof buf, "%s:%x;", k, s.address);
      reply += buf;
      std::snprintf(buf, sizeof buf, "%s 0x%08x", k, s.address);
      halt_reason_ = std::string("watchpoint (") + buf + ") at " + at;
      break;
    }
    case DebugStop::Kind::Step:
      halt_reason_ = "stepped to " + at;
      break;
    case DebugStop::Kind::Halted:
    case DebugStop::Kind::TimeLimit:
      break;
    case DebugStop::Kind::Machine:
      switch (s.run.reason) {
        case StopReason::Exited: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "W%02x", s.run.exit_code & 0xff);
          send_packet(buf);
          final_ = s.run;
          return;
        }
        case StopReason::Lockup:
          say("hilsim: the core locked up (see the fault report)\n");
          halt_reason_ = "the core locked up at " + at;
          reply = "T0b";
          break;
        case StopReason::Budget:
          say("hilsim: instruction budget exhausted\n");
          halt_reason_ = "the instruction budget ran out at " + at;
          reply = "T18";
          break;
        case StopReason::Stuck:
          say("hilsim: asleep with nothing that could wake it\n");
          halt_reason_ = "asleep with nothing that could wake it";
          break;
        case StopReason::PoweredOff:
          say("hilsim: the target is powered off ('monitor power-on')\n");
          halt_reason_ = "the target is powered off";
          break;
        default:  // BKPT in the firmware: SIGTRAP
          halt_reason_ = "BKPT at " + at;
          break;
      }
      break;
  }
  ++halts_;
  set_stop_reply(reply + "thread:01;");
  send_packet(stop_reply_);
}

// ===== [commands] ======================================================================

void GdbServer::handle(const std::string& p) {
  const char cmd = p.empty() ? 0 : p[0];
  const std::string_view args = p.empty() ? std::string_view() : std::string_view(p).substr(1);
  auto resume_at = [&](std::string_view addr) {
    std::uint64_t a = 0;
    if (!addr.empty() && parse_hex(addr, a)) m_.set_pc(static_cast<std::uint32_t>(a));
  };
  auto do_step = [&] { report(dbg_.step(hold_interrupts_)); };
  auto do_continue = [&] {
    halted_ = false;
    from_halt_ = true;
  };
  switch (cmd) {
    case '?': send_packet(stop_reply_); return;
    case 'c': resume_at(args); do_continue(); return;
    case 's': resume_at(args); do_step(); return;
    case 'C':
    case 'S': {
      std::size_t semi = args.find(';');
      if (semi != std::string_view::npos) resume_at(args.substr(semi + 1));
      if (cmd == 'C') do_continue();
      else do_step();
      return;
    }
    case 'g': {
      std::string out;
      for (int n = 0; n < Debugger::kRegisterCount; ++n) out += le32(dbg_.read_register(n));
      send_packet(out);
      return;
    }
    case 'G': {
      std::vector<std::uint8_t> b;
      if (!from_hex(args, b) || b.size() < 4u * Debugger::kRegisterCount) {
        send_packet("E01");
        return;
      }
      for (int n = 0; n < Debugger::kRegisterCount; ++n) {
        const std::uint8_t* q = b.data() + 4 * n;
        dbg_.write_register(n, q[0] | q[1] << 8 | q[2] << 16 | std::uint32_t(q[3]) << 24);
      }
      send_packet("OK");
      return;
    }
    case 'p': {
      std::uint64_t n = 0;
      if (!parse_hex(args, n) || n >= Debugger::kRegisterCount) send_packet("E01");
      else send_packet(le32(dbg_.read_register(static_cast<int>(n))));
      return;
    }
    case 'P': {
      std::size_t eq = args.find('=');
      std::uint64_t n = 0;
      std::vector<std::uint8_t> b;
      if (eq == std::string_view::npos || !parse_hex(args.substr(0, eq), n) ||
          n >= Debugger::kRegisterCount || !from_hex(args.substr(eq + 1), b) || b.size() != 4) {
        send_packet("E01");
        return;
      }
      dbg_.write_register(static_cast<int>(n), b[0] | b[1] << 8 | b[2] << 16 | std::uint32_t(b[3]) << 24);
      send_packet("OK");
      return;
    }
    case 'm': {
      std::uint64_t addr = 0, len = 0;
      if (!parse_addr_len(args, addr, len)) {
        send_packet("E01");
        return;
      }
      len = std::min<std::uint64_t>(len, (o_.max_packet - 8) / 2);
      std::vector<std::uint8_t> buf(len);
      std::size_t got = dbg_.read_memory(static_cast<std::uint32_t>(addr), buf.data(), buf.size());
      send_packet(got || !len ? to_hex(buf.data(), got) : "E14");
      return;
    }
    case 'M':
    case 'X': {
      std::size_t colon = args.find(':');
      std::uint64_t addr = 0, len = 0;
      std::vector<std::uint8_t> b;
      bool ok = colon != std::string_view::npos && parse_addr_len(args.substr(0, colon), addr, len);
      if (ok && cmd == 'M') ok = from_hex(args.substr(colon + 1), b);
      if (ok && cmd == 'X') b = unescape(args.substr(colon + 1));
      if (!ok || b.size() != len) {
        send_packet("E01");
        return;
      }
      std::size_t done = dbg_.write_memory(static_cast<std::uint32_t>(addr), b.data(), b.size());
      send_packet(done == b.size() ? "OK" : "E14");
      return;
    }
    case 'Z':
    case 'z': {
      // Ztype,addr,kind[;cond...]
      std::string_view a = args.substr(0, args.find(';'));
      std::size_t c1 = a.find(',');
      std::uint64_t type = 0, addr = 0, kind = 0;
      if (c1 == std::string_view::npos || !parse_hex(a.substr(0, c1), type) ||
          !parse_addr_len(a.substr(c1 + 1), addr, kind) || type > 4) {
        send_packet(type > 4 ? "" : "E01");
        return;
      }
      std::uint32_t at = static_cast<std::uint32_t>(addr);
      bool ok;
      if (type <= 1) ok = cmd == 'Z' ? dbg_.add_breakpoint(at, type == 1) : dbg_.remove_breakpoint(at);
      else {
        WatchKind wk = static_cast<WatchKind>(type);
        std::uint32_t n = static_cast<std::uint32_t>(std::min<std::uint64_t>(kind, 0x10000));
        ok = cmd == 'Z' ? dbg_.add_watchpoint(wk, at, n) : dbg_.remove_watchpoint(wk, at, n);
      }
      send_packet(ok ? "OK" : "E01");
      return;
    }
    case 'D':
      send_packet("OK");
      dbg_.clear_points();
      close_client();
      halted_ = false;
      from_halt_ = true;
      await_client_ = false;
      log("debugger detached; the target runs on");
      return;
    case 'k':
      killed_ = true;
      close_client();
      log("killed by the debugger");
      return;
    case 'H':
    case 'T': send_packet("OK"); return;
    case 'q':
    case 'Q':
      if (p == "QStartNoAckMode") {
        send_packet("OK");
        no_ack_ = true;
        return;
      }
      send_packet(query(p));
      return;
    case 'v':
      if (p == "vCont?") {
        send_packet("vCont;c;C;s;S;t");
      } else if (p.rfind("vCont;", 0) == 0 && p.size() > 6) {
        char action = p[6];
        if (action == 'c' || action == 'C') do_continue();
        else if (action == 's' || action == 'S') do_step();
        else send_packet(stop_reply_);
      } else if (p.rfind("vKill", 0) == 0) {
        send_packet("OK");
        killed_ = true;
        close_client();
      } else if (p.rfind("vFlashErase:", 0) == 0) {
        std::uint64_t addr = 0, len = 0;
        if (!parse_addr_len(std::string_view(p).substr(12), addr, len) || len > (1u << 24)) {
          send_packet("E01");
          return;
        }
        std::vector<std::uint8_t> ff(len, 0xFF);
        send_packet(dbg_.write_memory(static_cast<std::uint32_t>(addr), ff.data(), ff.size()) == len ? "OK" : "E01");
      } else if (p.rfind("vFlashWrite:", 0) == 0) {
        std::string_view rest = std::string_view(p).substr(12);
        std::size_t colon = rest.find(':');
        std::uint64_t addr = 0;
        if (colon == std::string_view::npos || !parse_hex(rest.substr(0, colon), addr)) {
          send_packet("E01");
          return;
        }
        std::vector<std::uint8_t> b = unescape(rest.substr(colon + 1));
        send_packet(dbg_.write_memory(static_cast<std::uint32_t>(addr), b.data(), b.size()) == b.size() ? "OK"
                                                                                                  : "E01");
      } else if (p == "vFlashDone") {
        send_packet("OK");
      } else {
        send_packet("");
      }
      return;
    default: send_packet(""); return;
  }
}

std::string GdbServer::query(const std::string& p) {
  if (p.rfind("qSupported", 0) == 0) {
    swbreak_ = p.find("swbreak+") != std::string::npos;
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "PacketSize=%zx;qXfer:features:read+;qXfer:memory-map:read+;QStartNoAckMode+;"
                  "swbreak+;hwbreak+;vContSupported+",
                  o_.max_packet);
    return buf;
  }
  if (p == "qAttached") return "1";
  if (p == "qC") return "QC01";
  if (p == "qfThreadInfo") return "m01";
  if (p == "qsThreadInfo") return "l";
  if (p.rfind("qSymbol", 0) == 0) return "OK";
  if (p == "qqemu.sstepbits") return "ENABLE=1,NOIRQ=2,NOTIMER=4";
  if (p == "qqemu.sstep") return hold_interrupts_ ? "0x7" : "0x1";
  if (p.rfind("Qqemu.sstep=", 0) == 0) {
    std::string_view value = std::string_view(p).substr(12);
    if (value.rfind("0x", 0) == 0) value.remove_prefix(2);
    std::uint64_t v = 0;
    if (!parse_hex(value, v)) return "E01";
    hold_interrupts_ = (v & 2) != 0;
    return "OK";
  }
  if (p.rfind("qRcmd,", 0) == 0) {
    std::vector<std::uint8_t> b;
    if (!from_hex(std::string_view(p).substr(6), b)) return "E01";
    std::string out = monitor(std::string(b.begin(), b.end()));
    return out.empty() ? "OK" : to_hex(out);
  }
  if (p.rfind("qXfer:", 0) == 0) {
    // qXfer:object:read:annex:offset,length
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      std::size_t c = p.find(':', start);
      if (c == std::string::npos) return "E01";
      parts.push_back(p.substr(start, c - start));
      start = c + 1;
    }
    std::uint64_t off = 0, len = 0;
    if (parts[2] != "read" || !parse_addr_len(std::string_view(p).substr(start), off, len)) return "E01";
    std::string data;
    if (parts[1] == "features" && parts[3] == "target.xml") data = dbg_.target_xml();
    else if (parts[1] == "memory-map" && parts[3].empty()) data = dbg_.memory_map_xml();
    else return "E00";
    if (off >= data.size()) return "l";
    len = std::min<std::uint64_t>(len, o_.max_packet / 2);
    std::string chunk = data.substr(off, len);
    return (off + chunk.size() < data.size() ? "m" : "l") + escape(chunk);
  }
  return "";
}

// ===== [monitor] =======================================================================

std::string GdbServer::monitor(const std::string& command) {
  std::vector<std::string> w = words(command);
  if (w.empty() || w[0] == "help")
    return "hilsim monitor commands:\n"
           "  reset                  system reset (external); the target stays halted\n"
           "  power-cut [policy]     remove power now (policy: before|after|torn-program|torn-erase)\n"
           "  power-on               restore power; the CPU boots from the reset vector\n"
           "  snapshot save NAME     save the whole machine in memory\n"
           "  snapshot restore NAME  go back to a saved snapshot\n"
           "  snapshot list          list saved snapshots\n"
           "  break-flash            stop at the next flash program/erase\n"
           "  step-scenario          run to the next scenario step\n"
           "  time                   virtual time and instruction count\n"
           "  halt                   says where the target is halted (it is, whenever GDB asks)\n"
           "  hold-interrupts on|off hold interrupts during single steps (default on)\n"
           "After reset, power-on or snapshot restore run 'maint flush register-cache'.\n";
  auto where = [&] { return m_.symbols().format(m_.pc() & ~1u); };
  const std::string& c = w[0];
  if (c == "reset") {
    if (!m_.powered()) return "reset: the target is powered off ('monitor power-on')\n";
    m_.reset(periph::ResetReason::External);
    return "reset (external); pc = " + where() + "\n";
  }
  if (c == "power-cut") {
    std::string policy = w.size() > 1 ? w[1] : "before";
    static const char* kPolicies[] = {"before", "after", "torn-program", "torn-erase", "torn"};
    if (std::find(std::begin(kPolicies), std::end(kPolicies), policy) == std::end(kPolicies))
      return "power-cut: unknown policy '" + policy + "' (before, after, torn-program, torn-erase)\n";
    if (!m_.powered()) return "power-cut: the target is already powered off\n";
    periph::PowerLossPolicy p = policy == "before" ? periph::PowerLossPolicy::Before
                                : policy == "after" ? periph::PowerLossPolicy::After
                                                    : periph::PowerLossPolicy::Torn;
    std::string interrupted;
    for (const periph::DeviceConfig& dc : m_.board().peripherals)
      if (auto* fc = dynamic_cast<periph::FlashController*>(m_.device(dc.name))) {
        fc->set_power_loss_policy(p);
        if (const periph::FlashOp* op = fc->in_flight()) {
          char buf[160];
          std::snprintf(buf, sizeof buf, "%s: %s #%llu of %u bytes at 0x%08x interrupted (%s)\n", dc.name.c_str(),
                        periph::to_string(op->kind), static_cast<unsigned long long>(op->seq), op->size,
                        op->address, periph::to_string(p));
          interrupted += buf;
        }
      }
    m_.power_off();
    return "power cut at t=" + std::to_string(m_.seconds(m_.now())) + " s (policy " + policy + ").\n" +
           (interrupted.empty() ? std::string("No flash operation was in flight.\n") : interrupted) +
           "The target is off; 'monitor power-on' boots it again.\n";
  }
  if (c == "power-on") {
    if (m_.powered()) return "power-on: the target is already powered\n";
    m_.power_on();
    return "powered on: booting from the reset vector, pc = " + where() + "\n";
  }
  if (c == "snapshot") {
    if (w.size() == 2 && w[1] == "list") {
      std::string out;
      for (const auto& [name, blob] : snapshots_) out += name + " (" + std::to_string(blob.size()) + " bytes)\n";
      return out.empty() ? "no snapshots\n" : out;
    }
    if (w.size() != 3 || (w[1] != "save" && w[1] != "restore")) return "usage: snapshot save|restore NAME, snapshot list\n";
    if (w[1] == "save") {
      snapshots_[w[2]] = m_.save_snapshot();
      return "snapshot '" + w[2] + "' saved at t=" + std::to_string(m_.seconds(m_.now())) + " s, pc = " + where() + "\n";
    }
    auto it = snapshots_.find(w[2]);
    if (it == snapshots_.end()) return "snapshot '" + w[2] + "' does not exist\n";
    std::string err = m_.restore_snapshot(it->second);
    if (!err.empty()) return "snapshot restore failed: " + err + "\n";
    return "snapshot '" + w[2] + "' restored: t=" + std::to_string(m_.seconds(m_.now())) + " s, pc = " + where() + "\n";
  }
  if (c == "break-flash") {
    std::vector<periph::FlashController*> controllers;
    for (const periph::DeviceConfig& dc : m_.board().peripherals)
      if (auto* fc = dynamic_cast<periph::FlashController*>(m_.device(dc.name))) controllers.push_back(fc);
    if (controllers.empty()) return "break-flash: this board has no flash controller, so there is nothing to stop at\n";
    if (!flash_sinks_installed_) {
      flash_sinks_installed_ = true;
      for (periph::FlashController* fc : controllers)
        fc->add_op_sink([this](const periph::FlashOp& op) {
          // Called from the CMD write (an MMIO callback): halt at the next block boundary,
          // with the operation in flight, so 'monitor power-cut' can interrupt it.
          if (!break_flash_armed_ || op.end != 0) return;
          break_flash_armed_ = false;
          debug_halt_pending_ = true;
          m_.request_halt();
          m_.cpu().stop_at_next_block();
        });
    }
    break_flash_armed_ = true;
    return "break-flash: the target halts when the next flash program/erase starts ('continue')\n";
  }
  if (c == "step-scenario") {
    if (!scenario_) return "step-scenario: no scenario is running (start with 'hilsim run <scenario> --gdb PORT')\n";
    step_scenario_armed_ = true;
    return "step-scenario: the target halts when the next scenario step starts ('continue')\n";
  }
  if (c == "halt") {  // IDE attach scripts send it (Cortex-Debug's "external" server type)
    return "the target is halted at " + where() + " (t=" + std::to_string(m_.seconds(m_.now())) + " s)\n";
  }
  if (c == "time") {
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "virtual time %.9f s (%llu cycles at %llu Hz), %llu instructions executed, %llu cycles asleep "
                  "or off; %s, pc = %s\n",
                  m_.seconds(m_.now()), static_cast<unsigned long long>(m_.now()),
                  static_cast<unsigned long long>(m_.clock_hz()), static_cast<unsigned long long>(m_.instructions()),
                  static_cast<unsigned long long>(m_.idle_cycles()), m_.powered() ? "powered" : "powered off",
                  where().c_str());
    return buf;
  }
  if (c == "hold-interrupts") {
    if (w.size() == 2 && (w[1] == "on" || w[1] == "off")) hold_interrupts_ = w[1] == "on";
    return std::string("hold-interrupts is ") + (hold_interrupts_ ? "on" : "off") + "\n";
  }
  return "unknown monitor command '" + c + "' (try 'monitor help')\n";
}

}  // namespace hilsim::emu
