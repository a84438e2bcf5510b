// http_request: request parsing (complete, incomplete, malformed, over the limits) and Range
// parsing/resolution, without any device.
#include "network/http_request.h"

#include <doctest/doctest.h>

#include <string>

using namespace hilsim::network;
using Status = ParseResult::Status;

namespace {
ParseResult parse(const std::string& s, const ParseLimits& limits = {}) {
  return parse_request(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), limits);
}
}  // namespace

TEST_CASE("http request: a complete GET with headers, case-insensitive names, query") {
  std::string req = "GET /bundles/app.bin?v=2 HTTP/1.1\r\nHost: 10.0.0.1\r\nRANGE:  bytes=0-99 \r\nX-A: b\r\n\r\n";
  ParseResult r = parse(req);
  REQUIRE(r.status == Status::Complete);
  CHECK(r.request.method == "GET");
  CHECK(r.request.target == "/bundles/app.bin?v=2");
  CHECK(r.request.path == "/bundles/app.bin");
  CHECK(r.request.query == "v=2");
  CHECK(r.request.version == "HTTP/1.1");
  REQUIRE(r.request.header("range"));
  CHECK(*r.request.header("range") == "bytes=0-99");
  CHECK(*r.request.header("host") == "10.0.0.1");
  CHECK(r.request.header("nope") == nullptr);
  CHECK(r.request.size == req.size());
}

TEST_CASE("http request: bare LF, leading empty lines, absolute-form, HTTP/1.0 without Host") {
  CHECK(parse("GET / HTTP/1.1\nHost: x\n\n").status == Status::Complete);
  CHECK(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").status == Status::Complete);
  ParseResult r = parse("GET http://10.0.0.1/manifest HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(r.status == Status::Complete);
  CHECK(r.request.path == "/manifest");
  CHECK(parse("GET / HTTP/1.0\r\n\r\n").status == Status::Complete);
}

TEST_CASE("http request: incomplete while valid so far") {
  std::string full = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t n = 0; n < full.size(); ++n) CHECK(parse(full.substr(0, n)).status == Status::Incomplete);
  CHECK(parse(full).status == Status::Complete);
  // A body announced by Content-Length is waited for, then counted in the request's size.
  std::string with_body = "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab";
  CHECK(parse(with_body).status == Status::Incomplete);
  ParseResult r = parse(with_body + "cdEXTRA");
  REQUIRE(r.status == Status::Complete);
  CHECK(r.request.size == with_body.size() + 2);
}

TEST_CASE("http request: malformed requests are Bad, as early as the bytes show it") {
  CHECK(parse("\x01\x02garbage").status == Status::Bad);  // no line end needed
  CHECK(parse("GET /\xff HTTP/1.1\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nBad\x01: y\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET  / HTTP/1.1\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET /\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("G(T / HTTP/1.1\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET a HTTP/1.1\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/2.0\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTQ/1.1\r\nHost: x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\n\r\n").status == Status::Bad);  // no Host
  CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost : x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n: y\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n").status == Status::Bad);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").status ==
        Status::Bad);
  ParseResult r = parse("GET /p HTTP/1.1\r\nHost: x\r\nX\x7f: y\r\n\r\n");
  CHECK(r.status == Status::Bad);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("http request: limits") {
  std::string big = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(9000, 'a');
  CHECK(parse(big).status == Status::TooLarge);  // before the line even ends
  std::string near = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(8000, 'a') + "\r\n\r\n";
  CHECK(parse(near).status == Status::Complete);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 120; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(parse(many + "\r\n").status == Status::TooLarge);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n").status == Status::TooLarge);
  ParseLimits tight;
  tight.max_head = 32;
  CHECK(parse("GET / HTTP/1.1\r\nHost: xxxxxxxxxxxxxxxxxxxxxx\r\n\r\n", tight).status == Status::TooLarge);
}

TEST_CASE("http range: the three forms, resolution and what is ignored") {
  auto r = parse_range("bytes=10-19");
  REQUIRE(r);
  CHECK(r->form == ByteRange::Form::FromTo);
  CHECK(r->first == 10);
  CHECK(r->last == 19);
  r = parse_range("bytes=5-");
  REQUIRE(r);
  CHECK(r->form == ByteRange::Form::From);
  r = parse_range("Bytes = -7");
  REQUIRE(r);
  CHECK(r->form == ByteRange::Form::Suffix);
  CHECK(r->last == 7);
  for (const char* bad : {"bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "items=1-2", "bytes=1-2,4-5", "bytes 1-2",
                          "bytes=99999999999999999999-"})
    CHECK_FALSE(parse_range(bad));

  auto span = [](const char* v, std::uint64_t size) { return resolve(*parse_range(v), size); };
  CHECK(span("bytes=10-19", 100)->first == 10);
  CHECK(span("bytes=10-19", 100)->last == 19);
  CHECK(span("bytes=10-1000", 100)->last == 99);
  CHECK(span("bytes=90-", 100)->first == 90);
  CHECK(span("bytes=-5", 100)->first == 95);
  CHECK(span("bytes=-500", 100)->first == 0);
  CHECK_FALSE(span("bytes=100-", 100));
  CHECK_FALSE(span("bytes=100-200", 100));
  CHECK_FALSE(span("bytes=-0", 100));
  CHECK_FALSE(span("bytes=0-", 0));
}
