// net-link: registers, the connection state machine, timing in virtual time, flow control, IRQ
// levels, snapshots mid-transfer, every link fault and scope, and a live (polled) backend,
// through MMIO and FakeHost against small scripted backends.
#include "peripherals/net_link.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "peripherals/fake_host.h"
#include "peripherals/state_io.h"

using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t CMD = 0x00, ADDR = 0x04, PORT = 0x08, STATE = 0x0C, ERROR = 0x10, EVENTS = 0x14,
                        IRQEN = 0x18, TXDATA = 0x1C, TXFREE = 0x20, RXDATA = 0x24, RXCOUNT = 0x28, RXWORD = 0x2C,
                        TXTOTAL = 0x30, RXTOTAL = 0x34;
constexpr Ticks kLatency = 128'000;  // 2 ms at 64 MHz (the default)
constexpr Ticks kByte = 64;          // 1 MB/s at 64 MHz
constexpr std::uint32_t kServer = 0x0A000001;

// Answers once the request holds a line end: `response` (or a generated one of `size` bytes,
// byte i = i & 0xFF), then FIN (or RST, or nothing). Records every call.
struct ScriptBackend : NetBackend {
  NetConnect answer = NetConnect::Accept;
  std::vector<std::uint8_t> response;
  NetReply::End end = NetReply::End::Close;
  std::string terminator = "\n";
  struct Call {
    Ticks when;
    std::string request;
    std::size_t fresh;
  };
  std::vector<Call> calls;
  std::vector<std::pair<std::uint64_t, bool>> closes;
  int connects = 0;

  void generate(std::size_t size) {
    response.resize(size);
    for (std::size_t i = 0; i < size; ++i) response[i] = static_cast<std::uint8_t>(i);
  }
  NetConnect connect(const NetContext&) override {
    ++connects;
    return answer;
  }
  NetReply on_request_bytes(const NetContext& ctx, std::span<const std::uint8_t> req, std::size_t fresh) override {
    calls.push_back({ctx.now, std::string(req.begin(), req.end()), fresh});
    if (calls.back().request.find(terminator) == std::string::npos) return {};
    NetReply r;
    r.bytes = response;
    r.end = end;
    return r;
  }
  void on_close(const NetContext& ctx, bool abort) override { closes.emplace_back(ctx.conn, abort); }
};

struct Fixture {
  FakeHost host;
  NetLink net{make_config("net0", "net-link", 4), host};
  std::shared_ptr<ScriptBackend> backend = std::make_shared<ScriptBackend>();
  std::vector<NetNote> notes;
  Fixture() {
    net.set_backend(backend);
    net.add_observer([this](const NetNote& n) { notes.push_back(n); });
  }
  std::uint32_t rd(std::uint32_t off) { return net.read(off, 4); }
  void wr(std::uint32_t off, std::uint32_t v) { net.write(off, 4, v); }
  void connect(std::uint32_t addr = kServer, std::uint32_t port = 80) {
    wr(ADDR, addr);
    wr(PORT, port);
    wr(CMD, NetLink::kCmdConnect);
  }
  void connected() {
    connect();
    host.step(2 * kLatency);
    REQUIRE(rd(STATE) == NetLink::Connected);
  }
  void send(const std::string& s) {
    for (char c : s) wr(TXDATA, static_cast<std::uint8_t>(c));
  }
  std::vector<std::uint8_t> drain() {
    std::vector<std::uint8_t> out;
    while (rd(RXCOUNT) > 0) out.push_back(static_cast<std::uint8_t>(rd(RXDATA)));
    return out;
  }
  // Reads everything until the connection leaves CONNECTED, stepping `slice` at a time.
  std::vector<std::uint8_t> receive_all(Ticks slice = 10'000, Ticks limit = 64'000'000ull * 60) {
    std::vector<std::uint8_t> out;
    for (Ticks t = 0; t < limit; t += slice) {
      auto got = drain();
      out.insert(out.end(), got.begin(), got.end());
      if (rd(STATE) != NetLink::Connected) break;
      host.step(slice);
    }
    auto got = drain();
    out.insert(out.end(), got.begin(), got.end());
    return out;
  }
  bool noted(const std::string& what) const {
    for (const NetNote& n : notes)
      if (n.what.find(what) != std::string::npos) return true;
    return false;
  }
};

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i);
  return v;
}

}  // namespace

