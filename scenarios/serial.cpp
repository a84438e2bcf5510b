// UART logs and pattern matching (serial.h).
#include "scenarios/serial.h"

#include <algorithm>

#include "scenarios/text_util.h"

namespace hilsim::scen {

void UartLog::add(emu::Ticks at, std::uint8_t byte) {
  if (byte == '\r') return;
  text_.push_back(static_cast<char>(byte));
  times_.push_back(at);
  if (byte == '\n') {
    lines_.push_back({line_start_, text_.size() - 1, at});
    line_start_ = text_.size();
  }
}

std::optional<std::string> UartLog::break_line(emu::Ticks at) {
  if (line_complete()) return std::nullopt;
  std::string rest = partial();
  add(at, '\n');
  return rest;
}

std::string Pattern::describe() const {
  return regex ? "regex /" + source + "/" : "text " + quoted(text);
}

Pattern pattern_from(const Args& args, const std::string& text_key, const std::string& regex_key) {
  Pattern p;
  if (args.has(regex_key)) {
    p.regex = args.value(regex_key).regex;
    p.source = args.value(regex_key).raw;
  } else {
    p.text = args.text(text_key);
  }
  return p;
}

void check_pattern(const Args& args, const std::string& what, const std::string& text_key,
                   const std::string& regex_key) {
  bool t = args.has(text_key), r = args.has(regex_key);
  if (t && r) fail_at(args.mark(regex_key), what + " takes '" + text_key + "' or '" + regex_key + "', not both");
  if (!t && !r) fail_at(args.where, what + " needs '" + text_key + "' (a substring) or '" + regex_key + "' (matched per line)");
  if (t && args.text(text_key).empty()) fail_at(args.mark(text_key), what + ": '" + text_key + "' must not be empty");
}

Matcher::Matcher(Pattern pattern, const UartLog& log, std::size_t from)
    : pattern_(std::move(pattern)), log_(log), from_(std::min(from, log.size())), scanned_(from_) {
  const auto& lines = log_.lines();
  // First line that ends at or after `from` (it may start before: only its tail is searched).
  next_line_ = static_cast<std::size_t>(
      std::lower_bound(lines.begin(), lines.end(), from_, [](const UartLog::Line& l, std::size_t f) { return l.end < f; }) -
      lines.begin());
}

const std::optional<Match>& Matcher::poll() {
  if (match_) return match_;
  const std::string& text = log_.text();
  if (!pattern_.regex) {
    const std::string& needle = pattern_.text;
    if (text.size() < from_ + needle.size()) return match_;
    std::size_t start = scanned_ >= needle.size() ? std::max(from_, scanned_ - needle.size() + 1) : from_;
    std::size_t at = text.find(needle, start);
    scanned_ = text.size();
    if (at == std::string::npos) return match_;
    Match m{at, at + needle.size(), log_.time_of(at + needle.size() - 1), {}};
    std::size_t ls = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
    ls = ls == std::string::npos ? 0 : ls + 1;
    std::size_t le = text.find('\n', m.end - 1);
    m.line = text.substr(ls, (le == std::string::npos ? text.size() : le) - ls);
    match_ = m;
    return match_;
  }
  const auto& lines = log_.lines();
  for (; next_line_ < lines.size(); ++next_line_) {
    const UartLog::Line& l = lines[next_line_];
    std::size_t begin = std::max(l.begin, from_);
    if (begin > l.end) continue;
    std::smatch sm;
    std::string s = text.substr(begin, l.end - begin);
    if (std::regex_search(s, sm, *pattern_.regex)) {
      std::size_t b = begin + static_cast<std::size_t>(sm.position(0));
      match_ = Match{b, l.end + 1, l.at, log_.line_text(l)};
      ++next_line_;
      return match_;
    }
  }
  return match_;
}

}  // namespace hilsim::scen
