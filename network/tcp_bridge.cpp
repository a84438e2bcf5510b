// tcp_bridge: route lookup, non-blocking connect/send/recv on one real IPv4 socket. See
// tcp_bridge.h (non-deterministic by nature). Errors map to what the device reports: connect
// refused -> REFUSED, other connect failures -> UNREACHABLE, a broken connection -> RST.
#include "network/tcp_bridge.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hilsim::network {

using periph::NetConnect;
using periph::NetReply;

namespace {
NetReply reset_reply() {
  NetReply r;
  r.end = NetReply::End::Reset;
  return r;
}
}  // namespace

TcpBridge::~TcpBridge() { shut(true); }

void TcpBridge::shut(bool abort) {
  if (fd_ < 0) return;
  if (abort) {
    linger l{1, 0};  // close with RST
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else {
    flush();
  }
  ::close(fd_);
  fd_ = -1;
  connecting_ = false;
  out_.clear();
}

bool TcpBridge::flush() {
  while (!out_.empty()) {
    ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      out_.erase(out_.begin(), out_.begin() + n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }
  return true;
}

NetConnect TcpBridge::connect(const periph::NetContext& ctx) {
  shut(true);  // whatever an earlier connection left behind
  const Route* route = nullptr;
  for (const Route& r : routes_)
    if (r.addr == ctx.addr && r.port == ctx.port) route = &r;
  if (!route) return NetConnect::Unreachable;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(route->host_port);
  if (::inet_pton(AF_INET, route->host.c_str(), &sa.sin_addr) != 1) return NetConnect::Unreachable;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return NetConnect::Unreachable;
  conn_ = ctx.conn;
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) return NetConnect::Accept;
  int err = errno;
  if (err == EINPROGRESS) {
    connecting_ = true;
    return NetConnect::Pending;
  }
  shut(true);
  return err == ECONNREFUSED ? NetConnect::Refuse : NetConnect::Unreachable;
}

NetConnect TcpBridge::poll_connect(const periph::NetContext& ctx) {
  if (fd_ < 0 || ctx.conn != conn_) return NetConnect::Refuse;
  if (!connecting_) return NetConnect::Accept;
  pollfd p{fd_, POLLOUT, 0};
  if (::poll(&p, 1, wait_ms_) <= 0) return NetConnect::Pending;
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err == 0) {
    connecting_ = false;
    return NetConnect::Accept;
  }
  shut(true);
  return err == ECONNREFUSED ? NetConnect::Refuse : NetConnect::Unreachable;
}

NetReply TcpBridge::on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                     std::size_t fresh) {
  if (fd_ < 0 || ctx.conn != conn_) return reset_reply();
  out_.insert(out_.end(), request.end() - static_cast<std::ptrdiff_t>(fresh), request.end());
  if (!flush()) {
    shut(true);
    return reset_reply();
  }
  return {};
}

NetReply TcpBridge::poll(const periph::NetContext& ctx, std::size_t max_bytes) {
  if (fd_ < 0 || ctx.conn != conn_) return reset_reply();
  if (!flush()) {
    shut(true);
    return reset_reply();
  }
  if (wait_ms_ > 0) {
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, wait_ms_);
  }
  NetReply reply;
  std::uint8_t buf[4096];
  while (reply.bytes.size() < max_bytes) {
    std::size_t want = std::min(sizeof buf, max_bytes - reply.bytes.size());
    ssize_t n = ::recv(fd_, buf, want, MSG_DONTWAIT);
    if (n > 0) {
      reply.bytes.insert(reply.bytes.end(), buf, buf + n);
    } else if (n == 0) {
      reply.end = NetReply::End::Close;
      shut(false);
      break;
    } else if (errno == EINTR) {
      continue;
    } else {
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        reply.end = NetReply::End::Reset;
        shut(true);
      }
      break;
    }
  }
  return reply;
}

void TcpBridge::on_close(const periph::NetContext& ctx, bool abort) {
  if (ctx.conn == conn_) shut(abort);
}

}  // namespace hilsim::network
