// The keys of a scenario's steps, invariants and sections, declared as data (KeySpec), and
// the checked values read from the YAML file (Args). One declaration drives the checks done
// while loading (unknown key, missing key, wrong kind, a pin/partition/uart the board lacks,
// all reported as file:line:col), the generated JSON schema and the README tables.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/source_error.h"

namespace YAML {
class Node;
}

namespace hilsim::scen {

using emu::SourceMark;

// What a key's value must be. Board-dependent kinds are checked against the scenario's board.
enum class KeyKind {
  Text,       // any scalar, kept as written (YAML escapes already applied)
  Regex,      // an ECMAScript regular expression
  Duration,   // "500ms", "2s", "10us" (emulator/units.h)
  Integer,    // decimal, within [min, max]
  Bool,       // true | false
  Choice,     // one of `choices`
  Level,      // 0 | 1
  Name,       // a letter or '_' then letters, digits, '_', '-', '.'
  Path,       // a file path; ${build} and ${source} are expanded, relative to the scenario file
  Pin,        // a pin of the board (any direction)
  InputPin,   // a pin of the board with direction input
  OutputPin,  // a pin of the board with direction output
  Uart,       // a peripheral of the board of type uart or cmsdk-uart
  Partition,  // a partition of the board
  Region,     // a memory region of the board
};
const char* to_string(KeyKind kind);

struct KeySpec {
  KeySpec(std::string name_, KeyKind kind_, std::string help_, bool required_ = false, std::string default_ = {},
          std::vector<std::string> choices_ = {}, std::int64_t min_ = 0, std::int64_t max_ = INT64_MAX)
      : name(std::move(name_)), kind(kind_), help(std::move(help_)), required(required_),
        default_text(std::move(default_)), choices(std::move(choices_)), min(min_), max(max_) {}
  std::string name;
  KeyKind kind = KeyKind::Text;
  std::string help;
  bool required = false;
  std::string default_text;  // as a user would write it ("" = none); "step-timeout" for timeouts
  std::vector<std::string> choices;  // Choice
  std::int64_t min = 0, max = INT64_MAX;  // Integer
};

struct Value {
  KeyKind kind = KeyKind::Text;
  SourceMark mark;
  bool defaulted = false;  // filled from KeySpec::default_text, not written in the file
  std::string raw;         // the scalar as written in the file
  std::string text;        // the value (Path: ${...} expanded, resolved against the scenario's folder)
  std::uint64_t ns = 0;    // Duration
  std::int64_t integer = 0;  // Integer, Level
  bool flag = false;       // Bool
  std::shared_ptr<const std::regex> regex;  // Regex
};

// The checked values of one step / invariant / section.
class Args {
 public:
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const Value& value(const std::string& key) const;  // throws std::out_of_range if absent
  const std::string& text(const std::string& key) const { return value(key).text; }
  std::string text_or(const std::string& key, const std::string& fallback) const;
  std::uint64_t ns(const std::string& key) const { return value(key).ns; }
  std::int64_t integer(const std::string& key) const { return value(key).integer; }
  bool flag(const std::string& key) const { return value(key).flag; }
  const std::regex& regex(const std::string& key) const { return *value(key).regex; }
  // Where a key's value was written; the step's own mark when the key is absent or defaulted.
  SourceMark mark(const std::string& key) const;
  // Keys written in the file, in file order ("key=value ..." for the timeline).
  const std::vector<std::string>& written() const { return written_; }
  std::string summary() const;

  SourceMark where;  // the step / invariant / section itself
  void set(const std::string& key, Value v, bool written);

 private:
  std::map<std::string, Value> values_;
  std::vector<std::string> written_;
};

// Thrown while loading only; load_scenario turns it into "file:line:col: message".
struct ParseError {
  SourceMark mark;
  std::string message;
};
[[noreturn]] void fail_at(SourceMark mark, std::string message);

// What checks need beyond the YAML node: the board, where relative paths start, and the
// directories ${build} and ${source} stand for.
struct ParseEnv {
  const emu::BoardConfig* board = nullptr;
  std::string scenario_dir;
  std::string build_root, source_root;
  std::uint64_t step_timeout_ns = 0;  // the scenario's step-timeout (for "step-timeout" defaults)
  // Counters of the enclosing `repeat:` blocks: "${name}" in a step's values is replaced by
  // the current count before the value is checked (scenarios/README.md, "repeat").
  std::map<std::string, std::int64_t> counters;
};

// `text` with every "${name}" of `counters` replaced by its value; other ${...} are kept.
std::string substitute_counters(const std::string& text, const std::map<std::string, std::int64_t>& counters);

SourceMark mark_of(const YAML::Node& node, SourceMark fallback = {});
std::string expand_path(const std::string& text, const ParseEnv& env);

// Reads a map (or, when `scalar_key` is set, a scalar standing for that key; or null when
// nothing is required) against `specs`: rejects unknown and duplicate keys (with a "did you
// mean"), missing required keys and values of the wrong kind; fills defaults.
// `what` names the thing in messages ("wait-serial", "flash-image").
// Keys in `skip` are left alone (sections read separately).
Args read_args(const YAML::Node& node, SourceMark where, const std::vector<KeySpec>& specs,
               const std::string& scalar_key, const std::string& what, const ParseEnv& env,
               const std::vector<std::string>& skip = {});

// Closest candidate within a small edit distance, for "did you mean" hints ("" if none).
std::string closest(const std::string& word, const std::vector<std::string>& candidates);
std::string join(const std::vector<std::string>& words, const std::string& sep = ", ");

}  // namespace hilsim::scen
