// Timeline formatting (timeline.h).
#include "scenarios/timeline.h"

#include <cstdio>

namespace hilsim::scen {

void Timeline::emit(const std::string& line) {
  transcript_ += line;
  if (sink_) sink_(line);
}

void Timeline::entry(double seconds, const std::string& who, const std::string& text) {
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "[%11.6f s] %-6s ", seconds, who.c_str());
  std::string out = stamp;
  std::string indent(out.size(), ' ');
  for (std::size_t start = 0;;) {
    std::size_t nl = text.find('\n', start);
    out += text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += '\n';
    if (nl == std::string::npos || nl + 1 == text.size()) break;
    start = nl + 1;
    out += indent;
  }
  emit(out);
}

void Timeline::text(const std::string& line) {
  emit(line.empty() || line.back() != '\n' ? line + "\n" : line);
}

}  // namespace hilsim::scen
