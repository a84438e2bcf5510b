// Semihosting operations. Files are confined to the root directory: names with ".." or a
// leading '/' are refused, so firmware cannot reach the rest of the host.
#include "emulator/semihosting.h"

#include <unicorn/arm.h>

#include <cerrno>
#include <vector>

#include "emulator/cpu.h"

namespace hilsim::emu {

namespace {
enum : std::uint32_t {
  kOpen = 0x01, kClose = 0x02, kWriteC = 0x03, kWrite0 = 0x04, kWrite = 0x05, kRead = 0x06,
  kReadC = 0x07, kIsTty = 0x09, kSeek = 0x0A, kFlen = 0x0C, kClock = 0x10, kTime = 0x11,
  kErrno = 0x13, kExit = 0x18, kExitExtended = 0x20,
};
constexpr std::uint32_t kApplicationExit = 0x20026;
constexpr int kStdin = 1, kStdout = 2;  // handles for ":tt" opened for read / write
}  // namespace

Semihosting::~Semihosting() {
  for (auto& [h, f] : files_) std::fclose(f);
}

std::string Semihosting::read_string(Cpu& cpu, std::uint32_t addr, std::uint32_t len) {
  std::string s;
  for (std::uint32_t i = 0; i < len && i < 4096; ++i) {
    char c = 0;
    if (!cpu.read_mem(addr + i, &c, 1)) break;
    s.push_back(c);
  }
  return s;
}

std::optional<int> Semihosting::call(Cpu& cpu) {
  std::uint32_t op = cpu.reg(UC_ARM_REG_R0);
  std::uint32_t arg = cpu.reg(UC_ARM_REG_R1);
  auto word = [&](int i) {
    std::uint32_t w = 0;
    cpu.read_mem(arg + 4 * i, &w, 4);
    return w;
  };
  std::int32_t result = -1;
  switch (op) {
    case kExit:
      // r1 is the reason code itself (AArch32); ApplicationExit means success.
      return arg == kApplicationExit ? 0 : 1;
    case kExitExtended:
      return word(0) == kApplicationExit ? static_cast<int>(word(1)) : 1;
    case kWriteC: {
      char c = 0;
      cpu.read_mem(arg, &c, 1);
      env_.out(std::string_view(&c, 1));
      result = 0;
      break;
    }
    case kWrite0: {
      std::string s;
      for (std::uint32_t a = arg; s.size() < 65536; ++a) {
        char c = 0;
        if (!cpu.read_mem(a, &c, 1) || c == 0) break;
        s.push_back(c);
      }
      env_.out(s);
      result = 0;
      break;
    }
    case kOpen: {
      std::string name = read_string(cpu, word(0), word(2));
      std::uint32_t mode = word(1);
      if (name == ":tt") {
        result = mode < 4 ? kStdin : kStdout;
        break;
      }
      if (env_.root.empty() || name.empty() || name[0] == '/' || name.find("..") != std::string::npos) {
        errno_ = EACCES;
        break;
      }
      static const char* modes[] = {"r", "rb", "r+", "r+b", "w", "wb", "w+", "w+b",
                                    "a", "ab", "a+", "a+b"};
      if (mode > 11) break;
      std::FILE* f = std::fopen((env_.root + "/" + name).c_str(), modes[mode]);
      if (!f) {
        errno_ = errno;
        break;
      }
      files_[next_handle_] = f;
      result = next_handle_++;
      break;
    }
    case kClose: {
      int h = static_cast<int>(word(0));
      if (h == kStdin || h == kStdout) result = 0;
      else if (auto it = files_.find(h); it != files_.end()) {
        std::fclose(it->second);
        files_.erase(it);
        result = 0;
      }
      break;
    }
    case kWrite: {  // returns the number of bytes NOT written
      int h = static_cast<int>(word(0));
      std::uint32_t len = word(2);
      std::vector<char> buf(len > (1u << 20) ? 0 : len);
      if (!buf.empty() && !cpu.read_mem(word(1), buf.data(), buf.size())) {
        result = static_cast<std::int32_t>(len);
        break;
      }
      if (h == kStdout || h == kStdin) {
        env_.out(std::string_view(buf.data(), buf.size()));
        result = 0;
      } else if (auto it = files_.find(h); it != files_.end()) {
        result = static_cast<std::int32_t>(len - std::fwrite(buf.data(), 1, buf.size(), it->second));
      } else {
        result = static_cast<std::int32_t>(len);
      }
      break;
    }
    case kRead: {  // returns the number of bytes NOT read
      int h = static_cast<int>(word(0));
      std::uint32_t len = word(2);
      std::vector<char> buf(len > (1u << 20) ? 0 : len);
      std::size_t got = 0;
      if (h == kStdin || h == kStdout) {
        while (got < buf.size()) {
          int c = env_.read_char ? env_.read_char() : -1;
          if (c < 0) break;
          buf[got++] = static_cast<char>(c);
          if (c == '\n') break;
        }
      } else if (auto it = files_.find(h); it != files_.end()) {
        got = std::fread(buf.data(), 1, buf.size(), it->second);
      }
      if (got) cpu.write_mem(word(1), buf.data(), got);
      result = static_cast<std::int32_t>(len - got);
      break;
    }
    case kReadC:
      result = env_.read_char ? env_.read_char() : -1;
      break;
    case kIsTty: {
      int h = static_cast<int>(word(0));
      result = (h == kStdin || h == kStdout) ? 1 : 0;
      break;
    }
    case kSeek: {
      auto it = files_.find(static_cast<int>(word(0)));
      result = (it != files_.end() && std::fseek(it->second, word(1), SEEK_SET) == 0) ? 0 : -1;
      break;
    }
    case kFlen: {
      auto it = files_.find(static_cast<int>(word(0)));
      if (it != files_.end()) {
        long pos = std::ftell(it->second);
        std::fseek(it->second, 0, SEEK_END);
        result = static_cast<std::int32_t>(std::ftell(it->second));
        std::fseek(it->second, pos, SEEK_SET);
      }
      break;
    }
    case kClock:  // centiseconds of virtual time
      result = static_cast<std::int32_t>(env_.seconds() * 100.0);
      break;
    case kTime:  // seconds; virtual, so runs stay deterministic
      result = static_cast<std::int32_t>(env_.seconds());
      break;
    case kErrno:
      result = errno_;
      break;
    default:
      break;
  }
  cpu.set_reg(UC_ARM_REG_R0, static_cast<std::uint32_t>(result));
  return std::nullopt;
}

}  // namespace hilsim::emu
