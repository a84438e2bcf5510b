// Semihosting test: WRITE0/WRITEC to the console, then a file written, closed, reopened, read
// back and compared (OPEN/WRITE/CLOSE/READ/FLEN), ERRNO after opening a missing file, CLOCK and
// TIME called (values not printed: they differ between emulators). Exits with status 3.
#include "mps2.h"

static int sh_open(const char* name, int mode) {
  uint32_t len = 0;
  while (name[len]) ++len;
  uint32_t args[3] = {(uint32_t)name, (uint32_t)mode, len};
  return semihost(0x01, args);
}

int main(void) {
  semihost(0x04, "semihost: write0\n");
  char c = 'W';
  semihost(0x03, &c);
  c = '\n';
  semihost(0x03, &c);
  static const char text[] = "hello file\n";
  int fd = sh_open("sh_test.txt", 4);  // "w"
  uint32_t wargs[3] = {(uint32_t)fd, (uint32_t)text, sizeof text - 1};
  int not_written = semihost(0x05, wargs);
  semihost(0x02, &fd);
  fd = sh_open("sh_test.txt", 0);  // "r"
  int flen = semihost(0x0C, &fd);
  char buf[32] = {0};
  uint32_t rargs[3] = {(uint32_t)fd, (uint32_t)buf, sizeof buf};
  int not_read = semihost(0x06, rargs);
  semihost(0x02, &fd);
  int same = (int)(sizeof buf) - not_read == (int)(sizeof text - 1);
  for (uint32_t i = 0; i < sizeof text - 1; ++i) same &= buf[i] == text[i];
  int missing = sh_open("no_such_file.txt", 0);
  int err = semihost(0x13, 0);
  int clk = semihost(0x10, 0);
  (void)semihost(0x11, 0);
  puts_("uart still works\n");
  kv("open_ok", fd >= 0);
  kv("not_written", (uint32_t)not_written);
  kv("flen", (uint32_t)flen);
  kv("read_back_same", same);
  kv("missing_fails", missing == -1);
  kv("errno_set", err != 0);
  kv("clock_ok", clk >= 0);
  return 3;
}
