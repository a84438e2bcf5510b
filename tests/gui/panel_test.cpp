// The panel under a display (ctest runs this binary under xvfb-run): `hilsim gui --headless`
// on the demo scenario, paused in the middle of writing v2 into slot-b; the screenshot must
// be a real picture and the panels' view must agree with the machine's flash controller.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/hilsim_command.h"

namespace {

struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;
};

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

// Reads the panel's own PNGs: 8-bit RGB/RGBA, filter 0, zlib with stored blocks only.
Image read_png(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  Image img;
  REQUIRE(s.size() > 8);
  REQUIRE(s.compare(1, 3, "PNG") == 0);
  std::string idat;
  for (std::size_t at = 8; at + 8 <= s.size();) {
    std::uint32_t len = be32(s, at);
    std::string type = s.substr(at + 4, 4);
    if (type == "IHDR") {
      img.width = static_cast<int>(be32(s, at + 8));
      img.height = static_cast<int>(be32(s, at + 12));
      img.channels = s[at + 17] == 6 ? 4 : 3;
    } else if (type == "IDAT") {
      idat += s.substr(at + 8, len);
    }
    at += 12 + len;
  }
  std::string raw;
  for (std::size_t at = 2; at + 5 <= idat.size();) {  // skip the zlib header
    bool last = idat[at] & 1;
    REQUIRE((idat[at] & 6) == 0);  // stored
    std::size_t n = std::uint8_t(idat[at + 1]) | (std::size_t(std::uint8_t(idat[at + 2])) << 8);
    raw += idat.substr(at + 5, n);
    at += 5 + n;
    if (last) break;
  }
  const std::size_t row = std::size_t(img.width) * std::size_t(img.channels);
  REQUIRE(raw.size() == (row + 1) * std::size_t(img.height));
  for (int y = 0; y < img.height; ++y)
    img.pixels.insert(img.pixels.end(), raw.begin() + std::ptrdiff_t((row + 1) * std::size_t(y) + 1),
                      raw.begin() + std::ptrdiff_t((row + 1) * std::size_t(y + 1)));
  return img;
}

}  // namespace