TEST_CASE("net-link: reset values and plain registers") {
  Fixture f;
  CHECK(f.rd(STATE) == NetLink::Idle);
  CHECK(f.rd(ERROR) == 0);
  CHECK(f.rd(EVENTS) == 0);
  CHECK(f.rd(TXFREE) == 512);
  CHECK(f.rd(RXCOUNT) == 0);
  CHECK(f.rd(RXDATA) == 0);
  f.wr(ADDR, 0x0A000001);
  CHECK(f.rd(ADDR) == 0x0A000001);
  f.wr(PORT, 8080);
  CHECK(f.rd(PORT) == 8080);
  f.wr(IRQEN, 0x1F);
  CHECK(f.rd(IRQEN) == 0x1F);
  CHECK(f.host.errors.empty());
  f.wr(PORT, 0x12345);  // bit 16 is not modelled
  CHECK(f.rd(PORT) == 0x2345);
  CHECK(f.host.errors.size() == 1);
  f.net.read(0x40, 4);  // unmapped
  CHECK(f.host.errors.size() == 2);
  CHECK(find_device_type("net-link") != nullptr);
}

TEST_CASE("net-link: CONNECT completes after two latencies and raises CONNECTED") {
  Fixture f;
  f.wr(IRQEN, NetLink::kEvConnected);
  f.connect();
  CHECK(f.rd(STATE) == NetLink::Connecting);
  f.host.step(2 * kLatency - 1);
  CHECK(f.rd(STATE) == NetLink::Connecting);
  CHECK_FALSE(f.host.irq(4));
  f.host.step(1);
  CHECK(f.rd(STATE) == NetLink::Connected);
  CHECK(f.rd(EVENTS) == NetLink::kEvConnected);
  CHECK(f.host.irq(4));
  f.wr(EVENTS, NetLink::kEvConnected);  // W1C
  CHECK(f.rd(EVENTS) == 0);
  CHECK_FALSE(f.host.irq(4));
  CHECK(f.backend->connects == 1);
  CHECK(f.net.connection() == 1);
}

