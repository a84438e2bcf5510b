// HTTP/1.1 request parsing and byte ranges for the update server. See http_request.h.
//
// The parser is one pass over the lines received so far: it fails as soon as the bytes cannot be
// the start of a valid request (so junk from a buggy firmware gets its 400 at once, not after
// 8 KiB), and says Incomplete only while the request is valid so far and under the limits.
#include "network/http_request.h"

#include <algorithm>

namespace hilsim::network {
namespace {

bool tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal digits only, at most 18 of them (no overflow).
bool number(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

// Bytes that may appear in a request line: visible ASCII and SP.
bool line_byte_ok(unsigned char c, bool request_line) {
  if (c == ' ') return true;
  if (c == '\t') return !request_line;
  if (c < 0x20 || c == 0x7F) return false;
  return !(request_line && c >= 0x80);
}

ParseResult fail(ParseResult r, ParseResult::Status status, std::string why) {
  r.status = status;
  r.error = std::move(why);
  return r;
}

bool parse_target(HttpRequest& req) {
  std::string_view t = req.target;
  if (t == "*") {
    req.path = req.target;  // "*" (assigning the literal trips a GCC 12 -Wrestrict false positive)
    return true;
  }
  if (t.size() > 7 && (iequals(t.substr(0, 7), "http://") || (t.size() > 8 && iequals(t.substr(0, 8), "https://")))) {
    t.remove_prefix(t.find("://") + 3);
    std::size_t slash = t.find('/');
    t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
  }
  if (t.empty() || t.front() != '/') return false;
  std::size_t q = t.find('?');
  req.path = std::string(t.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(t.substr(q + 1));
  return true;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return &value;
  return nullptr;
}

std::optional<ByteRange> parse_range(std::string_view value) {
  value = trim(value);
  std::size_t eq = value.find('=');
  if (eq == std::string_view::npos || !iequals(trim(value.substr(0, eq)), "bytes")) return std::nullopt;
  std::string_view spec = trim(value.substr(eq + 1));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;  // several ranges: ignored
  std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
  ByteRange r;
  if (a.empty()) {
    r.form = ByteRange::Form::Suffix;
    return number(b, r.last) ? std::optional(r) : std::nullopt;
  }
  if (!number(a, r.first)) return std::nullopt;
  if (b.empty()) {
    r.form = ByteRange::Form::From;
    return r;
  }
  r.form = ByteRange::Form::FromTo;
  if (!number(b, r.last) || r.last < r.first) return std::nullopt;
  return r;
}

std::optional<ByteSpan> resolve(const ByteRange& range, std::uint64_t size) {
  if (size == 0) return std::nullopt;
  switch (range.form) {
    case ByteRange::Form::FromTo:
      if (range.first >= size) return std::nullopt;
      return ByteSpan{range.first, std::min(range.last, size - 1)};
    case ByteRange::Form::From:
      if (range.first >= size) return std::nullopt;
      return ByteSpan{range.first, size - 1};
    case ByteRange::Form::Suffix:
      if (range.last == 0) return std::nullopt;
      return ByteSpan{range.last >= size ? 0 : size - range.last, size - 1};
  }
  return std::nullopt;
}

ParseResult parse_request(std::span<const std::uint8_t> bytes, const ParseLimits& limits) {
  using Status = ParseResult::Status;
  ParseResult r;
  std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t start = 0;
  for (;;) {  // empty lines before the request line are ignored
    if (all.substr(start, 1) == "\n") start += 1;
    else if (all.substr(start, 2) == "\r\n") start += 2;
    else break;
  }

  // Lines up to the empty line that ends the head.
  std::vector<std::string_view> lines;
  std::size_t pos = start, head_end = 0;
  for (;;) {
    std::size_t nl = all.find('\n', pos);
    std::string_view line = all.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool first = lines.empty();
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool trailing_cr = nl == std::string_view::npos && c == '\r' && i + 1 == line.size();
      if (!trailing_cr && !line_byte_ok(c, first))
        return fail(std::move(r), Status::Bad, first ? "bad byte in the request line" : "control byte in a header");
    }
    std::size_t used = (nl == std::string_view::npos ? all.size() : nl + 1) - start;
    if (used > limits.max_head) return fail(std::move(r), Status::TooLarge, "request head over the size limit");
    if (nl == std::string_view::npos) {
      r.status = Status::Incomplete;
      return r;
    }
    pos = nl + 1;
    if (line.empty()) {
      head_end = pos;
      break;
    }
    if (lines.size() > limits.max_headers) return fail(std::move(r), Status::TooLarge, "too many header fields");
    lines.push_back(line);
  }

  // Request line: method SP target SP HTTP/1.x
  HttpRequest& req = r.request;
  std::string_view rl = lines.front();
  std::size_t sp1 = rl.find(' '), sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || rl.find(' ', sp2 + 1) != std::string_view::npos)
    return fail(std::move(r), Status::Bad, "request line is not 'method target version'");
  req.method = std::string(rl.substr(0, sp1));
  req.target = std::string(rl.substr(sp1 + 1, sp2 - sp1 - 1));
  req.version = std::string(rl.substr(sp2 + 1));
  auto is_token = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return tchar(static_cast<unsigned char>(c)); });
  };
  if (!is_token(req.method))
    return fail(std::move(r), Status::Bad, "bad method");
  if (req.target.empty() || !parse_target(req)) return fail(std::move(r), Status::Bad, "bad request target");
  const std::string& v = req.version;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (v.size() != 8 || v.compare(0, 5, "HTTP/") != 0 || !digit(v[5]) || v[6] != '.' || !digit(v[7]))
    return fail(std::move(r), Status::Bad, "bad HTTP version");
  if (v[5] != '1') return fail(std::move(r), Status::Bad, "HTTP version not supported");

  // Header fields.
  int hosts = 0;
  bool have_length = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') return fail(std::move(r), Status::Bad, "obsolete line folding");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return fail(std::move(r), Status::Bad, "header field without a name");
    std::string_view name = line.substr(0, colon);
    if (!is_token(name))
      return fail(std::move(r), Status::Bad, "bad header field name");
    std::string lname = lowered(name);
    std::string_view value = trim(line.substr(colon + 1));
    if (lname == "host") ++hosts;
    if (lname == "transfer-encoding") return fail(std::move(r), Status::Bad, "Transfer-Encoding is not supported");
    if (lname == "content-length") {
      std::uint64_t n = 0;
      if (!number(value, n) || (have_length && n != req.content_length))
        return fail(std::move(r), Status::Bad, "bad Content-Length");
      have_length = true;
      req.content_length = n;
    }
    req.headers.emplace_back(std::move(lname), std::string(value));
  }
  if (v[7] >= '1' && hosts != 1)
    return fail(std::move(r), Status::Bad, hosts ? "several Host fields" : "no Host field");
  if (req.content_length > limits.max_body)
    return fail(std::move(r), Status::TooLarge, "request body over the size limit");
  if (all.size() - head_end < req.content_length) {
    r.status = Status::Incomplete;
    return r;
  }
  req.size = head_end + static_cast<std::size_t>(req.content_length);
  r.status = Status::Complete;
  return r;
}

}  // namespace hilsim::network
