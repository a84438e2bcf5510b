// tcp_bridge: a live periph::NetBackend that forwards the net-link device's connection to a real
// TCP server on this machine (e.g. `python3 -m http.server 8000 --bind 127.0.0.1`), mapping the
// device's ADDR:PORT through a route table. NOT DETERMINISTIC: what arrives and when depends on
// the real server and the host's scheduler, and the real socket is not part of machine snapshots:
// restoring one with a bridged connection in flight is not supported (a connection serial the
// bridge does not hold a socket for is answered with RST). Use it for manual exploration,
// never in scenarios that need replay ids. No threads: the device polls it (non-blocking
// sockets, optionally waiting a little wall time per poll). IPv4 only, one connection at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "peripherals/net_link.h"

namespace hilsim::network {

class TcpBridge final : public periph::NetBackend {
 public:
  struct Route {
    std::uint32_t addr = 0;  // the device's ADDR (host order)
    std::uint16_t port = 0;  // the device's PORT
    std::string host = "127.0.0.1";  // dotted IPv4 of the real server
    std::uint16_t host_port = 0;
  };

  TcpBridge() = default;
  ~TcpBridge() override;
  TcpBridge(const TcpBridge&) = delete;
  TcpBridge& operator=(const TcpBridge&) = delete;

  void add_route(Route route) { routes_.push_back(std::move(route)); }
  // Each poll may block up to this many wall-clock milliseconds waiting for the real server
  // (0 = never block). A little waiting keeps a fast simulation from racing past a real server.
  void set_wait_ms(int ms) { wait_ms_ = ms; }
  bool connected() const { return fd_ >= 0 && !connecting_; }

  // periph::NetBackend
  periph::NetConnect connect(const periph::NetContext& ctx) override;
  periph::NetReply on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                    std::size_t fresh) override;
  void on_close(const periph::NetContext& ctx, bool abort) override;
  bool live() const override { return true; }
  periph::NetConnect poll_connect(const periph::NetContext& ctx) override;
  periph::NetReply poll(const periph::NetContext& ctx, std::size_t max_bytes) override;

 private:
  void shut(bool abort);
  bool flush();  // false: the connection broke

  std::vector<Route> routes_;
  int wait_ms_ = 0;
  int fd_ = -1;
  bool connecting_ = false;
  std::uint64_t conn_ = 0;  // the device connection this socket serves
  std::vector<std::uint8_t> out_;  // bytes the socket did not take yet
};

}  // namespace hilsim::network
