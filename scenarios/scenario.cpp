// Loading a scenario file: the top level, its sections, invariants and steps (scenario.h).
// Index: [keys] top-level declarations · [sections] flash-image, releases, log ·
// [steps] steps and invariants · [load] the entry points.
#include "scenarios/scenario.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

#include "release/release.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {

// ===== [keys] ==========================================================================

namespace {
bool parse_endpoint(const std::string& text, std::uint32_t& addr, std::uint16_t& port) {
  unsigned a[4], p = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u:%u%c", &a[0], &a[1], &a[2], &a[3], &p, &tail) != 5) return false;
  for (unsigned x : a)
    if (x > 255) return false;
  if (p == 0 || p > 65535) return false;
  addr = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
  port = static_cast<std::uint16_t>(p);
  return true;
}
}  // namespace

std::string parse_bridge_route(const std::string& text, BridgeRoute& route) {
  const std::size_t eq = text.find('=');
  std::uint32_t host_addr = 0;
  if (eq == std::string::npos || !parse_endpoint(text.substr(0, eq), route.addr, route.port) ||
      !parse_endpoint(text.substr(eq + 1), host_addr, route.host_port))
    return "expected DEVICE-ADDR:PORT=HOST-ADDR:PORT (IPv4), e.g. 10.0.0.1:80=127.0.0.1:8000; got " + quoted(text);
  route.text = text;
  route.host = text.substr(eq + 1, text.rfind(':') - eq - 1);
  return {};
}

const std::vector<KeySpec>& top_level_keys() {
  static const std::vector<KeySpec> keys = {
      {"name", KeyKind::Name, "scenario name in reports (default: the file name without .yaml)"},
      {"description", KeyKind::Text, "what the scenario shows, one or two sentences"},
      {"board", KeyKind::Text, "board name (boards/<name>/board.yaml) or path to a board file", true},
      {"firmware", KeyKind::Path, "firmware ELF; ${build} is the build directory", true},
      {"seed", KeyKind::Integer, "seed of the machine's random sources", false, "0"},
      {"time-limit", KeyKind::Duration, "virtual time after which the run fails, whatever step is running", false, "60s"},
      {"step-timeout", KeyKind::Duration, "timeout of waiting steps that do not give one", false, "5s"},
      {"start-powered", KeyKind::Bool, "power the device on before the first step", false, "true"},
      {"on-bkpt", KeyKind::Choice,
       "a BKPT with no debugger: halt the core (until a reset or power cycle) or resume after it", false, "halt",
       {"halt", "resume"}},
      {"semihosting", KeyKind::Bool, "serve ARM semihosting (test programs that exit)", false, "false"},
      {"network-bridge", KeyKind::Text,
       "send the device's connections to a real server instead of the in-process update server: "
       "\"DEVICE-ADDR:PORT=HOST-ADDR:PORT\", e.g. \"10.0.0.1:80=127.0.0.1:8000\" (record the run to replay it offline)"},
  };
  return keys;
}

const std::vector<KeySpec>& flash_image_keys() {
  static const std::vector<KeySpec> keys = {
      {"file", KeyKind::Path, "image file, relative to the scenario file", true},
      {"region", KeyKind::Region, "memory region it holds (default: the board's first flash region)"},
      {"if-missing", KeyKind::Choice, "no file yet: start from the firmware alone (erased) or fail (error)", false,
       "erased", {"erased", "error"}},
      {"save", KeyKind::Bool, "write the region back to the file when the run ends", false, "false"},
      {"reflash", KeyKind::Bool, "write the firmware ELF over the loaded image (a programmer update)", false, "false"},
  };
  return keys;
}

