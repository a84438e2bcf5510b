// The readable record of one scenario run: every entry stamped with virtual time,
//   [   1.234567 s] uart0  hilsim demo-m4 firmware 0.1 (reset: power-on)
// Steps as they start, pass or fail, UART lines, resets, faults, power changes, flash power
// cuts (and, on request, pin changes and every flash operation). Entries go to a sink: the
// console directly (one scenario at a time) or a buffer printed as one block (parallel runs).
#pragma once

#include <functional>
#include <string>

namespace hilsim::scen {

class Timeline {
 public:
  using Sink = std::function<void(const std::string& line)>;  // one line, with its '\n'
  Timeline() = default;
  explicit Timeline(Sink sink) : sink_(std::move(sink)) {}

  // "[%11.6f s] %-6s %s"; multi-line text is indented under the first line.
  void entry(double seconds, const std::string& who, const std::string& text);
  void text(const std::string& line);  // unstamped (headers, failure details)
  // Everything written so far (kept for tests and reports).
  const std::string& transcript() const { return transcript_; }

 private:
  void emit(const std::string& line);
  Sink sink_;
  std::string transcript_;
};

}  // namespace hilsim::scen
