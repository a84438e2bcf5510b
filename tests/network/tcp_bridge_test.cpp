// tcp_bridge: the device's connection forwarded to a real socket that the test itself listens
// on (127.0.0.1, port chosen by the kernel). The test plays the server between virtual-time
// steps, on the same thread. Also: a refused port, an unmapped destination, a peer RST.
#include "network/tcp_bridge.h"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "peripherals/fake_host.h"

using namespace hilsim::network;
using namespace hilsim::periph;
using hilsim::periph::test::FakeHost;
using hilsim::periph::test::make_config;

namespace {
constexpr std::uint32_t CMD = 0x00, ADDR = 0x04, PORT = 0x08, STATE = 0x0C, ERROR = 0x10, TXDATA = 0x1C,
                        RXDATA = 0x24, RXCOUNT = 0x28;
constexpr std::uint32_t kRouted = 0x0A000002;

// A listening socket on 127.0.0.1 (listen = false: bound but not listening, so connects are refused).
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;
  explicit Listener(bool listen = true) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    socklen_t len = sizeof sa;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    port = ntohs(sa.sin_port);
    if (listen) REQUIRE(::listen(fd, 4) == 0);
  }
  ~Listener() { ::close(fd); }
  int accept_one() {
    pollfd p{fd, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    int c = ::accept(fd, nullptr, nullptr);
    REQUIRE(c >= 0);
    return c;
  }
};

std::string recv_some(int fd, std::size_t want) {
  std::string out;
  char buf[256];
  while (out.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

struct Fixture {
  FakeHost host;
  NetLink net{make_config("net0", "net-link", 4), host};
  std::shared_ptr<TcpBridge> bridge = std::make_shared<TcpBridge>();
  Fixture(std::uint16_t port) {
    bridge->add_route({kRouted, 80, "127.0.0.1", port});
    net.set_backend(bridge);
  }
  std::uint32_t rd(std::uint32_t off) { return net.read(off, 4); }
  void wr(std::uint32_t off, std::uint32_t v) { net.write(off, 4, v); }
  std::uint32_t connect(std::uint32_t addr = kRouted) {
    wr(ADDR, addr);
    wr(PORT, 80);
    wr(CMD, NetLink::kCmdConnect);
    for (int i = 0; i < 4000 && rd(STATE) == NetLink::Connecting; ++i) host.step(64'000);
    return rd(STATE);
  }
  // Steps until the device leaves CONNECTED (or a wall-time-ish bound of steps), reading RX.
  std::string receive_until_closed() {
    std::string out;
    for (int i = 0; i < 20'000; ++i) {
      while (rd(RXCOUNT) > 0) out.push_back(static_cast<char>(rd(RXDATA)));
      if (rd(STATE) != NetLink::Connected) break;
      host.step(64'000);
      if (i % 100 == 99) ::usleep(1000);  // give the kernel a moment (loopback is near-instant)
    }
    while (rd(RXCOUNT) > 0) out.push_back(static_cast<char>(rd(RXDATA)));
    return out;
  }
};

}  // namespace

TEST_CASE("tcp bridge: request out, response back, FIN maps to PEER_CLOSED") {
  Listener server;
  Fixture f(server.port);
  REQUIRE(f.connect() == NetLink::Connected);
  int c = server.accept_one();
  for (char ch : std::string("PING /x\n")) f.wr(TXDATA, static_cast<std::uint8_t>(ch));
  f.host.step(f.net.latency() + 64'000);
  CHECK(recv_some(c, 8) == "PING /x\n");
  std::string reply(5000, 'r');
  reply += "END";
  REQUIRE(::send(c, reply.data(), reply.size(), 0) == static_cast<ssize_t>(reply.size()));
  ::close(c);  // FIN
  CHECK(f.receive_until_closed() == reply);
  CHECK(f.rd(STATE) == NetLink::PeerClosed);
  f.wr(CMD, NetLink::kCmdClose);
  CHECK(f.rd(STATE) == NetLink::Idle);
  CHECK_FALSE(f.bridge->connected());
}

TEST_CASE("tcp bridge: refused port, unmapped destination, peer RST") {
  SUBCASE("refused") {
    Listener closed(false);
    Fixture f(closed.port);
    CHECK(f.connect() == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrRefused);
  }
  SUBCASE("unmapped") {
    Listener server;
    Fixture f(server.port);
    CHECK(f.connect(0x0A000003) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrUnreachable);
  }
  SUBCASE("reset by the server") {
    Listener server;
    Fixture f(server.port);
    REQUIRE(f.connect() == NetLink::Connected);
    int c = server.accept_one();
    ::send(c, "ab", 2, 0);
    linger l{1, 0};
    ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(c);  // RST
    f.receive_until_closed();
    CHECK(f.rd(STATE) == NetLink::Error);
    CHECK(f.rd(ERROR) == NetLink::ErrReset);
  }
  SUBCASE("ABORT from the device closes the real socket") {
    Listener server;
    Fixture f(server.port);
    REQUIRE(f.connect() == NetLink::Connected);
    int c = server.accept_one();
    f.wr(CMD, NetLink::kCmdAbort);
    CHECK_FALSE(f.bridge->connected());
    char buf[4];
    pollfd p{c, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    CHECK(::recv(c, buf, sizeof buf, 0) <= 0);  // EOF or ECONNRESET
    ::close(c);
  }
}
