// What every step file includes, and helpers shared by several steps.
#pragma once

#include <string>

#include "scenarios/run_context.h"
#include "scenarios/serial.h"
#include "scenarios/step.h"
#include "scenarios/text_util.h"

namespace hilsim::scen::steps {

// "within 2s (until 3.500000 s)" for expectations.
inline std::string within(RunContext& ctx, std::uint64_t ns, emu::Ticks until) {
  return "within " + duration_text(ns) + " (by " + ctx.stamp(until) + ")";
}

// What a UART said in [from, end): "nothing" or "N lines, the last: "..."".
inline std::string serial_seen(RunContext& ctx, const std::string& uart, std::size_t from) {
  UartLog& log = ctx.uart(uart);
  std::size_t lines = 0;
  std::string last;
  for (const UartLog::Line& l : log.lines())
    if (l.end >= from) {
      ++lines;
      last = log.line_text(l);
    }
  std::string partial = log.line_complete() ? "" : log.partial();
  if (lines == 0 && partial.empty()) return "nothing on " + uart + " in that time";
  std::string s = std::to_string(lines) + " line" + (lines == 1 ? "" : "s") + " on " + uart + ", none matching";
  if (!last.empty()) s += "; the last: " + quoted(last);
  if (!partial.empty()) s += "; unfinished line: " + quoted(partial);
  return s;
}

// The step failed because its wait was cut short by a violation (or the time limit).
inline StepResult stopped_or(RunContext::Wait w, StepResult otherwise) {
  return w == RunContext::Wait::Stopped ? StepResult::stopped() : otherwise;
}

}  // namespace hilsim::scen::steps
