// runaway: prints `runaway=start`, then spins forever in spin() (a branch to itself) reached
// through main -> level1 -> level2. Never exits: the emulator's instruction budget must stop it.
#include "test.h"

extern "C" __attribute__((noinline)) void spin() {
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
