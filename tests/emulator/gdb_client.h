// Test helpers for the GDB server, shared by tests/emulator (hilsim boot/run --gdb) and tests/gui
// (hilsim gui --gdb): a child process with its output in one pipe, gdb-multiarch in batch mode,
// and a raw remote-protocol client for malformed traffic. Every wait is bounded; children are
// killed when they go out of scope, pass or fail.
#pragma once

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace hilsim::test {

using GdbClock = std::chrono::steady_clock;
inline const std::string kDemoElf = std::string(HILSIM_BUILD_DIR) + "/firmware/demo-m4/demo-m4.elf";

inline bool have_gdb() { return access("/usr/bin/gdb-multiarch", X_OK) == 0; }

// A child process with stdout+stderr in one pipe, killed on destruction.
struct Child {
  pid_t pid = -1;
  int out = -1;
  std::string text;
  int status = -1;

  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], 1);
      dup2(fds[1], 2);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out = fds[0];
    fcntl(out, F_SETFL, O_NONBLOCK);
  }
  ~Child() {
    if (pid > 0 && status < 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (out >= 0) close(out);
  }
  // Reads output until `needle` appears (true) or the time is up / the pipe closes (false).
  bool read_until(const std::string& needle, double seconds) {
    auto end = GdbClock::now() + std::chrono::duration<double>(seconds);
    while (text.find(needle) == std::string::npos) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(end - GdbClock::now()).count());
      if (left <= 0) return false;
      pollfd p{out, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) return false;
      char buf[4096];
      ssize_t n = read(out, buf, sizeof buf);
      if (n <= 0) return false;
      text.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Waits for the exit (bounded); returns the exit code or -1.
  int wait(double seconds) {
    auto end = GdbClock::now() + std::chrono::duration<double>(seconds);
    while (GdbClock::now() < end) {
      read_until("\x01never", 0.05);
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) {
        status = st;
        read_until("\x01never", 0.2);
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      }
    }
    return -1;
  }
};

// gdb-multiarch -batch with the given commands; returns its whole output.
inline std::string run_gdb(int port, const std::vector<std::string>& commands, double timeout = 20,
                           const std::string& elf = kDemoElf) {
  std::vector<std::string> argv = {"/usr/bin/gdb-multiarch", "-nx", "-batch", "-ex", "set pagination off",
                                   "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:" + std::to_string(port)};
  for (const std::string& c : commands) {
    argv.push_back("-ex");
    argv.push_back(c);
  }
  argv.push_back(elf);
  Child g(argv);
  int code = g.wait(timeout);
  INFO(g.text);
  CHECK(code == 0);
  return g.text;
}

// Raw RSP client.
struct Raw {
  int fd = -1;
  explicit Raw(int port) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~Raw() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  void send(const std::string& bytes) { ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  static std::string packet(const std::string& body) {
    unsigned sum = 0;
    for (char c : body) sum += static_cast<unsigned char>(c);
    char cs[4];
    std::snprintf(cs, sizeof cs, "%02x", sum & 0xff);
    return "$" + body + "#" + cs;
  }
  // Everything received until `needle` shows up or the time is up.
  std::string until(const std::string& needle, double seconds = 5) {
    std::string got;
    auto end = GdbClock::now() + std::chrono::duration<double>(seconds);
    while (got.find(needle) == std::string::npos && GdbClock::now() < end) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
};

}  // namespace hilsim::test
