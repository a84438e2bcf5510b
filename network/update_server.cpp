// update_server: content, forced statuses, HTTP responses and the NetBackend glue. See
// update_server.h. Response heads are built in a fixed header order so bytes are reproducible:
//   HTTP/1.1 <code> <reason> · Server · Content-Type · Content-Length · [Content-Range] ·
//   [Accept-Ranges · ETag] · [Allow] · Connection: close · empty line
#include "network/update_server.h"

#include <cstdio>
#include <stdexcept>

#include "peripherals/state_io.h"

namespace hilsim::network {

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "";
}

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string etag_of(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  for (std::uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// A response: status line, the given headers in order, Connection: close, then `body`.
std::vector<std::uint8_t> message(int status, const Headers& headers, std::span<const std::uint8_t> body) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  head += "Server: hilsim-update-server\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  head += "Connection: close\r\n\r\n";
  std::vector<std::uint8_t> out(head.begin(), head.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::vector<std::uint8_t> error_page(int status, bool head_only, Headers extra, std::uint64_t& body_bytes) {
  std::string text = std::to_string(status) + " " + reason_phrase(status) + "\n";
  Headers h = {{"Content-Type", "text/plain"}, {"Content-Length", std::to_string(text.size())}};
  h.insert(h.end(), extra.begin(), extra.end());
  body_bytes = head_only ? 0 : text.size();
  std::span<const std::uint8_t> body(reinterpret_cast<const std::uint8_t*>(text.data()), head_only ? 0 : text.size());
  return message(status, h, body);
}

}  // namespace

// ===== content =================================================================================

void UpdateServer::put(std::string path, std::vector<std::uint8_t> bytes, std::string content_type) {
  if (path.empty() || path.front() != '/')
    throw std::invalid_argument("update server: path must start with '/': " + path);
  files_[std::move(path)] = File{std::move(bytes), std::move(content_type)};
}

bool UpdateServer::remove(const std::string& path) { return files_.erase(path) != 0; }

const UpdateServer::File* UpdateServer::find(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

std::vector<std::string> UpdateServer::paths() const {
  std::vector<std::string> out;
  for (const auto& [path, file] : files_) out.push_back(path);
  return out;
}

void UpdateServer::force_status(std::string path_prefix, int status, std::uint32_t count) {
  if (status < 400 || status > 599) throw std::invalid_argument("update server: forced status must be 400..599");
  forced_.push_back({std::move(path_prefix), status, count});
}

void UpdateServer::clear() {
  files_.clear();
  forced_.clear();
}

// ===== HTTP ====================================================================================

std::vector<std::uint8_t> UpdateServer::respond(const HttpRequest& req, LogEntry& entry) {
  entry.method = req.method;
  entry.path = req.path;
  const std::string* range = req.header("range");
  entry.range = range ? *range : "";
  bool head_only = req.method == "HEAD";
  for (auto it = forced_.begin(); it != forced_.end(); ++it) {
    if (req.path.compare(0, it->prefix.size(), it->prefix) != 0) continue;
    entry.status = it->status;
    if (it->remaining != 0 && --it->remaining == 0) forced_.erase(it);
    return error_page(entry.status, head_only, {}, entry.bytes);
  }
  if (req.method != "GET" && !head_only) {
    entry.status = 405;
    return error_page(405, false, {{"Allow", "GET, HEAD"}}, entry.bytes);
  }
  const File* file = find(req.path);
  if (!file) {
    entry.status = 404;
    return error_page(404, head_only, {}, entry.bytes);
  }
  std::uint64_t size = file->bytes.size();
  ByteSpan span{0, size == 0 ? 0 : size - 1};
  Headers h = {{"Content-Type", file->content_type}};
  entry.status = 200;
  if (std::optional<ByteRange> r = range ? parse_range(*range) : std::nullopt) {
    std::optional<ByteSpan> s = resolve(*r, size);
    if (!s) {
      entry.status = 416;
      return error_page(416, head_only, {{"Content-Range", "bytes */" + std::to_string(size)}}, entry.bytes);
    }
    span = *s;
    entry.status = 206;
  }
  std::uint64_t length = size == 0 ? 0 : span.last - span.first + 1;
  h.emplace_back("Content-Length", std::to_string(length));
  if (entry.status == 206)
    h.emplace_back("Content-Range", "bytes " + std::to_string(span.first) + "-" + std::to_string(span.last) + "/" +
                                        std::to_string(size));
  h.emplace_back("Accept-Ranges", "bytes");
  h.emplace_back("ETag", etag_of(file->bytes));
  entry.bytes = head_only ? 0 : length;
  std::span<const std::uint8_t> body;
  if (!head_only && length > 0) body = std::span(file->bytes).subspan(span.first, length);
  return message(entry.status, h, body);
}

void UpdateServer::record(const periph::NetContext& ctx, LogEntry entry) {
  entry.when = ctx.now;
  entry.conn = ctx.conn;
  log_.push_back(std::move(entry));
  for (const LogSink& sink : sinks_) sink(log_.back());
}

periph::NetConnect UpdateServer::connect(const periph::NetContext& ctx) {
  if (ctx.addr != options_.address) return periph::NetConnect::Unreachable;
  if (ctx.port != options_.port) return periph::NetConnect::Refuse;
  return periph::NetConnect::Accept;
}

periph::NetReply UpdateServer::on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                                std::size_t) {
  ParseResult p = parse_request(request, options_.limits);
  if (p.status == ParseResult::Status::Incomplete) return {};
  LogEntry entry;
  periph::NetReply reply;
  reply.end = periph::NetReply::End::Close;
  if (p.status == ParseResult::Status::Complete) {
    reply.bytes = respond(p.request, entry);
  } else {
    entry.method = p.request.method;
    entry.path = p.request.path;
    entry.status = 400;
    reply.bytes = error_page(400, false, {}, entry.bytes);
  }
  record(ctx, std::move(entry));
  return reply;
}

// ===== save / load =============================================================================

std::vector<std::uint8_t> UpdateServer::save() const {
  std::vector<std::uint8_t> out;
  periph::StateWriter w(out);
  auto files = static_cast<std::uint32_t>(files_.size());
  w.field("files", files);
  for (const auto& [path, file] : files_) {
    std::string p = path, type = file.content_type;
    std::vector<std::uint8_t> bytes = file.bytes;
    w.field("path", p);
    w.field("type", type);
    w.field("bytes", bytes);
  }
  auto forced = static_cast<std::uint32_t>(forced_.size());
  w.field("forced", forced);
  for (const Forced& f : forced_) {
    std::string prefix = f.prefix;
    auto status = static_cast<std::uint32_t>(f.status);
    std::uint32_t remaining = f.remaining;
    w.field("prefix", prefix);
    w.field("status", status);
    w.field("remaining", remaining);
  }
  return out;
}

std::string UpdateServer::load(std::span<const std::uint8_t> data) {
  periph::StateReader r(data);
  std::map<std::string, File> files;
  std::vector<Forced> forced;
  std::uint32_t n = 0;
  r.field("files", n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    std::string path;
    File f;
    r.field("path", path);
    r.field("type", f.content_type);
    r.field("bytes", f.bytes);
    files[path] = std::move(f);
  }
  r.field("forced", n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    Forced f;
    std::uint32_t status = 0;
    r.field("prefix", f.prefix);
    r.field("status", status);
    r.field("remaining", f.remaining);
    f.status = static_cast<int>(status);
    forced.push_back(std::move(f));
  }
  if (!r.ok()) return "update server state: " + r.error();
  if (!r.at_end()) return "update server state: unexpected data at the end";
  files_ = std::move(files);
  forced_ = std::move(forced);
  return {};
}

}  // namespace hilsim::network