const std::vector<KeySpec>& release_keys() {
  static const std::vector<KeySpec> keys = {
      {"version", KeyKind::Text, "release version MAJOR.MINOR.PATCH, as the device reports it", true},
      {"file", KeyKind::Path, "the script to pack and sign, or a prebuilt .bundle (hilsim pack), relative to the scenario file", true},
      {"key", KeyKind::Path, "signing key (.key) for a script; default: the board's keys/dev.key"},
      {"published", KeyKind::Bool, "offered by the server from the start (before step 1)", false, "false"},
      {"notes", KeyKind::Text, "free text"},
  };
  return keys;
}

const std::vector<std::string>& log_sources() {
  static const std::vector<std::string> sources = {"pins", "flash", "guest-errors"};
  return sources;
}

std::string Scenario::first_uart() const {
  for (const auto& p : board.peripherals)
    if (p.type == "uart" || p.type == "cmsdk-uart") return p.name;
  return {};
}

void check_release_version(const Args& args) {
  const std::string& v = args.text("version");
  if (!release::parse_version(v))
    fail_at(args.mark("version"),
            "release version " + quoted(v) + ": expected MAJOR.MINOR.PATCH (major <= 65535, minor and patch <= 255)");
}

constexpr std::int64_t kMaxRepeat = 100000;
constexpr std::int64_t kMaxSteps = 1000000;  // after unrolling repeats

const std::vector<KeySpec>& campaign_keys() {
  static const std::vector<KeySpec> keys = {
      {"fault", KeyKind::Choice, "the fault injected at every point", false, "power-loss", {"power-loss"}},
      {"from", KeyKind::Text, "first step of the window: its index or its name (default: the first step)"},
      {"to", KeyKind::Text, "last step of the window: its index or its name (default: the last step)"},
      {"at", KeyKind::Choice,
       "where the points are: every flash operation, every `every` of virtual time, or `count` seeded random times",
       false, "flash-ops", {"flash-ops", "every", "random"}},
      {"kind", KeyKind::Choice, "at: flash-ops: which operations", false, "any", {"any", "program", "erase"}},
      {"partitions", KeyKind::Text, "at: flash-ops: only operations inside these partitions (names, space-separated)"},
      {"every", KeyKind::Duration, "at: every: the spacing of the points in virtual time"},
      {"count", KeyKind::Integer, "at: random: how many points", false, "", {}, 1, 1000000},
      {"seed", KeyKind::Integer, "at: random: the seed that chooses them", false, "1"},
      {"policies", KeyKind::Text, "what an interrupted flash operation leaves behind, one point each: "
                                  "before, after, torn (space-separated)", false, "before after torn"},
      {"off-time", KeyKind::Duration, "how long the power stays off", false, "100ms"},
  };
  return keys;
}

const std::vector<KeySpec>& repeat_keys() {
  static const std::vector<KeySpec> keys = {
      {"times", KeyKind::Integer, "how many times the steps run", true, "", {}, 1, kMaxRepeat},
      {"as", KeyKind::Name, "the counter's name: ${as} in the steps' values becomes 1, 2, ... (or from, from+1, ...)",
       false, "i"},
      {"from", KeyKind::Integer, "the counter's first value", false, "1", {}, 0, 1000000},
  };
  return keys;
}

namespace {

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const KeySpec& k : top_level_keys()) n.push_back(k.name);
    for (const char* s : {"log", "releases", "flash-image", "invariants", "steps", "campaign"}) n.push_back(s);
    return n;
  }();
  return names;
}

bool file_exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dir_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string stem_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::size_t dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

// ===== [sections] ======================================================================

