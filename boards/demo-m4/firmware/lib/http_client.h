// A small HTTP/1.1 client for the update agent: one GET per connection ("Connection: close"),
// optional "Range: bytes=N-", status line + Content-Length + Content-Range parsing, and the body
// streamed to a sink as it arrives (the device never holds a whole download in RAM). A body
// shorter than Content-Length is reported as Truncated, so a resumable download knows to ask
// for the rest. Leaves out chunked transfer encoding, redirects and keep-alive.
#pragma once
#include <cstdint>

#include "drivers/net.h"

namespace http {

struct Response {
  int status = 0;
  bool has_length = false;
  uint32_t content_length = 0;
  bool has_range = false;       // a Content-Range header was present
  uint32_t range_first = 0;     // first byte offset of the body within the resource
  uint32_t range_total = 0;     // resource size from Content-Range
};

enum class Error : uint8_t {
  Ok,
  Connect,        // could not connect (net_result says why)
  Network,        // the connection failed while sending or receiving
  Timeout,        // no byte for kIdleTimeoutMs
  BadResponse,    // not an HTTP/1.x response, or a malformed header
  HeaderTooLong,  // the header block does not fit the buffer
  Truncated,      // closed before Content-Length bytes arrived
  Aborted,        // the body sink refused the data
};
const char* to_string(Error e);

// Returns false to abort the transfer.
using BodySink = bool (*)(void* ctx, const uint8_t* data, uint32_t len);

struct Target {
  uint32_t ipv4;
  uint16_t port;
  const char* host;  // for the Host header
};

constexpr uint32_t kConnectTimeoutMs = 3000;
constexpr uint32_t kIdleTimeoutMs = 4000;

// On return, rsp holds what was parsed and *net_result the last network result.
Error get(const Target& target, const char* path, uint32_t range_from, Response& rsp, BodySink sink,
          void* ctx, net::Result* net_result = nullptr);

}  // namespace http
