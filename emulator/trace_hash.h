// The determinism contract in one number: an FNV-1a 64 hash folded over every MMIO access
// (block address, instruction count, address, value, direction) and every exception entry
// (exception number, instruction count, return address). Two runs with the same firmware,
// board and inputs must end with the same value, however the run loop was chunked.
#pragma once

#include <cstdint>

namespace hilsim::emu {

// Sees every traced event as it is folded in (session recording, scenarios/recording/). Called
// from MMIO callbacks and exception entry/return: it must be cheap and must not touch the CPU.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void traced(std::uint64_t kind, std::uint64_t a, std::uint64_t b, std::uint64_t c) = 0;
};

// Kinds of traced events (the first word of record()).
inline constexpr std::uint64_t kTraceMmioLimit = 0x100;  // below: MMIO, (size << 1) | is_write
inline constexpr std::uint64_t kTraceReset = 0x100, kTraceExceptionEntry = 0x200, kTraceExceptionReturn = 0x300,
                               kTraceFault = 0x400;

class TraceHash {
 public:
  // One traced event: a kind tag and three words.
  void record(std::uint64_t kind, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    mix(kind);
    mix(a);
    mix(b);
    mix(c);
    ++events_;
    if (sink_) sink_->traced(kind, a, b, c);
  }
  void set_sink(TraceSink* sink) { sink_ = sink; }
  std::uint64_t value() const { return h_; }
  std::uint64_t events() const { return events_; }
  void reset() {
    h_ = kSeed;
    events_ = 0;
  }
  // For snapshots: the running state is these two words.
  std::uint64_t& raw_value() { return h_; }
  std::uint64_t& raw_events() { return events_; }

 private:
  void mix(std::uint64_t word) {
    for (int i = 0; i < 8; ++i) {
      h_ ^= (word >> (i * 8)) & 0xff;
      h_ *= 0x100000001b3ull;
    }
  }
  static constexpr std::uint64_t kSeed = 0xcbf29ce484222325ull;
  std::uint64_t h_ = kSeed;
  std::uint64_t events_ = 0;
  TraceSink* sink_ = nullptr;
};

}  // namespace hilsim::emu
