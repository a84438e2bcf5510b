// Memory image files: a region saved and loaded back; wrong region, wrong size, truncated
// and corrupted files refused with a message naming the file; loading drops translated code.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "emulator/memory_image.h"
#include "tests/emulator/machine_fixture.h"

using namespace hilsim;
using test::MachineFixture;

namespace {
std::string temp_path(const char* name) {
  return "/tmp/hilsim-memimg-" + std::to_string(::getpid()) + "-" + name;
}
std::vector<std::uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_all(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("memory image: encode and decode round trip; every header field is checked") {
  std::vector<std::uint8_t> payload(8192);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
  std::vector<std::uint8_t> file = emu::encode_memory_image("flash", 0x08000000, payload);
  CHECK(file.size() == 32 + 5 + payload.size());
  auto img = emu::decode_memory_image(file, "x.img");
  REQUIRE_MESSAGE(img.ok(), img.error());
  CHECK(img->region == "flash");
  CHECK(img->base == 0x08000000);
  CHECK(img->bytes == payload);

  auto corrupt = file;
  corrupt[32 + 5 + 100] ^= 0x01;  // one payload bit
  CHECK(emu::decode_memory_image(corrupt, "x.img").error() == "x.img: corrupted memory image (checksum mismatch)");
  corrupt = file;
  corrupt[12] ^= 0x10;  // the base address is covered too
  CHECK(contains(emu::decode_memory_image(corrupt, "x.img").error(), "checksum mismatch"));
  auto truncated = file;
  truncated.resize(file.size() - 1);
  CHECK(contains(emu::decode_memory_image(truncated, "x.img").error(),
                 "x.img: truncated or corrupted memory image: the header announces 8229 bytes, the file has 8228"));
  CHECK(emu::decode_memory_image(std::vector<std::uint8_t>(40, 0), "x.img").error() ==
        "x.img: not a hilsim memory image (no HSIMMEM1 header)");
  auto version = file;
  version[8] = 9;
  CHECK(contains(emu::decode_memory_image(version, "x.img").error(), "format version 9 is not supported"));
}

TEST_CASE("memory image: a machine's flash survives a save and a load into a new machine") {
  std::string path = temp_path("flash.img");
  {
    MachineFixture f("demo-m4");
    std::memset(f.m().bus().host(0x40000, 16), 0x5A, 16);  // something only the image has
    REQUIRE(emu::save_memory_image(f.m(), "flash", path) == "");
  }
  std::vector<std::uint8_t> file = read_all(path);
  CHECK(file.size() == 32 + 5 + 512 * 1024);

  // A machine without firmware boots from the image alone.
  auto board = emu::load_board(std::string(HILSIM_SOURCE_DIR) + "/boards/demo-m4/board.yaml");
  REQUIRE(board.ok());
  auto m = emu::Machine::create(*board, {});
  REQUIRE(m.ok());
  REQUIRE(emu::load_memory_image(**m, "flash", path) == "");
  CHECK((*m)->bus().host(0x40000, 1)[0] == 0x5A);
  std::string out;
  (*m)->on_uart_byte = [&](emu::Ticks, const std::string&, std::uint8_t b) { out.push_back(static_cast<char>(b)); };
  (*m)->power_on();
  (*m)->run_for((*m)->ticks_from_ns(50'000'000));
  CHECK(contains(out, "hilsim demo-m4 firmware"));
  std::remove(path.c_str());
}

TEST_CASE("memory image: wrong region, wrong size and missing files are refused by name") {
  std::string path = temp_path("sram.img");
  MachineFixture f("demo-m4");
  REQUIRE(emu::save_memory_image(f.m(), "sram", path) == "");
  CHECK(emu::load_memory_image(f.m(), "flash", path) ==
        path + ": expected an image of region 'flash' (524288 bytes), the file holds region 'sram' (131072 bytes)");
  // Same name, other size.
  std::vector<std::uint8_t> small = emu::encode_memory_image("flash", 0, std::vector<std::uint8_t>(4096, 0xFF));
  write_all(path, small);
  CHECK(emu::load_memory_image(f.m(), "flash", path) ==
        path + ": expected an image of region 'flash' (524288 bytes), the file holds region 'flash' (4096 bytes)");
  // Same size, other base.
  write_all(path, emu::encode_memory_image("flash", 0x08000000, std::vector<std::uint8_t>(512 * 1024, 0xFF)));
  CHECK(contains(emu::load_memory_image(f.m(), "flash", path), "saved from base 0x08000000, this board has it at 0x00000000"));
  std::remove(path.c_str());
  CHECK(contains(emu::load_memory_image(f.m(), "flash", path), path + ": cannot open memory image"));
  CHECK(contains(emu::save_memory_image(f.m(), "eeprom", path), "the board has no memory region 'eeprom'"));
  CHECK(contains(emu::save_memory_image(f.m(), "flash", "/nonexistent-dir/x.img"), "/nonexistent-dir/x.img: cannot write"));
}

TEST_CASE("memory image: loading drops translated code, so new code in flash runs") {
  std::string path = temp_path("writer.img");
  {
    MachineFixture other("flash_writer");
    REQUIRE(emu::save_memory_image(other.m(), "flash", path) == "");
  }
  MachineFixture f("demo-m4");
  f.m().power_on();
  f.m().run_for(f.ms(20));  // the demo's code is translated
  CHECK(f.printed("hilsim demo-m4 firmware"));
  f.m().power_off();
  // Same addresses, different program: without memory_changed the old translation would run.
  REQUIRE(emu::load_memory_image(f.m(), "flash", path) == "");
  f.m().power_on();
  f.m().run_for(f.ms(200));
  for (auto& r : f.m().faults()) MESSAGE("FAULT ", emu::format_fault(r, nullptr));
  CHECK_MESSAGE(f.value("erased") == "1", f.transcript());
  std::remove(path.c_str());
}

