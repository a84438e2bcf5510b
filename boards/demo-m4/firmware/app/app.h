// demo-m4 application: the pieces main.cpp wires together. Thread-mode console output,
// the LED/button behaviour (indicators.cpp), the watchdog policy, and the command line
// (console.cpp). Interrupt handlers only record events; all printing happens in main's loop.
#pragma once
#include <cstdint>

namespace app {

constexpr const char* kVersion = "0.1";
constexpr uint32_t kTickHz = 1000;            // SysTick rate: one tick per millisecond
constexpr uint32_t kBlinkHalfPeriodMs = 500;  // LED0 toggles this often
constexpr uint32_t kFeedPeriodMs = 100;       // the main loop feeds the watchdog this often

// NVIC priorities (upper bits only; lower value = more urgent).
constexpr uint8_t kPrioSysTick = 0x40;
constexpr uint8_t kPrioUart = 0x80;
constexpr uint8_t kPrioGpio = 0x80;

// ---- console output (thread mode; goes through the interrupt-driven UART) ----
void out(char c);
void out_str(const char* s);
void out_dec(uint32_t v);
void out_hex(uint32_t v);  // "0x" + 8 digits
void out_line(const char* s);  // s + "\r\n"

// ---- indicators.cpp: LED0 blink from SysTick, LED1 toggled by BUTTON presses ----
void indicators_start(uint32_t clock_hz);
bool indicators_pending();  // a button press is waiting to be reported
void indicators_poll();     // prints one "button: LED1=on|off" line per press

// ---- main.cpp: watchdog policy ----
void watchdog_stop_feeding();
bool watchdog_is_fed();

// ---- console.cpp: line-buffered command line on uart0 (no echo) ----
bool console_pending();
void console_poll();

}  // namespace app