void load_board_and_firmware(Scenario& sc, const Args& top, ParseEnv& env, const LoadOptions& options) {
  sc.board_written = top.text("board");
  std::string arg = sc.board_written;
  bool is_path = arg.find('/') != std::string::npos || (arg.size() > 5 && arg.substr(arg.size() - 5) == ".yaml");
  std::string path = is_path ? expand_path(arg, env) : emu::resolve_board_path(arg, options.source_root);
  if (!is_path && !file_exists(path))
    fail_at(top.mark("board"), "unknown board '" + arg + "' (no " + options.source_root + "/boards/" + arg +
                                   "/board.yaml); give a board name or a path to a board file");
  emu::Loaded<emu::BoardConfig> board = emu::load_board(path);
  if (!board) fail_at(top.mark("board"), "board " + quoted(arg) + ": " + board.error());
  sc.board = std::move(*board);
  env.board = &sc.board;

  sc.firmware_written = top.value("firmware").raw;
  emu::Loaded<emu::ElfImage> elf = emu::load_elf(top.text("firmware"));
  if (!elf) fail_at(top.mark("firmware"), "firmware: " + elf.error());
  auto placed = emu::place(*elf, sc.board);
  if (!placed) fail_at(top.mark("firmware"), "firmware does not fit board '" + sc.board.name + "': " + placed.error());
  sc.firmware = std::make_shared<const emu::ElfImage>(std::move(*elf));
}

void load_flash_image(Scenario& sc, const YAML::Node& node, SourceMark mark, const ParseEnv& env) {
  Args a = read_args(node, mark, flash_image_keys(), "file", "flash-image", env);
  FlashImage& fi = sc.flash_image;
  fi.present = true;
  fi.mark = mark;
  fi.file = a.text("file");
  fi.file_written = a.value("file").raw;
  if (a.has("region")) {
    fi.region = a.text("region");
  } else {
    for (const emu::MemoryRegion& r : sc.board.memory)
      if (r.kind == emu::MemoryRegion::Kind::Flash && r.alias_of.empty()) {
        fi.region = r.name;
        break;
      }
    if (fi.region.empty()) fail_at(mark, "flash-image: the board '" + sc.board.name + "' has no flash region; name one with 'region'");
  }
  fi.required = a.text("if-missing") == "error";
  fi.save = a.flag("save");
  fi.reflash = a.flag("reflash");
}

void load_releases(Scenario& sc, const YAML::Node& node, SourceMark mark, const ParseEnv& env) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) fail_at(mark, "releases must be a list of {version, file} maps");
  for (const YAML::Node& item : node) {
    SourceMark m = mark_of(item, mark);
    Release r{read_args(item, m, release_keys(), "", "a release", env), m};
    check_release_version(r.args);
    for (const Release& other : sc.releases)
      if (other.args.text("version") == r.args.text("version"))
        fail_at(r.args.mark("version"), "release " + quoted(r.args.text("version")) + " is listed twice (first at line " +
                                            std::to_string(other.mark.line) + ")");
    sc.releases.push_back(std::move(r));
  }
}

void load_log(Scenario& sc, const YAML::Node& node, SourceMark mark) {
  auto add = [&](const YAML::Node& item) {
    SourceMark m = mark_of(item, mark);
    if (!item.IsScalar()) fail_at(m, "log entries must be names: " + join(log_sources()));
    std::string s = item.Scalar();
    const auto& ok = log_sources();
    if (std::find(ok.begin(), ok.end(), s) == ok.end()) {
      std::string c = closest(s, ok);
      fail_at(m, "unknown log source " + quoted(s) + (c.empty() ? "" : " (did you mean '" + c + "'?)") +
                     "; expected " + join(ok));
    }
    sc.log.insert(s);
  };
  if (node.IsNull()) return;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) add(item);
  } else {
    add(node);
  }
}

// ===== [steps] =========================================================================

// One list item that names an action: "- name" or "- name: value" (plus `name:` for steps).
struct Item {
  std::string action;
  SourceMark action_mark;
  YAML::Node value;
  std::string label;
};

