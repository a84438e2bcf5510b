// The output streams of a session (docs/recording-format.md, "Streams"): what the device did,
// split by where it shows. Each stream keeps a running hash and count over all its events and
// the events of the current checkpoint interval, so a recording can store them and a replay can
// compare them and point at the first event that differs.
//
//   uart        every byte a UART sent                       at, a = uart index, b = byte
//   gpio        every output pin change                      at, a = level, text = pin
//   net         every net-link note (connect, request, ...)  at, a = connection, b = note kind, text
//   flash       every flash operation start and end          at, a = 0 start / 1 end, b = kind, c = address << 32 | size, text = result
//   resets      every reset                                  at, a = reason, b = pc
//   faults      every fault report                           at, a = pc
//   interrupts  every exception entry and return             at, a = 0 entry / 1 return, b = exception, c = return address / pc
//   mmio        every peripheral register access             at (instruction count), a = size << 1 | write, b = block address, c = address << 32 | value
//
// The first four come from RunContext (OutputTap), the rest from the machine's trace sink.
// Hashes and comparisons leave out code addresses (see same_event): replaying a rebuilt
// firmware diverges where its behaviour does, not where its code moved.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emulator/symbols.h"
#include "emulator/trace_hash.h"
#include "scenarios/run_context.h"

namespace hilsim::scen::rec {

// The numbers are part of the recording format: never renumber, only add (kStreamCount grows).
enum class Stream : std::uint8_t { Uart = 0, Gpio, Net, Flash, Resets, Faults, Interrupts, Mmio };
inline constexpr std::size_t kStreamCount = 8;
const char* to_string(Stream stream);

struct StreamEvent {
  emu::Ticks at = 0;
  std::uint64_t a = 0, b = 0, c = 0;
  std::string text;
  bool operator==(const StreamEvent&) const = default;
};

// Whether two events are the same for replay: every field but code addresses (the block of an
// MMIO access, an exception's return address, a reset's or fault's pc), which a rebuild moves.
bool same_event(Stream stream, const StreamEvent& x, const StreamEvent& y);

// One line for reports: "uart0 byte 'v' (0x76)", "write 0x40001000 = 0x00000041 (4 bytes) from app::run+0x12".
std::string describe(Stream stream, const StreamEvent& event, const std::vector<std::string>& uart_names,
                     const emu::SymbolTable* symbols);

// Running hash and count of one stream, over the whole session.
struct StreamSum {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  std::uint64_t count = 0;
  bool operator==(const StreamSum&) const = default;
};

// Events of one checkpoint interval, encoded (varints, deltas) and decoded.
void encode_events(const std::vector<StreamEvent>& events, std::vector<std::uint8_t>& out);
// Decodes `count` events; false if the bytes end early or hold nonsense.
bool decode_events(std::span<const std::uint8_t>& in, std::vector<StreamEvent>& out);

// All streams of one run: taps RunContext and the machine's trace while attached.
class SessionStreams final : public emu::TraceSink, public OutputTap {
 public:
  SessionStreams() = default;
  ~SessionStreams() override;
  SessionStreams(const SessionStreams&) = delete;
  SessionStreams& operator=(const SessionStreams&) = delete;

  void attach(RunContext& ctx);  // before the first power-on
  void detach();

  const StreamSum& sum(Stream s) const { return sums_[static_cast<std::size_t>(s)]; }
  const std::vector<StreamEvent>& interval(Stream s) const { return events_[static_cast<std::size_t>(s)]; }
  void start_interval();  // forget the events so far (a checkpoint has taken them)
  const std::vector<std::string>& uart_names() const { return uart_names_; }

  // emu::TraceSink
  void traced(std::uint64_t kind, std::uint64_t a, std::uint64_t b, std::uint64_t c) override;
  // OutputTap
  void uart_byte(emu::Ticks at, const std::string& uart, std::uint8_t byte) override;
  void pin_changed(emu::Ticks at, const std::string& pin, bool level) override;
  void flash_op(const periph::FlashOp& op) override;

 private:
  void add(Stream s, StreamEvent e);
  RunContext* ctx_ = nullptr;
  std::array<StreamSum, kStreamCount> sums_{};
  std::array<std::vector<StreamEvent>, kStreamCount> events_{};
  std::vector<std::string> uart_names_;  // index = position on the board
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the net-link observer
};

}  // namespace hilsim::scen::rec
