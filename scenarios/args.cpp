// Generic checking of scenario keys against their declarations (args.h).
#include "scenarios/args.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "emulator/units.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {

const char* to_string(KeyKind kind) {
  switch (kind) {
    case KeyKind::Text: return "text";
    case KeyKind::Regex: return "regular expression";
    case KeyKind::Duration: return "duration";
    case KeyKind::Integer: return "integer";
    case KeyKind::Bool: return "true or false";
    case KeyKind::Choice: return "choice";
    case KeyKind::Level: return "0 or 1";
    case KeyKind::Name: return "name";
    case KeyKind::Path: return "file path";
    case KeyKind::Pin: return "pin";
    case KeyKind::InputPin: return "input pin";
    case KeyKind::OutputPin: return "output pin";
    case KeyKind::Uart: return "uart";
    case KeyKind::Partition: return "partition";
    case KeyKind::Region: return "memory region";
  }
  return "?";
}

// ===== Args ============================================================================

const Value& Args::value(const std::string& key) const { return values_.at(key); }

std::string Args::text_or(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second.text;
}

SourceMark Args::mark(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.defaulted) return where;
  return it->second.mark;
}

void Args::set(const std::string& key, Value v, bool is_written) {
  if (is_written) written_.push_back(key);
  values_[key] = std::move(v);
}

std::string Args::summary() const {
  std::string out;
  for (const std::string& key : written_) {
    const Value& v = values_.at(key);
    if (!out.empty()) out += ' ';
    out += key + "=";
    bool quote = v.kind == KeyKind::Text || v.kind == KeyKind::Regex;
    out += quote ? quoted(v.raw) : v.raw;
  }
  return out;
}

// ===== helpers =========================================================================

void fail_at(SourceMark mark, std::string message) { throw ParseError{mark, std::move(message)}; }

SourceMark mark_of(const YAML::Node& node, SourceMark fallback) {
  YAML::Mark m = node.Mark();
  if (m.line < 0 || m.column < 0) return fallback;
  return SourceMark{m.line + 1, m.column + 1};
}

std::string join(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates)  // "off" for "off-time"
    if (word.size() >= 3 && c.size() > word.size() && c.compare(0, word.size(), word) == 0 && c[word.size()] == '-')
      return c;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string expand_path(const std::string& text, const ParseEnv& env) {
  std::string out = text;
  for (auto [var, value] : {std::pair<std::string, std::string>{"${build}", env.build_root},
                            std::pair<std::string, std::string>{"${source}", env.source_root}}) {
    for (std::size_t at; (at = out.find(var)) != std::string::npos;) out.replace(at, var.size(), value);
  }
  if (!out.empty() && out[0] != '/' && !env.scenario_dir.empty()) out = env.scenario_dir + "/" + out;
  return out;
}

std::string substitute_counters(const std::string& text, const std::map<std::string, std::int64_t>& counters) {
  std::string out = text;
  for (const auto& [name, value] : counters) {
    const std::string var = "${" + name + "}", number = std::to_string(value);
    for (std::size_t at = 0; (at = out.find(var, at)) != std::string::npos; at += number.size())
      out.replace(at, var.size(), number);
  }
  return out;
}

