// Command line on uart0: bytes arrive through the RX interrupt, lines end with CR or LF,
// nothing is echoed, empty lines are ignored. Every recognised command prints one line first;
// anything else prints "unknown command: <line>". Commands are declared once in kCommands.
#include "app/app.h"
#include "app/runner.h"
#include "drivers/gpio.h"
#include "drivers/systick.h"
#include "drivers/uart.h"
#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"

namespace app {
namespace {

constexpr uint32_t kMaxLine = 64;
char g_line[kMaxLine + 1];
uint32_t g_len;
bool g_overflow;

const char* on_off(bool on) { return on ? "on" : "off"; }

bool equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

void cmd_help();

void cmd_status() {
  const uint32_t t = systick::ticks();
  out_str("status: uptime_ms=");
  out_dec(t * (1000 / kTickHz));
  out_str(" ticks=");
  out_dec(t);
  out_str(" led0=");
  out_str(on_off(gpio::led_is_on(demo_m4::kPinLed0)));
  out_str(" led1=");
  out_str(on_off(gpio::led_is_on(demo_m4::kPinLed1)));
  out_str(" button=");
  out_str(gpio::button_is_pressed() ? "pressed" : "released");
  out_str(" watchdog=");
  out_line(watchdog_is_fed() ? "fed" : "starving");
  runner::print_status();
}

void cmd_update() {
  out_line("update: checking now");
  request_update_check();
}

void cmd_reset() {
  out_line("reset: software reset");
  uart::flush();
  cm4::system_reset();
}

void cmd_hang() {
  out_line("hang: watchdog feeding stopped");
  watchdog_stop_feeding();
}

void cmd_fault() {
  out_line("fault: reading 0x30000000");
  uart::flush();
  // Nothing is mapped at 0x30000000 on demo-m4: the load is a bus error -> HardFault.
  (void)*reinterpret_cast<volatile uint32_t*>(0x30000000u);
}

struct Command {
  const char* name;
  void (*run)();
};
constexpr Command kCommands[] = {
    {"help", cmd_help}, {"status", cmd_status}, {"reset", cmd_reset},
    {"hang", cmd_hang}, {"fault", cmd_fault}, {"update", cmd_update},
};

void cmd_help() {
  out_str("commands:");
  for (const Command& c : kCommands) {
    out(' ');
    out_str(c.name);
  }
  out_line("");
}

void dispatch(const char* line) {
  for (const Command& c : kCommands) {
    if (equal(line, c.name)) {
      c.run();
      return;
    }
  }
  out_str("unknown command: ");
  out_line(line);
}

}  // namespace

bool console_pending() { return uart::rx_pending(); }

void console_poll() {
  char c;
  while (uart::get(c)) {
    if (c == '\r' || c == '\n') {
      g_line[g_len] = '\0';
      if (g_overflow)
        out_line("error: line too long");
      else if (g_len != 0)
        dispatch(g_line);
      g_len = 0;
      g_overflow = false;
    } else if (g_len < kMaxLine) {
      g_line[g_len++] = c;
    } else {
      g_overflow = true;
    }
  }
}

}  // namespace app
