// Idle hook storage for wait_until() (see wait.h).
#include "drivers/wait.h"

namespace sys {
namespace {
IdleHook g_hook;
bool g_in_hook;
}  // namespace

void set_idle_hook(IdleHook hook) { g_hook = hook; }

void run_idle_hook() {
  if (g_hook == nullptr || g_in_hook) return;
  g_in_hook = true;
  g_hook();
  g_in_hook = false;
}

}  // namespace sys
