// net-link driver (see net.h). The interrupt only wakes the core (it acknowledges every
// event); the thread re-reads STATE, ERROR and RXCOUNT, which are the truth.
#include "drivers/net.h"

#include "drivers/wait.h"
#include "hw/cortex_m4.h"
#include "hw/demo_m4.h"

namespace net {
namespace {

using namespace demo_m4;

Result error_result() {
  switch (netlink().ERROR) {
    case 1: return Result::Refused;
    case 2: return Result::Reset;
    case 3: return Result::Timeout;
    case 4: return Result::Unreachable;
    default: return Result::Failed;
  }
}

}  // namespace

const char* to_string(Result r) {
  switch (r) {
    case Result::Ok: return "ok";
    case Result::Refused: return "connection refused";
    case Result::Reset: return "connection reset";
    case Result::Timeout: return "timeout";
    case Result::Unreachable: return "host unreachable";
    case Result::Failed: return "network error";
    case Result::Closed: return "connection closed";
  }
  return "?";
}

void init(uint8_t irq_priority) {
  netlink().IRQEN = 0;
  netlink().EVENTS = NET_EVENTS_ALL;
  netlink().IRQEN = NET_EVENTS_ALL;
  cm4::irq_set_priority(kIrqNet, irq_priority);
  cm4::irq_enable(kIrqNet);
}

Result connect(uint32_t ipv4, uint16_t port, uint32_t timeout_ms) {
  if (netlink().STATE != NET_STATE_IDLE) close();
  netlink().ADDR = ipv4;
  netlink().PORT = port;
  netlink().CMD = NET_CMD_CONNECT;
  sys::wait_until([] { return netlink().STATE != NET_STATE_CONNECTING; }, timeout_ms);
  const uint32_t state = netlink().STATE;
  if (state == NET_STATE_CONNECTED) return Result::Ok;
  const Result r = state == NET_STATE_ERROR ? error_result() : Result::Timeout;
  close();
  return r;
}

Result send(const void* data, uint32_t len, uint32_t timeout_ms) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (len != 0) {
    if (netlink().STATE != NET_STATE_CONNECTED) return netlink().STATE == NET_STATE_ERROR ? error_result() : Result::Closed;
    uint32_t room = netlink().TXFREE;
    if (room == 0) {
      if (!sys::wait_until([] { return netlink().TXFREE != 0 || netlink().STATE != NET_STATE_CONNECTED; }, timeout_ms))
        return Result::Timeout;
      continue;
    }
    for (; room != 0 && len != 0; --room, --len) netlink().TXDATA = *p++;
  }
  return Result::Ok;
}

int32_t recv(uint8_t* buf, uint32_t cap, uint32_t timeout_ms) {
  auto readable = [] {
    const uint32_t s = netlink().STATE;
    return netlink().RXCOUNT != 0 || (s != NET_STATE_CONNECTED && s != NET_STATE_CONNECTING);
  };
  if (!sys::wait_until(readable, timeout_ms)) return static_cast<int32_t>(Result::Timeout);
  uint32_t n = netlink().RXCOUNT;
  if (n == 0) {
    return static_cast<int32_t>(netlink().STATE == NET_STATE_ERROR ? error_result() : Result::Closed);
  }
  if (n > cap) n = cap;
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t w = netlink().RXWORD;
    buf[i] = static_cast<uint8_t>(w);
    buf[i + 1] = static_cast<uint8_t>(w >> 8);
    buf[i + 2] = static_cast<uint8_t>(w >> 16);
    buf[i + 3] = static_cast<uint8_t>(w >> 24);
  }
  for (; i < n; ++i) buf[i] = static_cast<uint8_t>(netlink().RXDATA);
  return static_cast<int32_t>(n);
}

void close() {
  if (netlink().STATE != NET_STATE_IDLE) netlink().CMD = NET_CMD_ABORT;
  netlink().EVENTS = NET_EVENTS_ALL;
}

void isr() { netlink().EVENTS = NET_EVENTS_ALL; }

}  // namespace net
