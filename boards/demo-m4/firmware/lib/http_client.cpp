// HTTP/1.1 GET client (see http_client.h). The header block is collected in a fixed buffer
// and parsed line by line; whatever follows the blank line is the first piece of the body.
#include "lib/http_client.h"

#include "lib/text.h"

namespace http {
namespace {

constexpr uint32_t kHeaderCap = 768;

// Case-insensitive "does line start with name:" and returns the value after it (trimmed).
const char* header_value(const char* line, const char* name) {
  const char* p = line;
  for (; *name != 0; ++name, ++p)
    if (text::lower(*p) != text::lower(*name)) return nullptr;
  if (*p != ':') return nullptr;
  ++p;
  while (*p == ' ' || *p == '\t') ++p;
  return p;
}

// Parses the NUL-separated header lines of the block.
bool parse_header(char* block, uint32_t len, Response& rsp) {
  // Split into lines at CRLF (the terminating CRLFCRLF is inside len).
  for (uint32_t i = 0; i + 1 < len; ++i)
    if (block[i] == '\r' && block[i + 1] == '\n') block[i] = block[i + 1] = 0;
  const char* line = block;
  if (!text::starts_with(line, "HTTP/1.")) return false;
  const char* p = line + 7;
  if (*p != '0' && *p != '1') return false;
  p += 1;
  if (*p != ' ') return false;
  uint32_t status = 0;
  if (!text::parse_u32(p + 1, &p, &status) || status < 100 || status > 599) return false;
  rsp.status = static_cast<int>(status);
  for (const char* l = line; l < block + len;) {
    if (const char* v = header_value(l, "Content-Length")) {
      if (!text::parse_u32(v, &p, &rsp.content_length)) return false;
      rsp.has_length = true;
    } else if (const char* v2 = header_value(l, "Content-Range")) {
      // "bytes first-last/total"
      uint32_t last = 0;
      if (!text::starts_with(v2, "bytes ")) return false;
      if (!text::parse_u32(v2 + 6, &p, &rsp.range_first) || *p != '-') return false;
      if (!text::parse_u32(p + 1, &p, &last) || *p != '/') return false;
      if (!text::parse_u32(p + 1, &p, &rsp.range_total)) return false;
      rsp.has_range = true;
    }
    while (l < block + len && *l != 0) ++l;  // next line
    while (l < block + len && *l == 0) ++l;
  }
  return true;
}

Error fail(Error e, net::Result r, net::Result* out) {
  net::close();
  if (out != nullptr) *out = r;
  return e;
}

}  // namespace

const char* to_string(Error e) {
  switch (e) {
    case Error::Ok: return "ok";
    case Error::Connect: return "cannot connect";
    case Error::Network: return "network error";
    case Error::Timeout: return "timeout";
    case Error::BadResponse: return "bad response";
    case Error::HeaderTooLong: return "header too long";
    case Error::Truncated: return "truncated body";
    case Error::Aborted: return "aborted";
  }
  return "?";
}

Error get(const Target& target, const char* path, uint32_t range_from, Response& rsp, BodySink sink,
          void* ctx, net::Result* net_result) {
  rsp = Response{};
  net::Result r = net::connect(target.ipv4, target.port, kConnectTimeoutMs);
  if (r != net::Result::Ok) return fail(Error::Connect, r, net_result);

  char req[256];
  text::Builder b(req, sizeof req);
  b.add("GET ").add(path).add(" HTTP/1.1\r\nHost: ").add(target.host).add("\r\n");
  if (range_from != 0) b.add("Range: bytes=").add_dec(range_from).add("-\r\n");
  b.add("Connection: close\r\n\r\n");
  if (b.overflowed()) return fail(Error::BadResponse, net::Result::Failed, net_result);
  r = net::send(req, b.size(), kIdleTimeoutMs);
  if (r != net::Result::Ok) return fail(Error::Network, r, net_result);

  // Header block.
  static char header[kHeaderCap];
  uint32_t have = 0, header_end = 0;
  while (header_end == 0) {
    if (have == kHeaderCap) return fail(Error::HeaderTooLong, net::Result::Ok, net_result);
    const int32_t n = net::recv(reinterpret_cast<uint8_t*>(header) + have, kHeaderCap - have, kIdleTimeoutMs);
    if (n < 0) {
      const auto nr = static_cast<net::Result>(n);
      return fail(nr == net::Result::Timeout ? Error::Timeout
                  : nr == net::Result::Closed ? Error::BadResponse
                                              : Error::Network,
                  nr, net_result);
    }
    const uint32_t from = have >= 3 ? have - 3 : 0;
    have += static_cast<uint32_t>(n);
    for (uint32_t i = from; i + 3 < have; ++i)
      if (header[i] == '\r' && header[i + 1] == '\n' && header[i + 2] == '\r' && header[i + 3] == '\n') {
        header_end = i + 4;
        break;
      }
  }
  if (!parse_header(header, header_end, rsp)) return fail(Error::BadResponse, net::Result::Ok, net_result);

  // Body: the bytes after the header block first, then the stream.
  uint32_t received = have - header_end;
  if (received != 0 && !sink(ctx, reinterpret_cast<uint8_t*>(header) + header_end, received))
    return fail(Error::Aborted, net::Result::Ok, net_result);
  static uint8_t chunk[512];
  while (!rsp.has_length || received < rsp.content_length) {
    const int32_t n = net::recv(chunk, sizeof chunk, kIdleTimeoutMs);
    if (n < 0) {
      const auto nr = static_cast<net::Result>(n);
      if (nr == net::Result::Closed && !rsp.has_length) break;  // length by close
      return fail(nr == net::Result::Closed ? Error::Truncated
                  : nr == net::Result::Timeout ? Error::Timeout
                                               : Error::Network,
                  nr, net_result);
    }
    uint32_t len = static_cast<uint32_t>(n);
    if (rsp.has_length && received + len > rsp.content_length) len = rsp.content_length - received;
    received += len;
    if (!sink(ctx, chunk, len)) return fail(Error::Aborted, net::Result::Ok, net_result);
  }
  net::close();
  if (net_result != nullptr) *net_result = net::Result::Ok;
  return Error::Ok;
}

}  // namespace http
