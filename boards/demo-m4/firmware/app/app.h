// demo-m4 application: the pieces main.cpp wires together. Thread-mode console output, the
// watchdog policy, the command line (console.cpp), the script lifecycle (runner.h) and the
// update agent (update/agent.h). Interrupt handlers only record events; all printing and all
// script calls happen in thread mode.
#pragma once
#include <cstdint>

namespace app {

constexpr const char* kFirmwareVersion = "1.0";
constexpr uint32_t kTickHz = 1000;            // SysTick rate: one tick per millisecond
constexpr uint32_t kFeedPeriodMs = 100;       // the watchdog is fed this often
constexpr uint32_t kUpdatePollMs = 10000;     // the agent asks for a manifest this often

// NVIC priorities (upper bits only; lower value = more urgent).
constexpr uint8_t kPrioSysTick = 0x40;
constexpr uint8_t kPrioUart = 0x80;
constexpr uint8_t kPrioGpio = 0x80;
constexpr uint8_t kPrioFlash = 0x80;
constexpr uint8_t kPrioNet = 0x80;

// ---- console output (thread mode; goes through the interrupt-driven UART) ----
void out(char c);
void out_str(const char* s);
void out_dec(uint32_t v);
void out_hex(uint32_t v);  // "0x" + 8 digits
void out_line(const char* s);  // s + CR LF

// ---- main.cpp: watchdog policy, update scheduling ----
void watchdog_stop_feeding();
bool watchdog_is_fed();
void request_update_check();

// ---- console.cpp: line-buffered command line on uart0 (no echo) ----
bool console_pending();
void console_poll();

}  // namespace app
