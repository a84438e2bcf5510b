// Minimal text formatting (see fmt.h).
#include "lib/fmt.h"

namespace fmt {

void str(PutChar put, const char* s) {
  while (*s != '\0') put(*s++);
}

void dec(PutChar put, uint32_t v) {
  char buf[10];
  unsigned n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n != 0) put(buf[--n]);
}

void hex(PutChar put, uint32_t v, unsigned digits) {
  if (digits == 0 || digits > 8) digits = 8;
  for (unsigned i = digits; i != 0; --i) put("0123456789abcdef"[(v >> ((i - 1) * 4)) & 0xF]);
}

}  // namespace fmt
