// update_server: every response the server gives, through a net-link device in virtual time
// (FakeHost): 200, 206 for each Range form, 416, 404, 405, 400 (junk, oversize, missing Host),
// forced 5xx, HEAD, address/port handling, the request log, path-matched link faults,
// save/load, and a seeded fuzz of random firmware behaviour that must never crash.
#include "network/update_server.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <random>

#include "peripherals/fake_host.h"
#include "peripherals/net_link.h"

using namespace hilsim::network;
using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t CMD = 0x00, ADDR = 0x04, PORT = 0x08, STATE = 0x0C, ERROR = 0x10, EVENTS = 0x14,
                        IRQEN = 0x18, TXDATA = 0x1C, TXFREE = 0x20, RXDATA = 0x24, RXCOUNT = 0x28, RXWORD = 0x2C;
constexpr std::uint32_t kServer = 0x0A000001;

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names as sent
  std::string body;
  std::string raw;
};

Response parse_response(const std::string& raw) {
  Response r;
  r.raw = raw;
  std::size_t end = raw.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  std::string head = raw.substr(0, end);
  r.body = raw.substr(end + 4);
  REQUIRE(head.rfind("HTTP/1.1 ", 0) == 0);
  r.status = std::stoi(head.substr(9, 3));
  for (std::size_t at = head.find("\r\n"); at != std::string::npos;) {
    std::size_t next = head.find("\r\n", at + 2);
    std::string line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
    std::size_t colon = line.find(": ");
    if (colon != std::string::npos) r.headers[line.substr(0, colon)] = line.substr(colon + 2);
    at = next;
  }
  return r;
}

std::vector<std::uint8_t> pattern(std::size_t n, unsigned seed = 7) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 31 + seed);
  return v;
}

struct Fixture {
  FakeHost host;
  NetLink net{make_config("net0", "net-link", 4), host};
  std::shared_ptr<UpdateServer> server = std::make_shared<UpdateServer>();
  std::vector<NetNote> notes;
  Fixture() {
    net.set_backend(server);
    net.add_observer([this](const NetNote& n) { notes.push_back(n); });
    server->put("/manifest", {'{', '}', '\n'}, "application/json");
    server->put("/bundles/app-1.bin", pattern(3000));
  }
  std::uint32_t rd(std::uint32_t off) { return net.read(off, 4); }
  void wr(std::uint32_t off, std::uint32_t v) { net.write(off, 4, v); }

