// update_server: the deterministic in-process HTTP/1.1 server a net-link device talks to
// (periph::NetBackend). Serves a set of files by path with GET and HEAD: 200 with
// Content-Length, 206 + Content-Range for one satisfiable Range, 416 with "Content-Range:
// bytes */size" for an unsatisfiable one, 404, 405 for other methods, 400 for malformed or
// oversized requests, and a forced 5xx as a fault knob. Every response carries
// "Connection: close" and is followed by FIN. No Date header (RFC 9110 §6.6.1: a server
// without a clock sends none), so responses depend only on the request and the files.
// Leaves out: keep-alive, conditional requests (If-None-Match, If-Range), multi-range, bodies
// other than a Content-Length one (read and ignored), percent-decoding.
//
// The server keeps no per-connection state: the net-link device holds the request bytes, so
// machine snapshots capture a connection in flight. Its own content (files, forced statuses) is
// host configuration; save()/load() carry it for scenarios that snapshot it too.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "network/http_request.h"
#include "peripherals/net_link.h"

namespace hilsim::network {

class UpdateServer final : public periph::NetBackend {
 public:
  struct Options {
    std::uint32_t address = 0x0A000001;  // 10.0.0.1; other addresses are UNREACHABLE
    std::uint16_t port = 80;             // other ports are REFUSED
    ParseLimits limits;
  };
  struct File {
    std::vector<std::uint8_t> bytes;
    std::string content_type;
  };
  // One answered request, in the order served.
  struct LogEntry {
    periph::Ticks when = 0;  // virtual time the request was complete at the server
    std::uint64_t conn = 0;  // the device's connection serial
    std::string method, path, range;  // range: the Range header as sent, or ""
    int status = 0;
    std::uint64_t bytes = 0;  // body bytes sent (0 for HEAD)
  };
  using LogSink = std::function<void(const LogEntry& entry)>;

  UpdateServer() : UpdateServer(Options{}) {}
  explicit UpdateServer(Options options) : options_(std::move(options)) {}

  // Content. Paths are exact ("/manifest", "/bundles/app-1.2.bin"), compared byte for byte.
  void put(std::string path, std::vector<std::uint8_t> bytes, std::string content_type = "application/octet-stream");
  bool remove(const std::string& path);
  const File* find(const std::string& path) const;
  std::vector<std::string> paths() const;
  // The next `count` requests whose path starts with `path_prefix` get `status` (400..599, e.g.
  // 500 or 503) instead of their normal answer; count 0 = every such request until clear().
  void force_status(std::string path_prefix, int status, std::uint32_t count = 1);
  void clear();  // files and forced statuses

  // Observation.
  const std::vector<LogEntry>& log() const { return log_; }
  void clear_log() { log_.clear(); }
  void add_observer(LogSink sink) { sinks_.push_back(std::move(sink)); }

  // The response to one complete request, without a connection (also fills `entry`).
  std::vector<std::uint8_t> respond(const HttpRequest& request, LogEntry& entry);

  // Files and forced statuses as bytes, and back (load returns "" or what was wrong).
  std::vector<std::uint8_t> save() const;
  std::string load(std::span<const std::uint8_t> data);

  const Options& options() const { return options_; }

  // periph::NetBackend
  periph::NetConnect connect(const periph::NetContext& ctx) override;
  periph::NetReply on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                    std::size_t fresh) override;

 private:
  struct Forced {
    std::string prefix;
    int status = 500;
    std::uint32_t remaining = 1;  // 0 = until clear()
  };
  void record(const periph::NetContext& ctx, LogEntry entry);

  Options options_;
  std::map<std::string, File> files_;
  std::vector<Forced> forced_;
  std::vector<LogEntry> log_;
  std::vector<LogSink> sinks_;
};

// The reason phrase for a status code ("Not Found"), "" for unknown codes.
const char* reason_phrase(int status);

}  // namespace hilsim::network