TEST_CASE("the panel on the demo, paused while slot-b is written: the picture and the view match the machine") {
  if (std::getenv("DISPLAY") == nullptr) MESSAGE("no DISPLAY: the panel renders with SDL's offscreen driver");
  const std::string dir = std::string(HILSIM_BUILD_DIR) + "/tests/gui-out";
  std::system(("mkdir -p " + dir).c_str());
  const std::string png = dir + "/demo-mid-update.png", json = dir + "/demo-mid-update.json";
  std::remove(png.c_str());
  std::remove(json.c_str());
  auto r = hilsim::test::run_hilsim("gui " + std::string(HILSIM_SOURCE_DIR) +
                                    "/scenarios/demo.yaml --headless --frames 5 --pause-at-flash-op 19 "
                                    "--flash-partition slot-b --screenshot " + png + " --state-json " + json);
  INFO(r.out);
  REQUIRE(r.code == 0);

  // The picture: the full window, many colours, most pixels not the background.
  Image img = read_png(png);
  CHECK(img.width == 1600);
  CHECK(img.height == 1000);
  std::set<std::uint32_t> colours;
  std::size_t background = 0;
  for (std::size_t i = 0; i + 2 < img.pixels.size(); i += std::size_t(img.channels)) {
    std::uint32_t c = (std::uint32_t(img.pixels[i]) << 16) | (std::uint32_t(img.pixels[i + 1]) << 8) | img.pixels[i + 2];
    colours.insert(c);
    background += c == 0x141419;  // the clear colour (0.08, 0.08, 0.1)
  }
  CHECK(colours.size() > 200);
  CHECK(background < img.pixels.size() / std::size_t(img.channels) / 10);
  // Something yellow (the sector being written, the download bar) is on screen.
  bool yellow = false;
  for (std::uint32_t c : colours) yellow |= c == 0xFFC828;
  CHECK(yellow);

  // The view the panels drew, against the machine read directly at the pause.
  std::ifstream jf(json);
  nlohmann::json j = nlohmann::json::parse(jf);
  const auto& view = j["view"];
  const auto& machine = j["machine"];
  CHECK(view["state"] == "paused");
  REQUIRE(machine["flash"]["in_flight"].is_object());
  const int sector = machine["flash"]["in_flight"]["sector"];
  CHECK(machine["flash"]["in_flight"]["kind"] == "program");
  // slot-b is sectors 104..127 on demo-m4.
  std::uint32_t first = 0, count = 0;
  for (const auto& p : view["flash"]["partitions"])
    if (p["name"] == "slot-b") first = p["first_sector"], count = p["sectors"];
  CHECK(first == 104);
  CHECK(sector >= int(first));
  CHECK(sector < int(first + count));
  CHECK(view["flash"]["states"][std::size_t(sector)] == "writing");
  CHECK(j["panels"]["flash"]["writing_sector"] == sector);
  CHECK(j["panels"]["flash"]["drawn"][std::size_t(sector)] == "writing");
  CHECK(view["flash"]["in_flight"]["seq"] == machine["flash"]["in_flight"]["seq"]);
  CHECK(view["flash"]["ops_started"] == machine["flash"]["ops_started"]);
  CHECK(view["flash"]["erases"] == machine["flash"]["erases"]);
  CHECK(view["now"] == machine["now"]);
  // The update story at that instant: v1 running from slot-a, v2 half downloaded.
  CHECK(view["update"]["version"] == "1.0.0");
  CHECK(view["update"]["active_slot"] == "slot-a");
  CHECK(view["update"]["inactive_slot"] == "slot-b");
  CHECK(view["update"]["phase"] == "downloading");
  CHECK(view["update"]["target_version"] == "2.0.0");
  const std::uint64_t got = view["update"]["download_bytes"], total = view["update"]["download_total"];
  CHECK(got > 0);
  CHECK(got < total);
  CHECK(machine["status"]["version"] == "1.0.0");
  bool downloading = false;
  for (const auto& l : view["uart"]) downloading |= l["text"] == "update: downloading 2.0.0";
  CHECK(downloading);
  // The scenario is at its power-loss step (armed for the 18th program in slot-b, not reached).
  CHECK(view["scenario"]["steps"][6]["type"] == "power-loss");
  CHECK(view["scenario"]["steps"][6]["status"] == "running");
}

TEST_CASE("the panel on a board and firmware alone renders and stops at a virtual time") {
  const std::string dir = std::string(HILSIM_BUILD_DIR) + "/tests/gui-out";
  std::system(("mkdir -p " + dir).c_str());
  const std::string json = dir + "/board-only.json";
  auto r = hilsim::test::run_hilsim("gui --board demo-m4 --firmware " + std::string(HILSIM_BUILD_DIR) +
                                    "/firmware/demo-m4/demo-m4.elf --headless --frames 3 --pause-at 0.5 --state-json " + json);
  INFO(r.out);
  REQUIRE(r.code == 0);
  std::ifstream jf(json);
  nlohmann::json j = nlohmann::json::parse(jf);
  CHECK(j["view"]["state"] == "paused");
  CHECK(j["view"]["seconds"].get<double>() >= 0.5);
  CHECK(j["view"]["seconds"].get<double>() < 0.51);
  CHECK(j["view"]["uart"][0]["text"].get<std::string>().find("hilsim demo-m4 firmware") != std::string::npos);
  CHECK(j["view"]["cpu"]["function"].get<std::string>() != "");
}

TEST_CASE("bad usage is refused") {
  auto r = hilsim::test::run_hilsim("gui");
  CHECK(r.code == 2);
  CHECK(r.out.find("give a scenario file") != std::string::npos);
}