  // CONNECT and wait for the outcome; returns STATE.
  std::uint32_t connect(std::uint32_t addr = kServer, std::uint32_t port = 80) {
    if (rd(STATE) != NetLink::Idle) wr(CMD, NetLink::kCmdAbort);
    wr(ADDR, addr);
    wr(PORT, port);
    wr(CMD, NetLink::kCmdConnect);
    for (int i = 0; i < 100 && rd(STATE) == NetLink::Connecting; ++i) host.step(64'000);
    return rd(STATE);
  }
  // Sends the request (in pieces of `piece` bytes, `gap` ticks apart) and reads until the peer closes.
  std::string exchange(const std::string& request, std::size_t piece = 512, Ticks gap = 0) {
    REQUIRE(connect() == NetLink::Connected);
    for (std::size_t at = 0; at < request.size(); at += piece) {
      for (std::size_t i = at; i < std::min(request.size(), at + piece); ++i)
        wr(TXDATA, static_cast<std::uint8_t>(request[i]));
      host.step(gap);
    }
    std::string out;
    for (int i = 0; i < 100'000; ++i) {
      while (rd(RXCOUNT) > 0) out.push_back(static_cast<char>(rd(RXDATA)));
      if (rd(STATE) != NetLink::Connected) break;
      host.step(20'000);
    }
    while (rd(RXCOUNT) > 0) out.push_back(static_cast<char>(rd(RXDATA)));
    CHECK(rd(STATE) == NetLink::PeerClosed);  // every response ends with FIN
    wr(CMD, NetLink::kCmdClose);
    return out;
  }
  Response get(const std::string& path, const std::string& extra = "", const std::string& method = "GET") {
    return parse_response(exchange(method + " " + path + " HTTP/1.1\r\nHost: 10.0.0.1\r\n" + extra + "\r\n"));
  }
};

std::string text(const std::vector<std::uint8_t>& v, std::size_t from = 0, std::size_t n = std::string::npos) {
  std::string s(v.begin(), v.end());
  return s.substr(from, n);
}

}  // namespace

TEST_CASE("update server: 200 with Content-Length, Connection: close, no Date, then FIN") {
  Fixture f;
  Response r = f.get("/bundles/app-1.bin");
  CHECK(r.status == 200);
  CHECK(r.headers["Content-Length"] == "3000");
  CHECK(r.headers["Content-Type"] == "application/octet-stream");
  CHECK(r.headers["Connection"] == "close");
  CHECK(r.headers["Accept-Ranges"] == "bytes");
  CHECK(r.headers["ETag"].size() == 18);
  CHECK(r.headers.count("Date") == 0);
  CHECK(r.body == text(pattern(3000)));
  REQUIRE(f.server->log().size() == 1);
  const UpdateServer::LogEntry& e = f.server->log()[0];
  CHECK(e.method == "GET");
  CHECK(e.path == "/bundles/app-1.bin");
  CHECK(e.range.empty());
  CHECK(e.status == 200);
  CHECK(e.bytes == 3000);
  CHECK(e.conn == 1);
  CHECK(e.when > 0);
  // The same request gives the same bytes.
  Fixture g;
  CHECK(g.get("/bundles/app-1.bin").raw == r.raw);
  CHECK(f.get("/manifest").headers["Content-Type"] == "application/json");
}

TEST_CASE("update server: 206 for each Range form") {
  Fixture f;
  auto data = pattern(3000);
  struct Case {
    const char* range;
    std::size_t first, last;
  };
  for (Case c : {Case{"bytes=10-19", 10, 19}, Case{"bytes=2990-", 2990, 2999}, Case{"bytes=-5", 2995, 2999},
                 Case{"bytes=100-99999", 100, 2999}, Case{"bytes=-5000", 0, 2999}, Case{"bytes=0-0", 0, 0}}) {
    CAPTURE(c.range);
    Response r = f.get("/bundles/app-1.bin", std::string("Range: ") + c.range + "\r\n");
    CHECK(r.status == 206);
    CHECK(r.headers["Content-Range"] == "bytes " + std::to_string(c.first) + "-" + std::to_string(c.last) + "/3000");
    CHECK(r.headers["Content-Length"] == std::to_string(c.last - c.first + 1));
    CHECK(r.body == text(data, c.first, c.last - c.first + 1));
    CHECK(f.server->log().back().range == c.range);
    CHECK(f.server->log().back().status == 206);
  }
}

TEST_CASE("update server: 416 for unsatisfiable ranges, 200 for ignored ones") {
  Fixture f;
  for (const char* range : {"bytes=3000-", "bytes=5000-6000", "bytes=-0"}) {
    CAPTURE(range);
    Response r = f.get("/bundles/app-1.bin", std::string("Range: ") + range + "\r\n");
    CHECK(r.status == 416);
    CHECK(r.headers["Content-Range"] == "bytes */3000");
  }
  f.server->put("/empty", {});
  Response e = f.get("/empty", "Range: bytes=0-\r\n");
  CHECK(e.status == 416);
  CHECK(e.headers["Content-Range"] == "bytes */0");
  CHECK(f.get("/empty").status == 200);
  for (const char* range : {"items=0-1", "bytes=5-1", "bytes=0-1,5-6"}) {
    CAPTURE(range);
    Response r = f.get("/bundles/app-1.bin", std::string("Range: ") + range + "\r\n");
    CHECK(r.status == 200);
    CHECK(r.body.size() == 3000);
  }
}

TEST_CASE("update server: 404, 405, HEAD") {
  Fixture f;
  CHECK(f.get("/nope").status == 404);
  CHECK(f.server->log().back().status == 404);
  Response post = f.get("/manifest", "", "POST");
  CHECK(post.status == 405);
  CHECK(post.headers["Allow"] == "GET, HEAD");
  CHECK(f.get("/manifest", "", "DELETE").status == 405);
  Response head = f.get("/bundles/app-1.bin", "", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.headers["Content-Length"] == "3000");
  CHECK(head.body.empty());
  CHECK(f.server->log().back().method == "HEAD");
  CHECK(f.server->log().back().bytes == 0);
  Response head_range = f.get("/bundles/app-1.bin", "Range: bytes=0-9\r\n", "HEAD");
  CHECK(head_range.status == 206);
  CHECK(head_range.body.empty());
  CHECK(f.get("/nope", "", "HEAD").body.empty());
  CHECK(f.server->remove("/manifest"));
  CHECK_FALSE(f.server->remove("/manifest"));
  CHECK(f.get("/manifest").status == 404);
}

TEST_CASE("update server: 400 on junk, on oversize headers, on a missing Host") {
  Fixture f;
  Response junk = parse_response(f.exchange(std::string("\x16\x03\x01\x02\x00garbage", 12)));
  CHECK(junk.status == 400);
  CHECK(f.server->log().back().status == 400);
  std::string big = "GET /manifest HTTP/1.1\r\nHost: 10.0.0.1\r\nX-Pad: " + std::string(9000, 'p') + "\r\n\r\n";
  Response over = parse_response(f.exchange(big, 400, 150'000));  // TX FIFO is 512: pieces that drain
  CHECK(over.status == 400);
  CHECK(parse_response(f.exchange("GET /manifest HTTP/1.1\r\n\r\n")).status == 400);
  CHECK(f.server->log().size() == 3);
}

TEST_CASE("update server: a request split across many segments is answered once, when complete") {
  Fixture f;
  Response r = parse_response(f.exchange("GET /manifest HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n", 3, 100'000));
  CHECK(r.status == 200);
  CHECK(r.body == "{}\n");
  CHECK(f.server->log().size() == 1);
}

TEST_CASE("update server: force_status gives 500/503 to the next K matching requests") {
  Fixture f;
  f.server->force_status("/bundles/", 500, 2);
  CHECK(f.get("/manifest").status == 200);
  CHECK(f.get("/bundles/app-1.bin").status == 500);
  CHECK(f.get("/bundles/nope").status == 500);  // forced before the lookup
  CHECK(f.get("/bundles/app-1.bin").status == 200);
  f.server->force_status("/", 503, 0);  // until clear()
  for (int i = 0; i < 3; ++i) CHECK(f.get("/manifest").status == 503);
  CHECK_THROWS_AS(f.server->force_status("/", 200), std::invalid_argument);
  f.server->clear();
  CHECK(f.get("/manifest").status == 404);
  CHECK(f.server->paths().empty());
}

TEST_CASE("update server: other addresses are unreachable, other ports refused") {
  Fixture f;
  CHECK(f.connect(0x0A000002, 80) == NetLink::Error);
  CHECK(f.rd(ERROR) == NetLink::ErrUnreachable);
  CHECK(f.connect(kServer, 8080) == NetLink::Error);
  CHECK(f.rd(ERROR) == NetLink::ErrRefused);
  UpdateServer::Options o;
  o.address = 0xC0A80001;
  o.port = 8080;
  f.net.set_backend(std::make_shared<UpdateServer>(o));
  CHECK(f.connect(0xC0A80001, 8080) == NetLink::Connected);
}

TEST_CASE("update server: link faults matched by request path, reported to observers") {
  Fixture f;
  f.net.add_fault(NetFault::drop(1200).on_path("/bundles/"));
  f.net.add_fault(NetFault::corrupt(0, 0x20).on_path("/manifest"));
  std::string m = f.exchange("GET /manifest HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n");
  CHECK(m.rfind("hTTP/1.1 200", 0) == 0);  // 'H' ^ 0x20
  REQUIRE(f.connect() == NetLink::Connected);
  std::string req = "GET /bundles/app-1.bin HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n";
  for (char c : req) f.wr(TXDATA, static_cast<std::uint8_t>(c));
  std::string got;
  for (int i = 0; i < 1000 && f.rd(STATE) == NetLink::Connected; ++i) {
    while (f.rd(RXCOUNT) > 0) got.push_back(static_cast<char>(f.rd(RXDATA)));
    f.host.step(20'000);
  }
  while (f.rd(RXCOUNT) > 0) got.push_back(static_cast<char>(f.rd(RXDATA)));
  CHECK(got.size() == 1200);
  CHECK(f.rd(STATE) == NetLink::Error);
  CHECK(f.rd(ERROR) == NetLink::ErrReset);
  bool seen = false;
  for (const NetNote& n : f.notes)
    seen |= n.kind == NetNote::Kind::Fault && n.what == "dropped connection after 1200 bytes";
  CHECK(seen);
  CHECK(f.net.faults().empty());
}

TEST_CASE("update server: save and load carry files and forced statuses") {
  UpdateServer a;
  a.put("/x", {1, 2, 3}, "text/plain");
  a.force_status("/y", 503, 4);
  std::vector<std::uint8_t> blob = a.save();
  UpdateServer b;
  b.put("/other", {9});
  CHECK(b.load(blob).empty());
  REQUIRE(b.find("/x"));
  CHECK(b.find("/x")->bytes == std::vector<std::uint8_t>{1, 2, 3});
  CHECK(b.find("/x")->content_type == "text/plain");
  CHECK(b.find("/other") == nullptr);
  CHECK(b.save() == blob);
  blob.pop_back();
  CHECK_FALSE(b.load(blob).empty());
  CHECK(b.find("/x"));  // a bad blob changes nothing
}

TEST_CASE("update server: random firmware behaviour never crashes (seeded fuzz)") {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    CAPTURE(seed);
    Fixture f;
    f.net.add_fault(NetFault::stall(100, 1'000'000).always());
    f.net.add_fault(NetFault::corrupt(7, 0x55, 40).next(5));
    std::mt19937 rng(seed);
    auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
    const std::vector<std::string> pieces = {"GET ", "HEAD ", "/bundles/app-1.bin", "/manifest", " HTTP/1.1", "\r\n",
                                             "Host: a", "Range: bytes=", "-", "5", "\n", ":", " ", "\x01", "\xff"};
    for (int i = 0; i < 4000; ++i) {
      switch (pick(10)) {
        case 0: f.wr(ADDR, pick(4) == 0 ? rng() : kServer); [[fallthrough]];
        case 1: f.wr(PORT, pick(4) == 0 ? rng() & 0xFFFF : 80); f.wr(CMD, 1 + pick(4)); break;
        case 2:
          for (std::uint32_t n = pick(64); n > 0; --n) f.wr(TXDATA, rng() & 0xFF);
          break;
        case 3:
          for (char c : pieces[pick(static_cast<std::uint32_t>(pieces.size()))])
            f.wr(TXDATA, static_cast<std::uint8_t>(c));
          break;
        case 4:
          for (std::uint32_t n = pick(3000); n > 0; --n) f.rd(pick(2) ? RXDATA : RXWORD);
          break;
        case 5: f.wr(EVENTS, rng()); f.wr(IRQEN, rng() & 0x1F); break;
        case 6: f.net.write(pick(0x40) & ~3u, 1u << pick(3), rng()); break;
        case 7: f.net.read(pick(0x40), 4); break;
        default: f.host.step(pick(400'000)); break;
      }
      CHECK(f.rd(STATE) <= NetLink::Error);
      CHECK(f.rd(RXCOUNT) <= NetLink::kRxDepth);
      CHECK(f.rd(TXFREE) <= NetLink::kTxDepth);
      CHECK(f.host.irq(4) == ((f.rd(EVENTS) & f.rd(IRQEN)) != 0));
    }
    f.host.step(64'000'000);
    CHECK(f.net.connection() > 50);  // the loop really exercised connections and answers
    CHECK(f.server->log().size() > 5);
  }
}
