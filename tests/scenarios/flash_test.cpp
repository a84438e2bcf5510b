// Flash steps and persistent flash images, with the flash_writer test program: it erases the
// first sector of the `meta` partition (0x40000), programs 64 words 0xA5000000|i there,
// verifies them, prints erased=1 programmed=64 verify=ok and exits through semihosting.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "emulator/memory_image.h"
#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::contains;
using test::kFlashWriter;
using Status = scen::ScenarioResult::Status;

namespace {
std::string temp_path(const std::string& name) {
  return "/tmp/hilsim-scen-" + std::to_string(::getpid()) + "-" + name;
}
std::vector<std::uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
std::uint32_t word_at(const emu::MemoryImage& img, std::uint32_t address) {
  std::uint32_t w = 0;
  for (int i = 0; i < 4; ++i) w |= std::uint32_t{img.bytes.at(address + i)} << (8 * i);
  return w;
}
}  // namespace

TEST_CASE("flash: wait-flash waits for the Nth operation of a kind in a partition, to start or to end") {
  auto r = test::run(kFlashWriter +
                     "steps:\n"
                     "  - wait-flash: {kind: erase, partition: meta, at: start, timeout: 10ms}\n"
                     "  - wait-flash: {kind: erase, timeout: 50ms}\n"   // the same erase is not counted again
                     "  - wait-flash: {count: 10, kind: program, partition: meta, timeout: 50ms}\n"
                     "  - wait-serial: {text: verify=ok, timeout: 50ms}\n");
  REQUIRE(r.status == Status::Failed);  // no second erase happens
  CHECK(r.steps[0].note.rfind("erase #1 at 0x00040000 started at", 0) == 0);
  CHECK(r.failure->step == 2);
  CHECK(contains(r.failure->expected, "the next erase to end within 50ms"));
  CHECK(contains(r.failure->seen, "64 flash operations started, 0 matching"));

  auto ok = test::run(kFlashWriter +
                      "steps:\n"
                      "  - wait-flash: {kind: erase, partition: meta, timeout: 50ms}\n"
                      "  - wait-flash: {count: 10, kind: program, partition: meta, timeout: 50ms}\n"
                      "  - wait-serial: {text: verify=ok, timeout: 50ms}\n"
                      "  - delay: 10ms\n");
  REQUIRE_MESSAGE(ok.status == Status::Passed, ok.timeline);
  CHECK(contains(ok.steps[0].note, "erase #1 at 0x00040000 ended at"));
  CHECK(contains(ok.steps[0].note, ": ok"));
  CHECK(contains(ok.steps[1].note, "program #11 at 0x00040024 ended"));
  CHECK(contains(ok.timeline, "halt   the firmware exited with code 0"));
}

TEST_CASE("flash: power-loss cuts the power as the chosen operation starts, by policy") {
  for (const char* policy : {"before", "after", "torn"}) {
    CAPTURE(policy);
    auto r = test::run(kFlashWriter + "log: [flash]\n"
                       "steps:\n"
                       "  - power-loss: {policy: " + policy + ", count: 10, kind: program, partition: meta, off-time: 10ms}\n"
                       "  - wait-serial: {text: verify=ok, timeout: 100ms}\n");  // the program runs again from scratch
    REQUIRE_MESSAGE(r.status == Status::Passed, r.timeline);
    CHECK(r.steps[0].note == std::string("cut program #11 at 0x00040024: power cut (") + policy + ")");
    CHECK(contains(r.timeline, std::string("flash  program #11 at 0x00040024 (4 bytes): power cut (") + policy + ")"));
    CHECK(contains(r.timeline, "power  off (cut during program #11 at 0x00040024, policy " + std::string(policy) + ")"));
    CHECK(contains(r.timeline, "power  on (after 10ms off)"));
  }
}

TEST_CASE("flash: a torn program is visible in the flash image saved at the end") {
  std::string path = temp_path("torn.img");
  std::remove(path.c_str());
  auto r = test::run(kFlashWriter +
                     "flash-image: {file: " + path + ", save: true}\n"
                     "start-powered: true\n"
                     "steps:\n"
                     "  - power-loss: {policy: torn, count: 10, kind: program, off-time: 1ms}\n"
                     "  - power-off\n");
  REQUIRE_MESSAGE(r.status == Status::Passed, r.timeline);
  auto img = emu::decode_memory_image(read_all(path), path);
  REQUIRE_MESSAGE(img.ok(), img.error());
  // Power came back and went off again at the same instant (nothing ran in between), so the
  // image holds what the cut left: words 0-8 programmed, word 9 torn, the rest erased.
  CHECK(img->region == "flash");
  CHECK(img->bytes.size() == 512 * 1024);
  CHECK(word_at(*img, 0x40000 + 4 * 8) == 0xA5000008u);
  CHECK(word_at(*img, 0x40000 + 4 * 9) != 0xA5000009u);  // some bits of the write were lost ...
  CHECK(word_at(*img, 0x40000 + 4 * 9) != 0xFFFFFFFFu);  // ... and some made it
  CHECK(word_at(*img, 0x40000 + 4 * 10) == 0xFFFFFFFFu);
  CHECK(contains(r.timeline, "image  flash image " + path + " does not exist yet"));
  CHECK(contains(r.timeline, "image  flash image saved to " + path));
  std::remove(path.c_str());
}

