// Session output streams (streams.h).
#include "scenarios/recording/streams.h"

#include <cstdio>

#include "scenarios/recording/varint.h"
#include "scenarios/text_util.h"

namespace hilsim::scen::rec {

const char* to_string(Stream stream) {
  switch (stream) {
    case Stream::Uart: return "uart";
    case Stream::Gpio: return "gpio";
    case Stream::Net: return "net";
    case Stream::Flash: return "flash";
    case Stream::Resets: return "resets";
    case Stream::Faults: return "faults";
    case Stream::Interrupts: return "interrupts";
    case Stream::Mmio: return "mmio";
  }
  return "?";
}

namespace {

std::string hex32(std::uint64_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(v & 0xffffffffu));
  return buf;
}

std::string where(std::uint64_t address, const emu::SymbolTable* symbols) {
  return symbols ? symbols->format(static_cast<std::uint32_t>(address)) : hex32(address);
}

void fold(StreamSum& sum, std::uint64_t word) {
  for (int i = 0; i < 8; ++i) {
    sum.hash ^= (word >> (i * 8)) & 0xff;
    sum.hash *= 0x100000001b3ull;
  }
}

}  // namespace

std::string describe(Stream stream, const StreamEvent& e, const std::vector<std::string>& uart_names,
                     const emu::SymbolTable* symbols) {
  switch (stream) {
    case Stream::Uart: {
      std::string uart = e.a < uart_names.size() ? uart_names[e.a] : "uart#" + std::to_string(e.a);
      char c = static_cast<char>(e.b);
      char buf[32];
      std::snprintf(buf, sizeof buf, " (0x%02x)", static_cast<unsigned>(e.b & 0xff));
      return uart + " byte " + (c >= 0x20 && c < 0x7f ? "'" + std::string(1, c) + "'" : c == '\n' ? "'\\n'" : "") + buf;
    }
    case Stream::Gpio: return "pin " + e.text + " -> " + (e.a ? "1" : "0");
    case Stream::Net: return "connection " + std::to_string(e.a) + ": " + e.text;
    case Stream::Flash: {
      std::string kind = periph::to_string(static_cast<periph::FlashOp::Kind>(e.b));
      std::string what = kind + " at " + hex32(e.c >> 32) + " (" + std::to_string(e.c & 0xffffffffu) + " bytes)";
      return e.a == 0 ? what + " started" : what + " ended: " + e.text;
    }
    case Stream::Resets:
      return std::string("reset (") + periph::to_string(static_cast<periph::ResetReason>(e.a)) + "), pc " + where(e.b, symbols);
    case Stream::Faults: return "fault at " + where(e.a, symbols);
    case Stream::Interrupts:
      return (e.a == 0 ? "exception " + std::to_string(e.b) + " taken, return to " : "exception " + std::to_string(e.b) + " returned to ") +
             where(e.c & ~1ull, symbols);
    case Stream::Mmio: {
      const bool write = e.a & 1;
      const std::uint64_t address = e.c >> 32, value = e.c & 0xffffffffu;
      return std::string(write ? "write " : "read ") + hex32(address) + (write ? " <- " : " -> ") + hex32(value) + " (" +
             std::to_string(e.a >> 1) + " bytes) in the block at " + where(e.b, symbols);
    }
  }
  return "?";
}

// Each event: zigzag deltas of at, a, b, c against the previous event of the interval, then the
// text (length + bytes). Deltas keep a poll loop's repeats at a few bytes before compression.
void encode_events(const std::vector<StreamEvent>& events, std::vector<std::uint8_t>& out) {
  put_varint(out, events.size());
  StreamEvent prev;
  for (const StreamEvent& e : events) {
    put_varint(out, zigzag(e.at - prev.at));
    put_varint(out, zigzag(e.a - prev.a));
    put_varint(out, zigzag(e.b - prev.b));
    put_varint(out, zigzag(e.c - prev.c));
    put_varint(out, e.text.size());
    out.insert(out.end(), e.text.begin(), e.text.end());
    prev.at = e.at, prev.a = e.a, prev.b = e.b, prev.c = e.c;
  }
}

bool decode_events(std::span<const std::uint8_t>& in, std::vector<StreamEvent>& out) {
  std::uint64_t n = 0;
  if (!get_varint(in, n) || n > in.size()) return false;  // every event takes at least 5 bytes
  StreamEvent prev;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t d[4], len = 0;
    for (std::uint64_t& w : d)
      if (!get_varint(in, w)) return false;
    if (!get_varint(in, len) || len > in.size()) return false;
    StreamEvent e;
    e.at = prev.at + unzigzag(d[0]);
    e.a = prev.a + unzigzag(d[1]);
    e.b = prev.b + unzigzag(d[2]);
    e.c = prev.c + unzigzag(d[3]);
    e.text.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(len));
    in = in.subspan(len);
    prev = e;
    out.push_back(std::move(e));
  }
  return true;
}

