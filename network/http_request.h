// http_request: bounded parsing of one HTTP/1.1 request as the update server receives it
// (message syntax of RFC 9112, Range of RFC 9110 §14). Limits: 8 KiB of request line + headers,
// 100 header fields, 8 KiB of body by default. Accepts bare LF line ends and empty lines before
// the request line (RFC 9112 §2.2); rejects obs-fold, whitespace before the colon, control bytes,
// a missing or repeated Host in HTTP/1.1, conflicting Content-Length and any Transfer-Encoding.
// Leaves out: percent-decoding of the path, multi-range requests (the server ignores them),
// chunked bodies, trailers, HTTP/2.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hilsim::network {

// One range-spec of "Range: bytes=...": a-b (FromTo), a- (From), -n (Suffix, last = n).
struct ByteRange {
  enum class Form : std::uint8_t { FromTo, From, Suffix };
  Form form = Form::FromTo;
  std::uint64_t first = 0, last = 0;
};
// A Range header value as one bytes range; nullopt when it is anything else (another unit,
// several ranges, bad syntax), which a server answers by ignoring the header (RFC 9110 §14.2).
std::optional<ByteRange> parse_range(std::string_view value);
// The inclusive span [first, last] a range selects in a representation of `size` bytes, or
// nullopt when it is unsatisfiable (first >= size, a zero-length suffix, an empty file).
struct ByteSpan {
  std::uint64_t first = 0, last = 0;
};
std::optional<ByteSpan> resolve(const ByteRange& range, std::uint64_t size);

struct HttpRequest {
  std::string method, target, path, query, version;  // path: target without query ("/a/b")
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::uint64_t content_length = 0;
  std::size_t size = 0;  // bytes of the whole request (head + body)
  // The first header with this name (give it lower-case), or null.
  const std::string* header(std::string_view lower_name) const;
};

struct ParseLimits {
  std::size_t max_head = 8 * 1024;  // request line + headers + the empty line
  std::size_t max_headers = 100;
  std::size_t max_body = 8 * 1024;
};

struct ParseResult {
  enum class Status : std::uint8_t { Incomplete, Complete, Bad, TooLarge };
  Status status = Status::Incomplete;
  HttpRequest request;  // filled when Complete (best effort otherwise: method and path if seen)
  std::string error;    // Bad/TooLarge: what was wrong
};

// Parses the request at the start of `bytes`. Incomplete = valid so far, needs more bytes.
ParseResult parse_request(std::span<const std::uint8_t> bytes, const ParseLimits& limits = {});

}  // namespace hilsim::network
