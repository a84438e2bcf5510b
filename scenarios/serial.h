// What a device printed on one UART during a run, and patterns matched against it.
// The log keeps every byte (CR removed) with its virtual time, and the complete lines. A text
// pattern is a substring of the byte stream (it may end mid-line, e.g. a prompt; "\n" in it
// spans lines); a regex pattern is searched in each complete line. Matchers scan only what
// arrived since their last poll, so waiting on a chatty UART stays linear.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "emulator/clock.h"
#include "scenarios/args.h"

namespace hilsim::scen {

class UartLog {
 public:
  struct Line {
    std::size_t begin = 0, end = 0;  // [begin, end) in text(), without the '\n'
    emu::Ticks at = 0;               // when the '\n' arrived
  };

  void add(emu::Ticks at, std::uint8_t byte);  // returns nothing; '\n' completes a line
  // Ends a partial line (the device was reset or lost power mid-line); returns its text.
  std::optional<std::string> break_line(emu::Ticks at);
  const std::string& text() const { return text_; }
  std::size_t size() const { return text_.size(); }
  emu::Ticks time_of(std::size_t offset) const { return times_.at(offset); }
  const std::vector<Line>& lines() const { return lines_; }
  std::string line_text(const Line& l) const { return text_.substr(l.begin, l.end - l.begin); }
  bool line_complete() const { return line_start_ == text_.size(); }
  std::string partial() const { return text_.substr(line_start_); }

  std::size_t cursor = 0;  // end of the last wait-serial / expect-serial match

 private:
  std::string text_;
  std::vector<emu::Ticks> times_;
  std::vector<Line> lines_;
  std::size_t line_start_ = 0;
};

struct Pattern {
  std::string text;                          // substring, or
  std::shared_ptr<const std::regex> regex;   // regex searched per line
  std::string source;                        // the regex as written
  std::string describe() const;              // text "..." / regex /.../
};
// From the keys `text` and `regex` (exactly one; checked while loading by check_pattern).
Pattern pattern_from(const Args& args, const std::string& text_key = "text", const std::string& regex_key = "regex");
void check_pattern(const Args& args, const std::string& what, const std::string& text_key = "text",
                   const std::string& regex_key = "regex");

struct Match {
  std::size_t begin = 0, end = 0;  // in the log's text
  emu::Ticks at = 0;               // when its last byte arrived
  std::string line;                // the line it is in (for messages)
};

class Matcher {
 public:
  Matcher(Pattern pattern, const UartLog& log, std::size_t from);
  // Looks at what arrived since the last poll; keeps the first match.
  const std::optional<Match>& poll();
  const std::optional<Match>& match() const { return match_; }
  const Pattern& pattern() const { return pattern_; }
  std::size_t from() const { return from_; }

 private:
  Pattern pattern_;
  const UartLog& log_;
  std::size_t from_;
  std::size_t scanned_;      // text: bytes examined
  std::size_t next_line_ = 0;  // regex: first line not examined
  std::optional<Match> match_;
};

}  // namespace hilsim::scen