namespace {

std::string hint(const std::string& word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

bool is_name(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::vector<std::string> pin_names(const emu::BoardConfig& b, int direction /* -1 any, 0 in, 1 out */) {
  std::vector<std::string> out;
  for (const emu::PinConfig& p : b.pins)
    if (direction < 0 || p.output == (direction == 1)) out.push_back(p.name);
  return out;
}

std::vector<std::string> uart_names(const emu::BoardConfig& b) {
  std::vector<std::string> out;
  for (const auto& p : b.peripherals)
    if (p.type == "uart" || p.type == "cmsdk-uart") out.push_back(p.name);
  return out;
}

std::string listed(const std::string& what, const std::vector<std::string>& names) {
  return names.empty() ? "it has none" : what + ": " + join(names);
}

Value convert(const YAML::Node& node, const KeySpec& spec, const std::string& owner, SourceMark mark,
              const ParseEnv& env) {
  const std::string key = "'" + spec.name + "' of " + owner;
  if (!node.IsScalar()) fail_at(mark, key + " must be a " + std::string(to_string(spec.kind)) + ", not a " +
                                          (node.IsMap() ? "map" : node.IsSequence() ? "list" : "null value"));
  Value v;
  v.kind = spec.kind;
  v.mark = mark;
  v.raw = env.counters.empty() ? node.Scalar() : substitute_counters(node.Scalar(), env.counters);
  v.text = v.raw;
  const std::string& s = v.raw;
  const emu::BoardConfig* b = env.board;
  switch (spec.kind) {
    case KeyKind::Text:
      break;
    case KeyKind::Regex:
      try {
        v.regex = std::make_shared<const std::regex>(s, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        fail_at(mark, key + " is not a valid regular expression (" + e.what() + "): " + quoted(s));
      }
      break;
    case KeyKind::Duration: {
      auto ns = emu::parse_duration_ns(s);
      if (!ns) fail_at(mark, key + " must be a duration with a unit, such as 500ms, 2s or 10us, not " + quoted(s));
      v.ns = *ns;
      break;
    }
    case KeyKind::Integer:
    case KeyKind::Level: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      bool ok = ec == std::errc{} && end == s.data() + s.size();
      std::int64_t lo = spec.kind == KeyKind::Level ? 0 : spec.min, hi = spec.kind == KeyKind::Level ? 1 : spec.max;
      if (!ok || n < lo || n > hi) {
        std::string range = spec.kind == KeyKind::Level ? "0 or 1"
                            : hi == INT64_MAX       ? "an integer >= " + std::to_string(lo)
                                                    : "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
        fail_at(mark, key + " must be " + range + ", not " + quoted(s));
      }
      v.integer = n;
      break;
    }
    case KeyKind::Bool:
      if (s != "true" && s != "false") fail_at(mark, key + " must be true or false, not " + quoted(s));
      v.flag = s == "true";
      break;
    case KeyKind::Choice:
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end())
        fail_at(mark, key + " must be one of " + join(spec.choices) + ", not " + quoted(s) + hint(s, spec.choices));
      break;
    case KeyKind::Name:
      if (!is_name(s)) fail_at(mark, key + " must be a name (a letter or '_', then letters, digits, '_', '-', '.'), not " + quoted(s));
      break;
    case KeyKind::Path:
      if (s.empty()) fail_at(mark, key + " must be a file path, not empty");
      v.text = expand_path(s, env);
      break;
    case KeyKind::Pin:
    case KeyKind::InputPin:
    case KeyKind::OutputPin: {
      const emu::PinConfig* p = b->find_pin(s);
      if (!p)
        fail_at(mark, "the board '" + b->name + "' has no pin " + quoted(s) + hint(s, pin_names(*b, -1)) + "; " +
                          listed("its pins", pin_names(*b, -1)));
      if (spec.kind == KeyKind::InputPin && p->output)
        fail_at(mark, "pin '" + s + "' is an output (the firmware drives it); " + owner + " needs an input pin (" +
                          listed("inputs", pin_names(*b, 0)) + ")");
      if (spec.kind == KeyKind::OutputPin && !p->output)
        fail_at(mark, "pin '" + s + "' is an input (only the scenario changes it); " + owner +
                          " needs an output pin (" + listed("outputs", pin_names(*b, 1)) + ")");
      break;
    }
    case KeyKind::Uart: {
      std::vector<std::string> uarts = uart_names(*b);
      if (std::find(uarts.begin(), uarts.end(), s) == uarts.end())
        fail_at(mark, "the board '" + b->name + "' has no uart " + quoted(s) + hint(s, uarts) + "; " +
                          listed("its uarts", uarts));
      break;
    }
    case KeyKind::Partition:
      if (!b->find_partition(s)) {
        std::vector<std::string> names;
        for (const emu::Partition& p : b->partitions) names.push_back(p.name);
        fail_at(mark, "the board '" + b->name + "' has no partition " + quoted(s) + hint(s, names) + "; " +
                          listed("its partitions", names));
      }
      break;
    case KeyKind::Region:
      if (!b->find_memory(s) || !b->find_memory(s)->alias_of.empty()) {
        std::vector<std::string> names;
        for (const emu::MemoryRegion& r : b->memory)
          if (r.alias_of.empty()) names.push_back(r.name);
        fail_at(mark, "the board '" + b->name + "' has no memory region " + quoted(s) + hint(s, names) + "; " +
                          listed("its regions", names));
      }
      break;
  }
  return v;
}

}  // namespace

Args read_args(const YAML::Node& node, SourceMark where, const std::vector<KeySpec>& specs,
               const std::string& scalar_key, const std::string& what, const ParseEnv& env,
               const std::vector<std::string>& skip) {
  Args args;
  args.where = where;
  std::vector<std::string> names;
  for (const KeySpec& s : specs) names.push_back(s.name);
  auto spec_of = [&](const std::string& key) -> const KeySpec* {
    for (const KeySpec& s : specs)
      if (s.name == key) return &s;
    return nullptr;
  };

  if (node.IsScalar() || node.IsSequence()) {
    if (scalar_key.empty() || node.IsSequence()) {
      std::string form = names.empty() ? "no value" : "a map of " + join(names);
      fail_at(mark_of(node, where), what + " takes " + form + ", not " +
                                        (node.IsSequence() ? std::string("a list") : "the value " + quoted(node.Scalar())));
    }
    args.set(scalar_key, convert(node, *spec_of(scalar_key), what, mark_of(node, where), env), true);
  } else if (node.IsMap()) {
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      SourceMark km = mark_of(it->first, where);
      if (!it->first.IsScalar()) fail_at(km, "keys of " + what + " must be plain names");
      std::string key = it->first.Scalar();
      if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
      const KeySpec* spec = spec_of(key);
      if (!spec)
        fail_at(km, "unknown key '" + key + "' in " + what + hint(key, names) +
                        (names.empty() ? "; it takes no keys" : "; expected " + join(names)));
      if (!seen.insert(key).second) fail_at(km, "key '" + key + "' appears twice in " + what);
      args.set(key, convert(it->second, *spec, what, mark_of(it->second, km), env), true);
    }
  } else if (!node.IsNull() && node.IsDefined()) {
    fail_at(mark_of(node, where), what + ": unexpected value");
  }

  for (const KeySpec& s : specs) {
    if (args.has(s.name)) continue;
    if (s.required) {
      std::string form = s.name == scalar_key ? "; write '" + what + ": <" + s.name + ">'" : "";
      fail_at(where, what + " needs '" + s.name + "' (" + s.help + ")" + form);
    }
    if (s.default_text.empty()) continue;
    Value v;
    v.kind = s.kind;
    v.mark = where;
    v.defaulted = true;
    v.raw = v.text = s.default_text;
    if (s.kind == KeyKind::Duration) {
      v.ns = s.default_text == "step-timeout" ? env.step_timeout_ns : emu::parse_duration_ns(s.default_text).value_or(0);
    } else if (s.kind == KeyKind::Integer || s.kind == KeyKind::Level) {
      v.integer = std::stoll(s.default_text);
    } else if (s.kind == KeyKind::Bool) {
      v.flag = s.default_text == "true";
    }
    args.set(s.name, std::move(v), false);
  }
  return args;
}

}  // namespace hilsim::scen