template <typename Type>
Item split_item(const YAML::Node& item, SourceMark mark, const std::string& what,
                const std::vector<const Type*>& types, bool allow_label) {
  std::vector<std::string> names;
  for (const Type* t : types) names.push_back(t->name);
  Item out;
  if (item.IsScalar()) {
    out.action = item.Scalar();
    out.action_mark = mark;
    return out;
  }
  if (!item.IsMap()) fail_at(mark, "each " + what + " is a name or a one-key map such as '- delay: 500ms'");
  std::vector<std::pair<std::string, SourceMark>> actions;
  for (auto it = item.begin(); it != item.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    SourceMark km = mark_of(it->first, mark);
    if (allow_label && key == "name") {
      if (!it->second.IsScalar()) fail_at(mark_of(it->second, km), "a step's 'name' must be text");
      out.label = it->second.Scalar();
      continue;
    }
    actions.push_back({key, km});
    if (actions.size() == 1) out.value = it->second;
  }
  if (actions.empty()) fail_at(mark, "this " + what + " has no action; expected one of " + join(names));
  if (actions.size() > 1) {
    const auto& [first, first_mark] = actions[0];
    const auto& [second, second_mark] = actions[1];
    for (const Type* t : types)
      if (t->name == first)
        for (const KeySpec& k : t->keys)
          if (k.name == second)
            fail_at(second_mark, "'" + second + "' belongs to " + first + ": indent it under '" + first +
                                     ":' (e.g. '- " + first + ": {" + (t->scalar_key.empty() ? k.name : t->scalar_key) +
                                     ": ..., " + second + ": ...}')");
    fail_at(second_mark, "a " + what + " has exactly one action; this one has '" + first + "' (line " +
                             std::to_string(first_mark.line) + ") and '" + second + "'");
  }
  out.action = actions[0].first;
  out.action_mark = actions[0].second;
  return out;
}

template <typename Type>
const Type* find_type(const Item& item, const std::string& what, const std::vector<const Type*>& types) {
  for (const Type* t : types)
    if (t->name == item.action) return t;
  std::vector<std::string> names;
  for (const Type* t : types) names.push_back(t->name);
  std::string c = closest(item.action, names);
  fail_at(item.action_mark, "unknown " + what + " " + quoted(item.action) +
                                (c.empty() ? "" : " (did you mean '" + c + "'?)") + "; expected one of " + join(names));
}

void load_steps(Scenario& sc, const YAML::Node& node, SourceMark mark, ParseEnv& env);

// `- repeat: {times: N, as: i, from: 1, steps: [...]}`: the steps are loaded N times, with
// ${i} replaced in their values each time. Unrolled while loading, so every copy is checked
// (a release named by a publish in copy 300 is checked like any other) and reported with its
// own index; the step label carries the counter.
void load_repeat(Scenario& sc, const YAML::Node& value, SourceMark mark, const std::string& label, ParseEnv& env) {
  if (!value.IsMap()) fail_at(mark, "repeat takes a map: '- repeat: {times: 3, steps: [...]}'");
  Args a = read_args(value, mark, repeat_keys(), "", "repeat", env, {"steps"});
  YAML::Node body = value["steps"];
  if (!body || !body.IsSequence() || body.size() == 0)
    fail_at(mark, "repeat needs 'steps': a non-empty list of steps to run each time");
  const std::string counter = a.text("as");
  if (counter == "build" || counter == "source")
    fail_at(a.mark("as"), "'as' must not be 'build' or 'source' (they name folders in paths)");
  if (env.counters.count(counter))
    fail_at(a.mark("as"), "an enclosing repeat already counts with '" + counter + "'; pick another name");
  const std::int64_t times = a.integer("times"), from = a.integer("from");
  if (static_cast<std::int64_t>(sc.steps.size()) + times * static_cast<std::int64_t>(body.size()) > kMaxSteps)
    fail_at(a.mark("times"), "this repeat would make the scenario longer than " + std::to_string(kMaxSteps) + " steps");
  for (std::int64_t k = 0; k < times; ++k) {
    env.counters[counter] = from + k;
    std::size_t first = sc.steps.size();
    load_steps(sc, body, mark_of(body, mark), env);
    std::string tag = counter + "=" + std::to_string(from + k);
    for (std::size_t j = first; j < sc.steps.size(); ++j)
      sc.steps[j].label = (label.empty() ? "" : label + " ") +
                          (sc.steps[j].label.empty() ? "" : sc.steps[j].label + " ") + "[" + tag + "]";
  }
  env.counters.erase(counter);
}