TEST_CASE("net-link: refused, unreachable, no backend and timeout") {
  SUBCASE("refused") {
    Fixture f;
    f.backend->answer = NetConnect::Refuse;
    f.connect();
    f.host.step(2 * kLatency);
    CHECK(f.rd(STATE) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrRefused);
    CHECK((f.rd(EVENTS) & NetLink::kEvError) != 0);
  }
  SUBCASE("unreachable") {
    Fixture f;
    f.backend->answer = NetConnect::Unreachable;
    f.connect();
    f.host.step(2 * kLatency);
    CHECK(f.rd(ERROR) == NetLink::ErrUnreachable);
  }
  SUBCASE("no backend") {
    Fixture f;
    f.net.set_backend(nullptr);
    f.connect();
    f.host.step(2 * kLatency);
    CHECK(f.rd(STATE) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrUnreachable);
  }
  SUBCASE("timeout after connect-timeout-ms") {
    Fixture f;
    f.backend->answer = NetConnect::NoAnswer;
    f.connect();
    f.host.step(64'000ull * 3000 - 1);
    CHECK(f.rd(STATE) == NetLink::Connecting);
    f.host.step(1);
    CHECK(f.rd(STATE) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrTimeout);
  }
  SUBCASE("a new CONNECT after an error works and clears ERROR") {
    Fixture f;
    f.backend->answer = NetConnect::Refuse;
    f.connect();
    f.host.step(2 * kLatency);
    f.backend->answer = NetConnect::Accept;
    f.connect();
    CHECK(f.rd(ERROR) == 0);
    f.host.step(2 * kLatency);
    CHECK(f.rd(STATE) == NetLink::Connected);
    CHECK(f.net.connection() == 2);
  }
}

TEST_CASE("net-link: bad commands set ERROR=BAD_COMMAND without touching the connection") {
  Fixture f;
  f.wr(CMD, 7);
  CHECK(f.rd(ERROR) == NetLink::ErrBadCommand);
  CHECK(f.rd(STATE) == NetLink::Idle);
  f.connect(0, 80);
  CHECK(f.rd(STATE) == NetLink::Idle);
  f.connected();
  f.connect();
  CHECK(f.rd(STATE) == NetLink::Connected);
  CHECK(f.rd(ERROR) == NetLink::ErrBadCommand);
  CHECK(f.host.errors.size() == 3);
}

TEST_CASE("net-link: TX bytes reach the peer together, one latency after the last byte") {
  Fixture f;
  f.connected();
  f.wr(IRQEN, NetLink::kEvTxEmpty);
  Ticks t0 = f.host.now();
  f.send("GET /x");
  f.host.step(1000);
  f.send(" HTTP/1.1\r\n");
  CHECK(f.rd(TXFREE) == 512 - 17);
  CHECK(f.rd(TXTOTAL) == 17);
  f.host.step(kLatency - 1);
  CHECK(f.backend->calls.empty());
  f.host.step(1);
  REQUIRE(f.backend->calls.size() == 1);  // one segment, one call
  CHECK(f.backend->calls[0].when == t0 + 1000 + kLatency);
  CHECK(f.backend->calls[0].request == "GET /x HTTP/1.1\r\n");
  CHECK(f.backend->calls[0].fresh == 17);
  CHECK(f.rd(TXFREE) == 512);
  CHECK((f.rd(EVENTS) & NetLink::kEvTxEmpty) != 0);
  CHECK(f.host.irq(4));
}

TEST_CASE("net-link: bytes written far apart travel as separate segments; the request accumulates") {
  Fixture f;
  f.connected();
  f.backend->response = {'o', 'k'};
  f.send("ab");
  f.host.step(64'000);  // 1 ms > the 0.5 ms gathering window
  f.send("c\n");
  f.host.step(kLatency - 64'000);
  REQUIRE(f.backend->calls.size() == 1);
  CHECK(f.backend->calls[0].request == "ab");
  f.host.step(64'000);
  REQUIRE(f.backend->calls.size() == 2);
  CHECK(f.backend->calls[1].request == "abc\n");
  CHECK(f.backend->calls[1].fresh == 2);
}

TEST_CASE("net-link: TX FIFO full and TX while not connected lose the byte with a guest error") {
  Fixture f;
  f.wr(TXDATA, 'x');
  CHECK(f.host.errors.size() == 1);
  CHECK(f.rd(TXFREE) == 512);
  f.connected();
  for (int i = 0; i < 512; ++i) f.wr(TXDATA, 'a');
  CHECK(f.rd(TXFREE) == 0);
  f.wr(TXDATA, 'b');
  CHECK(f.host.errors.size() == 2);
  CHECK(f.rd(TXTOTAL) == 512);
}

TEST_CASE("net-link: the response arrives after latency at rate-bps, in chunks, then PEER_CLOSED") {
  Fixture f;
  f.backend->generate(1000);
  f.connected();
  f.wr(IRQEN, NetLink::kEvRx | NetLink::kEvClosed);
  f.send("GET\n");
  f.host.step(kLatency);  // the request is at the backend now
  Ticks at_server = f.host.now();
  f.host.step(kLatency + 256 * kByte - 1);
  CHECK(f.rd(RXCOUNT) == 0);
  CHECK_FALSE(f.host.irq(4));
  f.host.step(1);
  CHECK(f.rd(RXCOUNT) == 256);
  CHECK(f.host.irq(4));
  CHECK(f.host.now() == at_server + kLatency + 256 * kByte);
  f.host.step(744 * kByte - 1);
  CHECK(f.rd(RXCOUNT) == 768);
  CHECK(f.rd(STATE) == NetLink::Connected);
  f.host.step(1);
  CHECK(f.rd(RXCOUNT) == 1000);
  CHECK(f.rd(STATE) == NetLink::PeerClosed);
  CHECK((f.rd(EVENTS) & NetLink::kEvClosed) != 0);
  CHECK(f.drain() == pattern(1000));
  CHECK(f.rd(RXTOTAL) == 1000);
  f.wr(CMD, NetLink::kCmdClose);
  CHECK(f.rd(STATE) == NetLink::Idle);
  REQUIRE(f.backend->closes.size() == 1);
  CHECK_FALSE(f.backend->closes[0].second);
}

TEST_CASE("net-link: flow control holds bytes in the inbound queue until the firmware reads") {
  Fixture f;
  f.backend->generate(5000);
  f.connected();
  f.send("GET\n");
  f.host.step(1'000'000);
  CHECK(f.rd(RXCOUNT) == 2048);
  CHECK(f.net.inbound_pending() == 5000 - 2048);
  CHECK(f.rd(STATE) == NetLink::Connected);
  for (int i = 0; i < 100; ++i) f.rd(RXDATA);  // less than a chunk of room: no resume yet
  f.host.step(1'000'000);
  CHECK(f.rd(RXCOUNT) == 1948);
  for (int i = 0; i < 200; ++i) f.rd(RXDATA);  // 300 free: a chunk of 256 resumes after 256 bytes
  Ticks t = f.host.now();
  f.host.step(256 * kByte - 1);
  CHECK(f.rd(RXCOUNT) == 1748);
  f.host.step(1);
  CHECK(f.rd(RXCOUNT) == 2004);
  CHECK(f.host.now() == t + 256 * kByte);
  std::vector<std::uint8_t> got;
  for (int i = 0; i < 300; ++i) got.push_back(static_cast<std::uint8_t>(f.rd(RXDATA)));
  auto rest = f.receive_all();
  got.insert(got.end(), rest.begin(), rest.end());
  CHECK(got.size() == 5000 - 300);
  CHECK(std::equal(got.begin(), got.end(), pattern(5000).begin() + 300));
  CHECK(f.rd(STATE) == NetLink::PeerClosed);
}

TEST_CASE("net-link: the rate is measured in virtual time") {
  for (std::uint64_t rate : {1'000'000ull, 250'000ull, 64'000ull}) {
    FakeHost host;
    NetLink net(make_config("net0", "net-link", -1, {{"rate-bps", std::to_string(rate)}, {"latency-us", "500"}}), host);
    auto be = std::make_shared<ScriptBackend>();
    be->generate(64'000);
    net.set_backend(be);
    net.write(ADDR, 4, kServer);
    net.write(PORT, 4, 80);
    net.write(CMD, 4, 1);
    host.step(64'000);
    net.write(TXDATA, 4, '\n');
    Ticks last = 0;
    std::size_t got = 0;
    while (got < 64'000) {
      host.step(1000);
      while (net.read(RXCOUNT, 4) > 0) {
        net.read(RXDATA, 4);
        ++got;
        last = host.now();
      }
    }
    // 64,000 bytes at `rate`: 64 s * 1e6 / rate, plus two latencies and the polling slice.
    double seconds = static_cast<double>(last) / 64e6;
    double expected = 64'000.0 / static_cast<double>(rate) + 0.001 + 0.001;
    CHECK(seconds == doctest::Approx(expected).epsilon(0.01));
  }
}

TEST_CASE("net-link: RXWORD pops four bytes little-endian, only with four waiting") {
  Fixture f;
  f.backend->response = {1, 2, 3, 4, 5, 6};
  f.connected();
  f.send("\n");
  f.host.step(10 * kLatency);
  CHECK(f.rd(RXCOUNT) == 6);
  CHECK(f.rd(RXWORD) == 0x04030201u);
  CHECK(f.host.errors.empty());
  CHECK(f.rd(RXWORD) == 0);
  CHECK(f.host.errors.size() == 1);
  CHECK(f.rd(RXCOUNT) == 2);
  CHECK(f.rd(RXDATA) == 5);
}

TEST_CASE("net-link: ABORT drops everything at once; RST from the peer is ERROR RESET") {
  SUBCASE("abort") {
    Fixture f;
    f.backend->generate(4000);
    f.connected();
    f.send("\n");
    f.host.step(3 * kLatency);
    CHECK(f.rd(RXCOUNT) > 0);
    f.send("more");
    f.wr(CMD, NetLink::kCmdAbort);
    CHECK(f.rd(STATE) == NetLink::Idle);
    CHECK(f.rd(RXCOUNT) == 0);
    CHECK(f.rd(TXFREE) == 512);
    REQUIRE(f.backend->closes.size() == 1);
    CHECK(f.backend->closes[0].second);
    std::size_t calls = f.backend->calls.size();
    f.host.step(10 * kLatency);
    CHECK(f.backend->calls.size() == calls);  // nothing travels after the RST
    CHECK(f.rd(RXCOUNT) == 0);
  }
  SUBCASE("peer reset") {
    Fixture f;
    f.backend->response = {'a', 'b'};
    f.backend->end = NetReply::End::Reset;
    f.connected();
    f.send("\n");
    f.host.step(5 * kLatency);
    CHECK(f.rd(STATE) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrReset);
    CHECK(f.rd(RXCOUNT) == 2);  // what arrived before the RST stays readable
    f.wr(CMD, NetLink::kCmdClose);
    CHECK(f.rd(STATE) == NetLink::Idle);
  }
}

TEST_CASE("net-link: CLOSE with bytes still in TX waits for them, then goes IDLE") {
  Fixture f;
  f.backend->terminator = "never";
  f.connected();
  f.send("bye");
  f.wr(CMD, NetLink::kCmdClose);
  CHECK(f.rd(STATE) == NetLink::Connected);
  f.wr(TXDATA, 'x');  // refused while closing
  CHECK(f.host.errors.size() == 1);
  f.host.step(kLatency);
  CHECK(f.rd(STATE) == NetLink::Idle);
  REQUIRE(f.backend->calls.size() == 1);
  CHECK(f.backend->calls[0].request == "bye");
  REQUIRE(f.backend->closes.size() == 1);
  CHECK_FALSE(f.backend->closes[0].second);
}

TEST_CASE("net-link: a system reset drops the connection; faults stay") {
  Fixture f;
  f.net.add_fault(NetFault::refuse().always());
  f.backend->answer = NetConnect::Accept;
  f.net.clear_faults();
  f.net.add_fault(NetFault::drop(10).always());
  f.connected();
  f.wr(IRQEN, 0x1F);
  f.net.reset(ResetReason::Software);
  CHECK(f.rd(STATE) == NetLink::Idle);
  CHECK(f.rd(IRQEN) == 0);
  CHECK_FALSE(f.host.irq(4));
  REQUIRE(f.backend->closes.size() == 1);
  CHECK(f.backend->closes[0].second);
  CHECK(f.net.faults().size() == 1);
  CHECK(f.net.connection() == 1);
  CHECK(f.noted("reset"));
}

TEST_CASE("net-link: snapshot mid-transfer, restore elsewhere, identical bytes and events after") {
  auto run = [](Fixture& f, Ticks until) {
    std::vector<std::pair<Ticks, std::uint32_t>> trace;
    while (f.host.now() < until) {
      f.host.step(7'777);
      std::uint32_t n = f.rd(RXCOUNT);
      for (std::uint32_t i = 0; i < (n + 1) / 2; ++i) trace.emplace_back(f.host.now(), f.rd(RXDATA));
      trace.emplace_back(f.host.now(), f.rd(STATE) << 8 | f.rd(EVENTS));
    }
    return trace;
  };
  Fixture a;
  a.backend->generate(20'000);
  a.net.add_fault(NetFault::corrupt(9000, 0x5A, 3));
  a.net.add_fault(NetFault::stall(12'000, 5'000'000));
  a.net.add_fault(NetFault::drop(300).on_path("/other"));
  a.wr(IRQEN, 0x1F);
  a.connected();
  a.send("GET /x HTTP/1.1\n");
  a.host.step(3 * kLatency + 3000 * kByte);  // mid-response, inbound queue and RX FIFO busy
  CHECK(a.net.inbound_pending() > 0);
  CHECK(a.rd(RXCOUNT) > 0);
  std::vector<std::uint8_t> blob = save_state(a.net);

  Fixture b;
  b.backend->generate(20'000);
  b.host.step(a.host.now());
  std::string why;
  REQUIRE(load_state(b.net, blob, &why));
  for (const char* name : {"net0.connect", "net0.tx", "net0.rx", "net0.poll"}) {
    EventId ea = a.host.event(name), eb = b.host.event(name);
    if (a.host.is_scheduled(ea)) b.host.schedule(eb, a.host.due_at(ea) - a.host.now());
  }
  CHECK(b.net.faults().size() == a.net.faults().size());
  CHECK(state_hash(b.net) == state_hash(a.net));
  CHECK(b.host.irq(4) == a.host.irq(4));

  Ticks end = a.host.now() + 64'000'000ull;
  auto ta = run(a, end);
  auto tb = run(b, end);
  CHECK(ta == tb);
  CHECK(a.rd(STATE) == NetLink::PeerClosed);
  CHECK(state_hash(b.net) == state_hash(a.net));
  CHECK(a.noted("stalled 5 ms"));
  CHECK(b.noted("corrupted 3 byte(s) at response byte 9000 (xor 0x5a)"));
}

// ----- link faults -------------------------------------------------------------------------------

TEST_CASE("net-link faults: drop after N bytes is ERROR RESET with exactly N bytes delivered") {
  Fixture f;
  f.backend->generate(3000);
  f.net.add_fault(NetFault::drop(1200));
  f.connected();
  f.send("GET /a HTTP/1.1\n");
  auto got = f.receive_all();
  CHECK(got == std::vector<std::uint8_t>(pattern(1200)));
  CHECK(f.rd(STATE) == NetLink::Error);
  CHECK(f.rd(ERROR) == NetLink::ErrReset);
  CHECK(f.noted("dropped connection after 1200 bytes"));
  CHECK(f.net.faults().empty());  // scope "next" is used up
}

TEST_CASE("net-link faults: truncate after N bytes is a clean FIN") {
  Fixture f;
  f.backend->generate(3000);
  f.net.add_fault(NetFault::truncate(777));
  f.connected();
  f.send("\n");
  auto got = f.receive_all();
  CHECK(got == pattern(777));
  CHECK(f.rd(STATE) == NetLink::PeerClosed);
  CHECK(f.rd(ERROR) == 0);
  CHECK(f.noted("truncated response after 777 bytes"));
}

TEST_CASE("net-link faults: truncate or drop past the end change nothing but drop at the end resets") {
  Fixture f;
  f.backend->generate(100);
  f.net.add_fault(NetFault::truncate(100));
  f.connected();
  f.send("\n");
  CHECK(f.receive_all().size() == 100);
  CHECK(f.rd(STATE) == NetLink::PeerClosed);
  CHECK_FALSE(f.noted("truncated"));
  f.wr(CMD, NetLink::kCmdClose);
  f.net.add_fault(NetFault::drop(100));
  f.connected();
  f.send("\n");
  CHECK(f.receive_all().size() == 100);
  CHECK(f.rd(ERROR) == NetLink::ErrReset);
}

TEST_CASE("net-link faults: corrupt XORs bytes at response offsets") {
  Fixture f;
  f.backend->generate(600);
  f.net.add_fault(NetFault::corrupt(10));
  f.net.add_fault(NetFault::corrupt(255, 0x01, 3));  // straddles the first chunk boundary
  f.connected();
  f.send("\n");
  auto got = f.receive_all();
  auto want = pattern(600);
  want[10] ^= 0xFF;
  for (int i = 255; i < 258; ++i) want[i] ^= 0x01;
  CHECK(got == want);
  CHECK(f.noted("corrupted 1 byte(s) at response byte 10 (xor 0xff)"));
  CHECK(f.noted("corrupted 3 byte(s) at response byte 255 (xor 0x01)"));
}

TEST_CASE("net-link faults: stall for T at offset N delays the rest by T") {
  Fixture f;
  f.backend->generate(1000);
  f.net.add_fault(NetFault::stall(500, 250'000'000));  // 250 ms
  f.connected();
  f.send("\n");
  f.host.step(kLatency);
  Ticks at_server = f.host.now();
  f.host.step(kLatency + 500 * kByte);
  CHECK(f.rd(RXCOUNT) == 500);
  f.host.step(16'000'000 + 256 * kByte - 1);
  CHECK(f.rd(RXCOUNT) == 500);
  f.host.step(1);
  CHECK(f.rd(RXCOUNT) == 756);
  CHECK(f.host.now() == at_server + kLatency + 756 * kByte + 16'000'000);
  CHECK(f.noted("stalled 250 ms at response byte 500"));
}

TEST_CASE("net-link faults: refuse and slow") {
  Fixture f;
  f.net.add_fault(NetFault::refuse());
  f.connect();
  f.host.step(2 * kLatency);
  CHECK(f.rd(ERROR) == NetLink::ErrRefused);
  CHECK(f.backend->connects == 0);
  CHECK(f.noted("refused connection to 10.0.0.1:80"));
  CHECK_THROWS_AS(f.net.add_fault(NetFault::refuse().on_path("/x")), std::invalid_argument);

  f.net.add_fault(NetFault::slow(10'000));  // 6400 ticks per byte
  f.backend->generate(100);
  f.connected();
  f.send("\n");
  f.host.step(kLatency);
  Ticks at_server = f.host.now();
  f.host.step(kLatency + 100 * 6400 - 1);
  CHECK(f.rd(RXCOUNT) == 0);
  f.host.step(1);
  CHECK(f.rd(RXCOUNT) == 100);
  CHECK(f.host.now() == at_server + kLatency + 640'000);
  CHECK(f.noted("slow link: 10000 B/s"));
}

TEST_CASE("net-link faults: scopes next, next K, all, and path prefixes") {
  auto attempt = [](Fixture& f, const std::string& path) {
    if (f.rd(STATE) != NetLink::Idle) f.wr(CMD, NetLink::kCmdAbort);
    f.connected();
    f.send("GET " + path + " HTTP/1.1\n");
    return f.receive_all().size();
  };
  SUBCASE("next") {
    Fixture f;
    f.backend->generate(500);
    f.net.add_fault(NetFault::truncate(10));
    CHECK(attempt(f, "/a") == 10);
    CHECK(attempt(f, "/a") == 500);
  }
  SUBCASE("next K") {
    Fixture f;
    f.backend->generate(500);
    f.net.add_fault(NetFault::truncate(10).next(3));
    CHECK(f.net.faults()[0].scope == NetFault::Scope::Count);
    for (int i = 0; i < 3; ++i) CHECK(attempt(f, "/a") == 10);
    CHECK(attempt(f, "/a") == 500);
    CHECK(f.net.faults().empty());
  }
  SUBCASE("all until cleared") {
    Fixture f;
    f.backend->generate(500);
    f.net.add_fault(NetFault::truncate(10).always());
    for (int i = 0; i < 5; ++i) CHECK(attempt(f, "/a") == 10);
    f.net.clear_faults();
    CHECK(attempt(f, "/a") == 500);
  }
  SUBCASE("path prefix: other paths pass and do not use the fault up") {
    Fixture f;
    f.backend->generate(500);
    f.net.add_fault(NetFault::truncate(10).on_path("/bundles/"));
    CHECK(attempt(f, "/manifest") == 500);
    CHECK(attempt(f, "/bundles?x") == 500);
    CHECK(attempt(f, "/bundles/app.bin?v=2") == 10);
    CHECK(attempt(f, "/bundles/app.bin") == 500);
    CHECK(to_string(NetFault::truncate(10).next(2).on_path("/b/")) ==
          "truncate after 10 bytes (next 2 connections, path /b/)");
  }
  SUBCASE("refuse scopes count connections") {
    Fixture f;
    f.net.add_fault(NetFault::refuse().next(2));
    for (int i = 0; i < 3; ++i) {
      f.connect();
      f.host.step(2 * kLatency);
      CHECK(f.rd(STATE) == (i < 2 ? NetLink::Error : NetLink::Connected));
      f.wr(CMD, NetLink::kCmdAbort);
    }
  }
}

// ----- a live backend (polled, like the TCP bridge) ----------------------------------------------

namespace {
struct LiveBackend : NetBackend {
  int connect_polls = 0;
  std::string received;
  std::vector<std::uint8_t> to_send;
  bool close = false;
  NetConnect connect(const NetContext&) override { return NetConnect::Pending; }
  NetConnect poll_connect(const NetContext&) override {
    return ++connect_polls < 3 ? NetConnect::Pending : NetConnect::Accept;
  }
  NetReply on_request_bytes(const NetContext&, std::span<const std::uint8_t> req, std::size_t fresh) override {
    CHECK(req.size() == fresh);
    received.append(req.begin(), req.end());
    return {};
  }
  bool live() const override { return true; }
  NetReply poll(const NetContext&, std::size_t max) override {
    NetReply r;
    std::size_t n = std::min(max, to_send.size());
    r.bytes.assign(to_send.begin(), to_send.begin() + static_cast<std::ptrdiff_t>(n));
    to_send.erase(to_send.begin(), to_send.begin() + static_cast<std::ptrdiff_t>(n));
    if (close && to_send.empty()) r.end = NetReply::End::Close;
    return r;
  }
};
}  // namespace

TEST_CASE("net-link: a live backend is polled for its connect and its data") {
  FakeHost host;
  NetLink net(make_config("net0", "net-link", 4), host);
  auto live = std::make_shared<LiveBackend>();
  net.set_backend(live);
  net.write(ADDR, 4, kServer);
  net.write(PORT, 4, 80);
  net.write(CMD, 4, 1);
  host.step(2 * kLatency + 2 * 64'000);
  CHECK(net.read(STATE, 4) == NetLink::Connecting);
  host.step(64'000);
  CHECK(net.read(STATE, 4) == NetLink::Connected);
  for (char c : std::string("hello")) net.write(TXDATA, 4, static_cast<std::uint8_t>(c));
  host.step(kLatency);
  CHECK(live->received == "hello");
  live->to_send = pattern(3000);
  host.step(5 * kLatency);
  CHECK(net.read(RXCOUNT, 4) == 2048);
  std::vector<std::uint8_t> got;
  live->close = true;
  for (int i = 0; i < 200 && net.read(STATE, 4) == NetLink::Connected; ++i) {
    while (net.read(RXCOUNT, 4)) got.push_back(static_cast<std::uint8_t>(net.read(RXDATA, 4)));
    host.step(64'000);
  }
  while (net.read(RXCOUNT, 4)) got.push_back(static_cast<std::uint8_t>(net.read(RXDATA, 4)));
  CHECK(got == pattern(3000));
  CHECK(net.read(STATE, 4) == NetLink::PeerClosed);
}
