// Memory image files (see memory_image.h for the layout).
#include "emulator/memory_image.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "emulator/machine.h"

namespace hilsim::emu {

namespace {
constexpr std::size_t kHeader = 32;

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint32_t get32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void add(std::span<const std::uint8_t> bytes) {
    for (std::uint8_t b : bytes) {
      h ^= b;
      h *= 0x100000001b3ull;
    }
  }
};

std::uint64_t checksum(std::span<const std::uint8_t> fields, std::span<const std::uint8_t> name,
                       std::span<const std::uint8_t> payload) {
  Fnv f;
  f.add(fields);
  f.add(name);
  f.add(payload);
  return f.h;
}

std::string describe(const std::string& region, std::uint32_t size) {
  return "region '" + region + "' (" + std::to_string(size) + " bytes)";
}
}  // namespace

std::vector<std::uint8_t> encode_memory_image(const std::string& region, std::uint32_t base,
                                              std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> out(std::begin(kMemoryImageMagic), std::end(kMemoryImageMagic));
  put32(out, kMemoryImageVersion);
  put32(out, base);
  put32(out, static_cast<std::uint32_t>(bytes.size()));
  put32(out, static_cast<std::uint32_t>(region.size()));
  auto name = std::span(reinterpret_cast<const std::uint8_t*>(region.data()), region.size());
  std::uint64_t sum = checksum(std::span(out).subspan(8, 16), name, bytes);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(sum >> (8 * i)));
  out.insert(out.end(), name.begin(), name.end());
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Loaded<MemoryImage> decode_memory_image(std::span<const std::uint8_t> file, const std::string& filename) {
  using L = Loaded<MemoryImage>;
  if (file.size() < kHeader || std::memcmp(file.data(), kMemoryImageMagic, 8) != 0)
    return L::failure(filename + ": not a hilsim memory image (no HSIMMEM1 header)");
  std::uint32_t version = get32(&file[8]);
  if (version != kMemoryImageVersion)
    return L::failure(filename + ": memory image format version " + std::to_string(version) +
                      " is not supported (this build reads version " + std::to_string(kMemoryImageVersion) + ")");
  MemoryImage image;
  image.base = get32(&file[12]);
  std::uint32_t size = get32(&file[16]), name_len = get32(&file[20]);
  if (name_len == 0 || name_len > 255) return L::failure(filename + ": corrupted memory image (bad region name length)");
  std::uint64_t expected_size = kHeader + std::uint64_t{name_len} + size;
  if (file.size() != expected_size)
    return L::failure(filename + ": truncated or corrupted memory image: the header announces " +
                      std::to_string(expected_size) + " bytes, the file has " + std::to_string(file.size()));
  std::uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= std::uint64_t{file[24 + i]} << (8 * i);
  auto name = file.subspan(kHeader, name_len);
  auto payload = file.subspan(kHeader + name_len, size);
  if (checksum(file.subspan(8, 16), name, payload) != stored)
    return L::failure(filename + ": corrupted memory image (checksum mismatch)");
  image.region.assign(name.begin(), name.end());
  image.bytes.assign(payload.begin(), payload.end());
  return image;
}

std::string save_memory_image(Machine& machine, const std::string& region, const std::string& path) {
  periph::DeviceHost::MemoryView view = machine.memory(region);
  if (!view.bytes) return path + ": cannot save: the board has no memory region '" + region + "'";
  std::vector<std::uint8_t> file = encode_memory_image(region, view.base, std::span(view.bytes, view.size));
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return path + ": cannot write (" + std::strerror(errno) + ")";
    out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
    if (!out.flush()) return path + ": write failed (" + std::strerror(errno) + ")";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    return path + ": cannot write (" + err + ")";
  }
  return {};
}

std::string load_memory_image(Machine& machine, const std::string& region, const std::string& path) {
  periph::DeviceHost::MemoryView view = machine.memory(region);
  if (!view.bytes) return path + ": cannot load: the board has no memory region '" + region + "'";
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ": cannot open memory image (" + std::strerror(errno) + ")";
  std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Loaded<MemoryImage> image = decode_memory_image(file, path);
  if (!image) return image.error();
  if (image->region != region || image->bytes.size() != view.size)
    return path + ": expected an image of " + describe(region, view.size) + ", the file holds " +
           describe(image->region, static_cast<std::uint32_t>(image->bytes.size()));
  if (image->base != view.base) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "the file was saved from base 0x%08x, this board has it at 0x%08x", image->base,
                  view.base);
    return path + ": region '" + region + "': " + buf;
  }
  std::memcpy(view.bytes, image->bytes.data(), view.size);
  machine.memory_changed(view.base, view.size);
  return {};
}

}  // namespace hilsim::emu