void load_steps(Scenario& sc, const YAML::Node& node, SourceMark mark, ParseEnv& env) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) fail_at(mark, "steps must be a list, e.g.\n  steps:\n    - wait-serial: \"ready\"");
  for (const YAML::Node& entry : node) {
    SourceMark m = mark_of(entry, mark);
    Item item = split_item(entry, m, "step", step_types(), true);
    if (item.action == "repeat") {
      load_repeat(sc, item.value, item.action_mark, item.label, env);
      continue;
    }
    const StepType* type = find_type(item, "step", step_types());
    StepInstance st;
    st.type = type;
    st.label = item.label;
    st.mark = item.action_mark;
    st.index = static_cast<int>(sc.steps.size()) + 1;
    st.args = read_args(item.value, item.action_mark, type->keys, type->scalar_key, type->name, env);
    if (type->check) type->check(st.args, CheckEnv{env, sc});
    sc.steps.push_back(std::move(st));
  }
}

void load_invariants(Scenario& sc, const YAML::Node& node, SourceMark mark, const ParseEnv& env) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) fail_at(mark, "invariants must be a list, e.g.\n  invariants:\n    - no-hardfault");
  for (const YAML::Node& entry : node) {
    SourceMark m = mark_of(entry, mark);
    Item item = split_item(entry, m, "invariant", invariant_types(), false);
    const InvariantType* type = find_type(item, "invariant", invariant_types());
    InvariantInstance inv{type, read_args(item.value, item.action_mark, type->keys, type->scalar_key, type->name, env),
                          item.action_mark};
    if (type->check) type->check(inv.args, CheckEnv{env, sc});
    sc.invariants.push_back(std::move(inv));
  }
}