SessionStreams::~SessionStreams() {
  *alive_ = false;
  detach();
}

void SessionStreams::attach(RunContext& ctx) {
  ctx_ = &ctx;
  emu::Machine& m = ctx.machine();
  for (const auto& p : m.board().peripherals)
    if (p.type == "uart" || p.type == "cmsdk-uart") uart_names_.push_back(p.name);
  uart_names_.push_back("semihost");  // semihosting output arrives as a UART named so
  m.set_trace_sink(this);
  ctx.set_output_tap(this);
  for (const auto& p : m.board().peripherals) {
    auto* link = dynamic_cast<periph::NetLink*>(m.device(p.name));
    if (link == nullptr) continue;
    // A link cannot drop an observer, and it outlives this object: the observer checks `alive_`.
    link->add_observer([this, alive = alive_](const periph::NetNote& n) {
      if (*alive && ctx_) add(Stream::Net, {n.when, n.conn, static_cast<std::uint64_t>(n.kind), 0, n.what});
    });
  }
}

void SessionStreams::detach() {
  if (!ctx_) return;
  ctx_->machine().set_trace_sink(nullptr);
  ctx_->set_output_tap(nullptr);
  ctx_ = nullptr;
}

void SessionStreams::start_interval() {
  for (auto& v : events_) v.clear();
}

namespace {
// Code addresses (an MMIO access's block, an exception's return address, a reset's or a fault's
// pc) are kept for reports but not compared: a rebuilt firmware moves its code, and what
// replay asks is whether the device behaves the same.
constexpr bool kComparesB[kStreamCount] = {true, true, true, true, false, true, true, false};
constexpr bool kComparesC[kStreamCount] = {true, true, true, true, true, true, false, true};
constexpr bool kComparesA[kStreamCount] = {true, true, true, true, true, false, true, true};
}  // namespace

bool same_event(Stream s, const StreamEvent& x, const StreamEvent& y) {
  const auto i = static_cast<std::size_t>(s);
  return x.at == y.at && (!kComparesA[i] || x.a == y.a) && (!kComparesB[i] || x.b == y.b) &&
         (!kComparesC[i] || x.c == y.c) && x.text == y.text;
}

void SessionStreams::add(Stream s, StreamEvent e) {
  const auto i = static_cast<std::size_t>(s);
  StreamSum& sum = sums_[i];
  fold(sum, e.at);
  fold(sum, kComparesA[i] ? e.a : 0);
  fold(sum, kComparesB[i] ? e.b : 0);
  fold(sum, kComparesC[i] ? e.c : 0);
  fold(sum, e.text.size());
  for (char ch : e.text) fold(sum, static_cast<std::uint8_t>(ch));
  ++sum.count;
  events_[static_cast<std::size_t>(s)].push_back(std::move(e));
}

void SessionStreams::traced(std::uint64_t kind, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  if (kind < emu::kTraceMmioLimit) add(Stream::Mmio, {b, kind, a, c, {}});
  else if (kind == emu::kTraceReset) add(Stream::Resets, {b, a, c, 0, {}});
  else if (kind == emu::kTraceExceptionEntry) add(Stream::Interrupts, {b, 0, a, c, {}});
  else if (kind == emu::kTraceExceptionReturn) add(Stream::Interrupts, {b, 1, a, c, {}});
  else if (kind == emu::kTraceFault) add(Stream::Faults, {b, a, 0, 0, {}});
}

void SessionStreams::uart_byte(emu::Ticks at, const std::string& uart, std::uint8_t byte) {
  std::uint64_t index = 0;
  while (index < uart_names_.size() && uart_names_[index] != uart) ++index;
  add(Stream::Uart, {at, index, byte, 0, {}});
}

void SessionStreams::pin_changed(emu::Ticks at, const std::string& pin, bool level) {
  add(Stream::Gpio, {at, level ? 1u : 0u, 0, 0, pin});
}

void SessionStreams::flash_op(const periph::FlashOp& op) {
  const std::uint64_t where = std::uint64_t(op.address) << 32 | op.size;
  if (op.end == 0) add(Stream::Flash, {op.start, 0, static_cast<std::uint64_t>(op.kind), where, {}});
  else add(Stream::Flash, {op.end, 1, static_cast<std::uint64_t>(op.kind), where, op.result});
}

}  // namespace hilsim::scen::rec
