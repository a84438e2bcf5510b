// runaway: prints `runaway=start`, then spins forever in spin() (a branch to itself) reached
// through main -> level1 -> level2. Never exits: the emulator's instruction budget must stop it.
#include "test.h"

// noipa: callers must not learn that spin() never returns, or level2 would end in the call and
// its return address would point into the next function (a misleading backtrace).
extern "C" __attribute__((noipa)) void spin() {
  for (;;) asm volatile("");
}

extern "C" __attribute__((noinline)) void level2() {
  spin();
  asm volatile("");
}

extern "C" __attribute__((noinline)) void level1() {
  level2();
  asm volatile("");
}

int main() {
  t::kv_str("runaway", "start");
  t::flush();
  level1();
  return 0;
}