// `campaign: {at: flash-ops, from: 5, to: 14, policies: "before torn", after: [...], invariants: [...]}`
void load_campaign(Scenario& sc, const YAML::Node& node, SourceMark mark, ParseEnv& env) {
  if (!node.IsMap()) fail_at(mark, "campaign takes a map: 'campaign: {at: flash-ops, after: [...]}'");
  Args a = read_args(node, mark, campaign_keys(), "", "campaign", env, {"after", "invariants"});
  CampaignSpec& c = sc.campaign;
  c.present = true;
  c.mark = mark;
  c.fault = a.text("fault");
  c.at = a.text("at");
  c.kind = a.text("kind");
  c.off_time_ns = a.ns("off-time");
  auto words = [](const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (char ch : text + " ") {
      if (ch == ' ' || ch == ',' || ch == '\t') {
        if (!w.empty()) out.push_back(w);
        w.clear();
      } else {
        w += ch;
      }
    }
    return out;
  };
  for (const std::string& p : words(a.text("policies"))) {
    if (p != "before" && p != "after" && p != "torn")
      fail_at(a.mark("policies"), "unknown policy " + quoted(p) + "; expected before, after or torn");
    if (std::find(c.policies.begin(), c.policies.end(), p) != c.policies.end())
      fail_at(a.mark("policies"), "policy '" + p + "' is listed twice");
    c.policies.push_back(p);
  }
  if (c.policies.empty()) fail_at(a.mark("policies"), "policies is empty; expected some of: before after torn");
  if (a.has("partitions")) {
    for (const std::string& p : words(a.text("partitions"))) {
      if (!sc.board.find_partition(p)) {
        std::vector<std::string> names;
        for (const auto& part : sc.board.partitions) names.push_back(part.name);
        fail_at(a.mark("partitions"), "board '" + sc.board.name + "' has no partition " + quoted(p) + "; it has " + join(names));
      }
      c.partitions.push_back(p);
    }
  }
  auto only_with = [&](const char* key, const char* at) {
    if (a.has(key) && c.at != at) fail_at(a.mark(key), std::string("'") + key + "' goes with 'at: " + at + "'");
  };
  only_with("every", "every");
  only_with("count", "random");
  if (c.at != "flash-ops" && a.has("partitions")) fail_at(a.mark("partitions"), "'partitions' goes with 'at: flash-ops'");
  if (c.at == "every") {
    if (!a.has("every") || a.ns("every") == 0) fail_at(mark, "at: every needs 'every', a non-zero duration such as 10ms");
    c.every_ns = a.ns("every");
  }
  if (c.at == "random") {
    if (!a.has("count")) fail_at(mark, "at: random needs 'count', the number of points");
    c.count = a.integer("count");
    c.seed = static_cast<std::uint64_t>(a.integer("seed"));
  }
  // The window is resolved against the steps once they are loaded (load() calls resolve).
  c.from = 0, c.to = 0;
  for (const char* key : {"from", "to"}) {
    if (!a.has(key)) continue;
    const std::string ref = a.text(key);
    int found = 0;
    bool digits = !ref.empty() && std::all_of(ref.begin(), ref.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits) {
      long n = std::stol(ref);
      if (n < 1 || n > static_cast<long>(sc.steps.size()))
        fail_at(a.mark(key), std::string("'") + key + "': there is no step " + ref + " (the scenario has " +
                                 std::to_string(sc.steps.size()) + " steps)");
      found = static_cast<int>(n);
    } else {
      for (const StepInstance& st : sc.steps)
        if (st.label == ref) {
          if (found) fail_at(a.mark(key), "more than one step is named " + quoted(ref) + "; use its index");
          found = st.index;
        }
      if (!found) fail_at(a.mark(key), std::string("'") + key + "': no step is named " + quoted(ref));
    }
    (std::string(key) == "from" ? c.from : c.to) = found;
  }
  if (!c.from) c.from = 1;
  if (!c.to) c.to = static_cast<int>(sc.steps.size());
  if (c.from > c.to) fail_at(mark, "the campaign's window is empty: 'from' (step " + std::to_string(c.from) +
                                       ") comes after 'to' (step " + std::to_string(c.to) + ")");
  YAML::Node after = node["after"];
  if (!after || !after.IsSequence() || after.size() == 0)
    fail_at(mark, "campaign needs 'after': the steps that must pass once the power is back, e.g.\n"
                  "  after:\n    - expect-version: {version: \"1.0.0|2.0.0\", timeout: 5s}");
  std::size_t first = sc.steps.size();
  load_steps(sc, after, mark_of(after, mark), env);
  for (std::size_t i = first; i < sc.steps.size(); ++i) {
    sc.steps[i].index = static_cast<int>(i - first) + 1;
    c.after.push_back(std::move(sc.steps[i]));
  }
  sc.steps.resize(first);
  if (YAML::Node inv = node["invariants"]) {
    std::size_t before = sc.invariants.size();
    load_invariants(sc, inv, mark_of(inv, mark), env);
    c.invariants.assign(sc.invariants.begin() + static_cast<long>(before), sc.invariants.end());
    sc.invariants.resize(before);
  }
}

// ===== [load] ==========================================================================

