// Schema and reference generation from the registries (schema.h).
#include "scenarios/schema.h"

#include <nlohmann/json.hpp>

#include "scenarios/scenario.h"
#include "scenarios/step.h"

namespace hilsim::scen {

namespace {

using json = nlohmann::ordered_json;

json value_schema(const KeySpec& k) {
  json s;
  switch (k.kind) {
    case KeyKind::Text: s["type"] = json::array({"string", "number"}); break;
    case KeyKind::Regex: s["type"] = "string"; s["format"] = "regex"; break;
    case KeyKind::Duration: s["$ref"] = "#/definitions/duration"; break;
    case KeyKind::Integer:
      s["type"] = "integer";
      s["minimum"] = k.min;
      if (k.max != INT64_MAX) s["maximum"] = k.max;
      break;
    case KeyKind::Bool: s["type"] = "boolean"; break;
    case KeyKind::Choice: s["enum"] = k.choices; break;
    case KeyKind::Level: s["enum"] = json::array({0, 1}); break;
    case KeyKind::Name: s["$ref"] = "#/definitions/name"; break;
    default: s["type"] = "string"; break;  // paths and board names (checked against the board)
  }
  std::string d = k.help;
  if (!k.default_text.empty()) d += " (default: " + k.default_text + ")";
  s["description"] = d;
  return s;
}

json object_schema(const std::vector<KeySpec>& keys) {
  json o;
  o["type"] = "object";
  json props = json::object();
  json required = json::array();
  for (const KeySpec& k : keys) {
    props[k.name] = value_schema(k);
    if (k.required) required.push_back(k.name);
  }
  o["properties"] = props;
  if (!required.empty()) o["required"] = required;
  o["additionalProperties"] = false;
  return o;
}

// The value after "- name:": a scalar (when the type has a scalar form), a map, or nothing.
template <typename Type>
json action_value(const Type& t) {
  json forms = json::array();
  bool any_required = false;
  for (const KeySpec& k : t.keys) any_required = any_required || k.required;
  if (!t.scalar_key.empty())
    for (const KeySpec& k : t.keys)
      if (k.name == t.scalar_key) forms.push_back(value_schema(k));
  forms.push_back(object_schema(t.keys));
  if (!any_required) forms.push_back(json{{"type", "null"}});
  if (forms.size() == 1) return forms[0];
  return json{{"oneOf", forms}};
}

template <typename Type>
json item_schema(const std::vector<const Type*>& types, bool labels) {
  json one = json::array();
  for (const Type* t : types) {
    bool any_required = false;
    for (const KeySpec& k : t->keys) any_required = any_required || k.required;
    if (!any_required) one.push_back(json{{"const", t->name}, {"description", t->summary}});
    json o;
    o["type"] = "object";
    o["description"] = t->summary;
    json props = json::object();
    props[t->name] = action_value(*t);
    if (labels) props["name"] = json{{"type", "string"}, {"description", "a label for the timeline and reports"}};
    o["properties"] = props;
    o["required"] = json::array({t->name});
    o["additionalProperties"] = false;
    one.push_back(o);
  }
  return json{{"oneOf", one}};
}

// The steps list: every registered step, plus `repeat`, whose own `steps` refer back here.
json steps_schema() {
  json items = item_schema(step_types(), true);
  json repeat = object_schema(repeat_keys());
  repeat["properties"]["steps"] = json{{"$ref", "#/definitions/steps"}, {"description", "the steps to run each time"}};
  repeat["required"].push_back("steps");
  json item;
  item["type"] = "object";
  item["description"] = "run a list of steps N times; ${counter} in their values is the count";
  item["properties"] = json{{"repeat", repeat},
                            {"name", json{{"type", "string"}, {"description", "a label for the timeline and reports"}}}};
  item["required"] = json::array({"repeat"});
  item["additionalProperties"] = false;
  items["oneOf"].push_back(item);
  return json{{"type", "array"}, {"description", "what happens, in order"}, {"items", items}};
}

}  // namespace

std::string scenario_schema_json() {
  json s;
  s["$schema"] = "http://json-schema.org/draft-07/schema#";
  s["$id"] = "https://hilsim.invalid/scenario.schema.json";
  s["title"] = "hilsim scenario";
  s["description"] =
      "A hilsim scenario file (scenarios/README.md). Generated from the step registry by "
      "`hilsim run --print-schema`; do not edit by hand.";
  s["type"] = "object";
  json props = object_schema(top_level_keys())["properties"];
  props["log"] = json{{"description", "extra timeline entries"},
                      {"oneOf", json::array({json{{"enum", log_sources()}},
                                             json{{"type", "array"}, {"items", json{{"enum", log_sources()}}}}})}};
  props["releases"] = json{{"type", "array"},
                           {"description", "releases the update server offers (used by publish/unpublish)"},
                           {"items", object_schema(release_keys())}};
  json image = object_schema(flash_image_keys());
  props["flash-image"] = json{{"description", "persistent flash: loaded before power-on, optionally saved at the end"},
                              {"oneOf", json::array({json{{"type", "string"}}, image})}};
  props["invariants"] = json{{"type", "array"},
                             {"description", "properties checked during the whole run"},
                             {"items", item_schema(invariant_types(), false)}};
  props["steps"] = json{{"$ref", "#/definitions/steps"}};
  json campaign = object_schema(campaign_keys());
  campaign["description"] = "a fault swept over many points of the run (hilsim campaign)";
  campaign["properties"]["after"] = json{{"$ref", "#/definitions/steps"},
                                         {"description", "steps that must pass once the power is back"}};
  campaign["properties"]["invariants"] = json{{"type", "array"},
                                              {"description", "checked from the cut until the after steps end"},
                                              {"items", item_schema(invariant_types(), false)}};
  campaign["required"] = json::array({"after"});
  props["campaign"] = campaign;
  s["properties"] = props;
  json required = json::array();
  for (const KeySpec& k : top_level_keys())
    if (k.required) required.push_back(k.name);
  required.push_back("steps");
  s["required"] = required;
  s["additionalProperties"] = false;
  s["definitions"] = json{
      {"duration",
       json{{"type", "string"},
            {"pattern", "^[0-9]+(\\.[0-9]*)?\\s*(ns|us|µs|ms|s|min|m|h)$"},
            {"description", "a duration with a unit: 10us, 500ms, 2s, 1.5min"}}},
      {"name", json{{"type", "string"}, {"pattern", "^[A-Za-z_][A-Za-z0-9_.-]*$"}}},
      {"steps", steps_schema()},
  };
  return s.dump(2) + "\n";
}

namespace {
std::string keys_cell(const std::vector<KeySpec>& keys, const std::string& scalar_key) {
  if (keys.empty()) return "—";
  std::string out;
  for (const KeySpec& k : keys) {
    if (!out.empty()) out += "<br>";
    out += "`" + k.name + "`" + (k.required ? "*" : "") + (k.name == scalar_key ? " (scalar)" : "") + ": ";
    out += k.kind == KeyKind::Choice ? [&] {
      std::string c;
      for (const std::string& x : k.choices) c += (c.empty() ? "" : "\\|") + x;
      return c;
    }()
                                     : std::string(to_string(k.kind));
    if (!k.default_text.empty()) out += " = " + k.default_text;
  }
  return out;
}
}  // namespace

std::string scenario_reference_markdown() {
  std::string out = "| step | what it does | keys (* required) |\n|---|---|---|\n";
  for (const StepType* t : step_types())
    out += "| `" + t->name + "`" + (t->reserved ? " (reserved)" : "") + " | " + t->summary + " | " +
           keys_cell(t->keys, t->scalar_key) + " |\n";
  std::vector<KeySpec> repeat = repeat_keys();
  repeat.push_back({"steps", KeyKind::Text, "", true});
  out += "| `repeat` | run a list of steps N times; `${counter}` in their values is the count | " +
         keys_cell(repeat, "") + " (a list of steps) |\n";
  out += "\n| invariant | what it checks | keys (* required) |\n|---|---|---|\n";
  for (const InvariantType* t : invariant_types())
    out += "| `" + t->name + "` | " + t->summary + " | " + keys_cell(t->keys, t->scalar_key) + " |\n";
  return out;
}

}  // namespace hilsim::scen
