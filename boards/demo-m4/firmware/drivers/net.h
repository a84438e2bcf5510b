// net-link driver (docs/peripherals.md "net-link"): one TCP connection through the socket-
// offload peripheral. Calls block in wait_until() (WFI + idle hook) with a timeout, so the
// application keeps running while bytes trickle in.
#pragma once
#include <cstdint>

namespace net {

enum class Result : int8_t {
  Ok = 0,
  Refused = -1,      // ERROR REFUSED
  Reset = -2,        // connection dropped (ERROR RESET)
  Timeout = -3,      // ERROR TIMEOUT, or our own timeout expired
  Unreachable = -4,  // ERROR UNREACHABLE
  Failed = -5,       // any other error
  Closed = -6,       // peer closed and no more bytes
};
const char* to_string(Result r);

void init(uint8_t irq_priority);
Result connect(uint32_t ipv4, uint16_t port, uint32_t timeout_ms);
Result send(const void* data, uint32_t len, uint32_t timeout_ms);
// Waits for at least one byte; returns the count (> 0) or a Result (< 0). A clean close with
// nothing left to read returns Result::Closed.
int32_t recv(uint8_t* buf, uint32_t cap, uint32_t timeout_ms);
void close();  // abort the connection (RST) and return to IDLE; safe in any state

void isr();  // call from NET_IRQHandler

}  // namespace net
