// Readable firmware symbol names (symbol_text.h).
#include "gui/symbol_text.h"

#include <cxxabi.h>

#include <cstdlib>

namespace hilsim::gui {

std::string readable_symbol(const std::string& sym) {
  std::size_t plus = sym.find('+');
  std::string name = sym.substr(0, plus);
  int status = 0;
  char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status == 0 && d) {
    name = d;
    // Drop the parameter list: the parenthesis that closes the name (qualifiers such as
    // "const" may follow) back to its match, so "(anonymous namespace)::" stays.
    std::size_t close = name.rfind(')');
    int depth = 0;
    for (std::size_t i = close == std::string::npos ? 0 : close + 1; i-- > 0;) {
      if (name[i] == ')') ++depth;
      if (name[i] == '(' && --depth == 0) {
        name.resize(i);
        break;
      }
    }
  }
  std::free(d);
  return plus == std::string::npos ? name : name + sym.substr(plus);
}

std::string readable_symbols_in(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open; (open = text.find('<', at)) != std::string::npos;) {
    std::size_t close = text.find('>', open);
    if (close == std::string::npos) break;
    out += text.substr(at, open + 1 - at) + readable_symbol(text.substr(open + 1, close - open - 1)) + ">";
    at = close + 1;
  }
  return out + text.substr(at);
}

}  // namespace hilsim::gui
