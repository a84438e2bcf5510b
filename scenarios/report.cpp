// JUnit XML and JSON reports (report.h).
#include "scenarios/report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "scenarios/text_util.h"

namespace hilsim::scen {

namespace {

std::string fixed6(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

double micro(double v) { return std::round(v * 1e6) / 1e6; }

std::string hex64(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string one_line_failure(const Failure& f, const std::string& file) {
  return f.what + " at " + emu::format_mark(file, f.mark) + " (" + seconds_text(f.seconds) + "): expected " + f.expected +
         "; seen " + f.seen;
}

}  // namespace

std::string junit_report(const std::vector<ScenarioResult>& results) {
  std::size_t failures = 0, errors = 0;
  double total = 0;
  for (const ScenarioResult& r : results) {
    failures += r.status == ScenarioResult::Status::Failed;
    errors += r.status == ScenarioResult::Status::Error;
    total += r.virtual_seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuite name=\"hilsim scenarios\" tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\" time=\"" + fixed6(total) +
         "\">\n";
  for (const ScenarioResult& r : results) {
    out += "  <testcase classname=\"hilsim.scenarios\" name=\"" + xml_escaped(r.name) + "\" file=\"" + xml_escaped(r.file) +
           "\" time=\"" + fixed6(r.virtual_seconds) + "\"";
    if (r.status == ScenarioResult::Status::Passed) {
      out += ">\n";
    } else if (r.status == ScenarioResult::Status::Error) {
      out += ">\n    <error message=\"" + xml_escaped(r.error) + "\" type=\"malformed\">" + xml_escaped(r.error) + "</error>\n";
    } else {
      const Failure& f = *r.failure;
      out += ">\n    <failure message=\"" + xml_escaped(one_line_failure(f, r.file)) + "\" type=\"failed\">" +
             xml_escaped(format_failure(f, r.file)) + "replay: " + xml_escaped(r.replay) + "\n</failure>\n";
    }
    if (!r.timeline.empty()) out += "    <system-out>" + xml_escaped(r.timeline) + "</system-out>\n";
    out += "  </testcase>\n";
  }
  out += "</testsuite>\n";
  return out;
}

std::string json_report(const std::vector<ScenarioResult>& results) {
  using json = nlohmann::ordered_json;
  json doc;
  std::size_t passed = 0, failed = 0, errors = 0;
  json scenarios = json::array();
  for (const ScenarioResult& r : results) {
    passed += r.status == ScenarioResult::Status::Passed;
    failed += r.status == ScenarioResult::Status::Failed;
    errors += r.status == ScenarioResult::Status::Error;
    json s;
    s["name"] = r.name;
    s["file"] = r.file;
    s["status"] = to_string(r.status);
    if (r.status == ScenarioResult::Status::Error) {
      s["error"] = r.error;
      scenarios.push_back(std::move(s));
      continue;
    }
    s["board"] = r.board;
    s["seed"] = r.seed;
    s["virtual_seconds"] = micro(r.virtual_seconds);
    s["trace_hash"] = hex64(r.trace_hash);
    s["trace_events"] = r.trace_events;
    json steps = json::array();
    for (const StepRecord& st : r.steps) {
      json j;
      j["index"] = st.index;
      j["type"] = st.type;
      if (!st.label.empty()) j["name"] = st.label;
      j["line"] = st.mark.line;
      j["column"] = st.mark.column;
      j["status"] = st.status;
      if (st.status != "not-run") {
        j["start"] = micro(st.start);
        j["end"] = micro(st.end);
      }
      if (!st.note.empty()) j["note"] = st.note;
      steps.push_back(std::move(j));
    }
    s["steps"] = std::move(steps);
    if (r.failure) {
      const Failure& f = *r.failure;
      json j;
      j["at"] = micro(f.seconds);
      j["what"] = f.what;
      j["step"] = f.step;
      j["where"] = emu::format_mark(r.file, f.mark);
      j["expected"] = f.expected;
      j["seen"] = f.seen;
      j["last_uart_lines"] = f.last_lines;
      j["replay"] = r.replay;
      s["failure"] = std::move(j);
    } else {
      s["failure"] = nullptr;
    }
    if (!r.kept.empty()) s["kept"] = r.kept;
    scenarios.push_back(std::move(s));
  }
  doc["tool"] = "hilsim run";
  doc["passed"] = passed;
  doc["failed"] = failed;
  doc["errors"] = errors;
  doc["scenarios"] = std::move(scenarios);
  return doc.dump(2) + "\n";
}

}  // namespace hilsim::scen