TEST_CASE("flash: a flash image persists between runs; the image wins over the ELF unless reflash") {
  std::string path = temp_path("device.img");
  std::remove(path.c_str());
  // Run 1: the flash_writer programs meta; the image is saved at the end.
  auto first = test::run(kFlashWriter + "flash-image: {file: " + path + ", save: true}\n" +
                         "steps:\n  - wait-serial: {text: verify=ok, timeout: 100ms}\n");
  REQUIRE_MESSAGE(first.status == Status::Passed, first.timeline);
  auto img = emu::decode_memory_image(read_all(path), path);
  REQUIRE(img.ok());
  CHECK(word_at(*img, 0x40000) == 0xA5000000u);
  CHECK(word_at(*img, 0x40000 + 4 * 63) == 0xA500003Fu);

  // Run 2: demo firmware named, but the device's flash (the image) holds flash_writer.
  auto image_wins = test::run(test::kDemo + "semihosting: true\nflash-image: " + path + "\n" +
                              "steps:\n  - wait-serial: {text: erased=1, timeout: 100ms}\n");
  CHECK_MESSAGE(image_wins.status == Status::Passed, image_wins.timeline);
  // Run 3: reflash writes the ELF over the image; meta keeps what run 1 wrote.
  auto reflashed = test::run(test::kDemo + "flash-image: {file: " + path + ", reflash: true, save: true}\n" +
                             "steps:\n  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n");
  CHECK_MESSAGE(reflashed.status == Status::Passed, reflashed.timeline);
  img = emu::decode_memory_image(read_all(path), path);
  REQUIRE(img.ok());
  CHECK(word_at(*img, 0x40000) == 0xA5000000u);

  // A corrupted image is an error naming the file, before anything runs.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(1000);
    f.put('\x42');
  }
  auto corrupted = test::run(test::kDemo + "flash-image: " + path + "\nsteps: []\n");
  CHECK(corrupted.status == Status::Error);
  CHECK(corrupted.error == "test.yaml:3:14: flash-image: " + path + ": corrupted memory image (checksum mismatch)");
  std::remove(path.c_str());
  auto missing = test::run(test::kDemo + "flash-image: {file: " + path + ", if-missing: error}\nsteps: []\n");
  CHECK(missing.status == Status::Error);
  CHECK(contains(missing.error, "does not exist (if-missing: error)"));
}

TEST_CASE("flash: flash-corrupt changes a partition's bytes; expect-flash-wear reports and bounds erases") {
  std::string image = temp_path("corrupt.img");
  std::remove(image.c_str());
  auto r = test::run(kFlashWriter + "flash-image: {file: " + image + ", save: true}\n" +
                     "steps:\n"
                     "  - wait-serial: {text: verify=ok, timeout: 50ms}\n"
                     "  - expect-flash-wear: {partition: meta, min-erases: 1, max-erases: 1, max-total: 1}\n"
                     "  - expect-flash-wear: slot-a\n"
                     "  - flash-corrupt: {partition: meta, offset: 0, length: 4, how: zero}\n"
                     "  - flash-corrupt: {partition: meta, offset: 4, length: 4}\n"
                     "  - flash-corrupt: {partition: meta, offset: 8, length: 4, how: erase}\n");
  REQUIRE_MESSAGE(r.status == Status::Passed, r.timeline);
  CHECK(contains(r.steps.at(1).note, "meta: 4 sectors, 1 erases in all, per sector 0..1"));
  CHECK(contains(r.steps.at(2).note, "slot-a: 24 sectors, 0 erases in all"));
  CHECK(contains(r.steps.at(3).note, "4 bytes at 0x00040000 (zero)"));
  std::vector<std::uint8_t> file = read_all(image);
  auto img = emu::decode_memory_image(file, image);
  REQUIRE_MESSAGE(img.ok(), img.error());
  CHECK(word_at(*img, 0x40000) == 0u);
  CHECK(word_at(*img, 0x40004) == ~(0xA5000000u | 1u));
  CHECK(word_at(*img, 0x40008) == 0xFFFFFFFFu);
  CHECK(word_at(*img, 0x4000C) == (0xA5000000u | 3u));
  std::remove(image.c_str());

  auto worn = test::run(kFlashWriter +
                        "steps:\n"
                        "  - wait-serial: {text: verify=ok, timeout: 50ms}\n"
                        "  - expect-flash-wear: {partition: meta, max-erases: 0}\n");
  REQUIRE(worn.status == Status::Failed);
  CHECK(contains(worn.failure->expected, "at most 0 erases of any sector"));
  CHECK(contains(worn.failure->seen, "meta: 4 sectors, 1 erases in all"));

  auto outside = test::run(kFlashWriter + "steps:\n  - flash-corrupt: {partition: meta, offset: 16380, length: 8}\n");
  REQUIRE(outside.status == Status::Failed);
  CHECK(contains(outside.failure->expected, "offset + length within partition meta (16384 bytes)"));
}
