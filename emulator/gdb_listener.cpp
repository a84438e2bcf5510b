// A listening TCP socket for GDB servers (gdb_listener.h).
#include "emulator/gdb_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace hilsim::emu {

GdbListener::~GdbListener() {
  if (fd_ >= 0) ::close(fd_);
}

std::string GdbListener::open(const std::string& address, int port) {
  if (fd_ >= 0) return "already listening on " + address_ + ":" + std::to_string(port_);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) return "'" + address + "' is not an IPv4 address";
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
    std::string err = address + ":" + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    return err;
  }
  if (::listen(fd, 1) < 0) {
    std::string err = std::string("listen: ") + std::strerror(errno);
    ::close(fd);
    return err;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  fd_ = fd;
  port_ = ntohs(a.sin_port);
  address_ = address;
  return {};
}

}  // namespace hilsim::emu