Scenario load(const YAML::Node& root, const std::string& filename, const LoadOptions& options) {
  if (!root.IsMap())
    fail_at(mark_of(root, {1, 1}), "a scenario is a map with at least 'board', 'firmware' and 'steps'");
  Scenario sc;
  sc.file = filename;
  ParseEnv env;
  env.scenario_dir = dir_of(filename);
  env.build_root = options.build_root;
  env.source_root = options.source_root;
  sc.source_root = options.source_root;

  // Split the top level: scalar keys go through read_args, sections are read below.
  std::vector<std::string> section_keys;
  std::map<std::string, std::pair<YAML::Node, SourceMark>> sections;
  std::set<std::string> seen;
  for (auto it = root.begin(); it != root.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    SourceMark km = mark_of(it->first, {1, 1});
    const auto& names = section_names();
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      std::string c = closest(key, names);
      fail_at(km, "unknown key " + quoted(key) + " at the top of the scenario" +
                      (c.empty() ? "" : " (did you mean '" + c + "'?)") + "; expected " + join(names));
    }
    if (!seen.insert(key).second) fail_at(km, "key '" + key + "' appears twice");
    bool scalar = false;
    for (const KeySpec& k : top_level_keys()) scalar = scalar || k.name == key;
    if (!scalar) {
      sections[key] = {it->second, mark_of(it->second, km)};
      section_keys.push_back(key);
    }
  }
  if (!sections.count("steps")) fail_at({1, 1}, "the scenario has no 'steps' (a list of steps to run)");

  Args top = read_args(root, {1, 1}, top_level_keys(), "", "the scenario", env, section_keys);
  load_board_and_firmware(sc, top, env, options);
  sc.name = top.has("name") ? top.text("name") : stem_of(filename);
  sc.description = top.text_or("description", "");
  sc.seed = static_cast<std::uint64_t>(top.integer("seed"));
  sc.time_limit_ns = top.ns("time-limit");
  sc.step_timeout_ns = top.ns("step-timeout");
  env.step_timeout_ns = sc.step_timeout_ns;
  sc.start_powered = top.flag("start-powered");
  sc.resume_after_bkpt = top.text("on-bkpt") == "resume";
  sc.semihosting = top.flag("semihosting");
  if (top.has("network-bridge")) {
    if (std::string err = parse_bridge_route(top.text("network-bridge"), sc.network_bridge); !err.empty())
      fail_at(top.mark("network-bridge"), "network-bridge: " + err);
  }
  if (sc.first_uart().empty()) fail_at({1, 1}, "the board '" + sc.board.name + "' has no uart; scenarios need one");

  auto section = [&](const char* key) -> const std::pair<YAML::Node, SourceMark>* {
    auto it = sections.find(key);
    return it == sections.end() ? nullptr : &it->second;
  };
  if (auto* s = section("flash-image")) load_flash_image(sc, s->first, s->second, env);
  if (auto* s = section("releases")) {
    if (!sc.network_bridge.text.empty())
      fail_at(s->second, "releases are served by the in-process update server; with network-bridge the device talks to a real server");
    load_releases(sc, s->first, s->second, env);
  }
  if (auto* s = section("log")) load_log(sc, s->first, s->second);
  if (auto* s = section("invariants")) load_invariants(sc, s->first, s->second, env);
  load_steps(sc, section("steps")->first, section("steps")->second, env);
  if (auto* s = section("campaign")) load_campaign(sc, s->first, s->second, env);
  return sc;
}

}  // namespace

emu::Loaded<Scenario> load_scenario_from_string(const std::string& text, const std::string& filename,
                                                const LoadOptions& options) {
  using L = emu::Loaded<Scenario>;
  try {
    YAML::Node root = YAML::Load(text);
    return load(root, filename, options);
  } catch (const ParseError& e) {
    return L::failure(emu::format_mark(filename, e.mark) + ": " + e.message);
  } catch (const YAML::Exception& e) {
    SourceMark m{e.mark.line + 1, e.mark.column + 1};
    return L::failure(emu::format_mark(filename, m) + ": YAML syntax error: " + e.msg);
  }
}

emu::Loaded<Scenario> load_scenario(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return emu::Loaded<Scenario>::failure(path + ": cannot open the scenario file");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_scenario_from_string(ss.str(), path, options);
}

}  // namespace hilsim::scen
