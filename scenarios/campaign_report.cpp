// Campaign reports (campaign_report.h).
#include "scenarios/campaign_report.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "scenarios/text_util.h"

namespace hilsim::scen {

using json = nlohmann::json;

json point_json(const CampaignPoint& p) {
  return json{{"id", p.id},       {"trigger", p.trigger}, {"policy", p.policy},       {"at", p.at},
              {"seconds", p.seconds}, {"op", p.op},       {"partition", p.partition}, {"phase", p.phase},
              {"step", p.step}};
}

std::optional<CampaignPoint> point_from(const json& j) {
  try {
    CampaignPoint p;
    p.id = j.at("id");
    p.trigger = j.at("trigger");
    p.policy = j.at("policy");
    p.at = j.at("at");
    p.seconds = j.at("seconds");
    p.op = j.at("op");
    p.partition = j.at("partition");
    p.phase = j.at("phase");
    p.step = j.at("step");
    return p;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

json result_json(const PointResult& r) {
  return json{{"point", point_json(r.point)},
              {"passed", r.passed},
              {"end_seconds", r.end_seconds},
              {"failure", r.failure},
              {"snapshot", r.snapshot}};
}

std::optional<PointResult> result_from(const json& j) {
  try {
    std::optional<CampaignPoint> p = point_from(j.at("point"));
    if (!p) return std::nullopt;
    PointResult r;
    r.point = *p;
    r.passed = j.at("passed");
    r.end_seconds = j.at("end_seconds");
    r.failure = j.at("failure");
    r.snapshot = j.at("snapshot");
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string reproducer(const CampaignResult& c, const PointResult& r) {
  std::string prefix = c.reproduce_prefix.empty() ? "hilsim campaign " + c.file : c.reproduce_prefix;
  return prefix + " --point " + std::to_string(r.point.id);
}

namespace {
std::string point_title(const CampaignPoint& p) {
  std::string s = "point " + std::to_string(p.id) + " at " + seconds_text(p.seconds);
  if (!p.op.empty()) s += ": " + p.op + ", " + p.policy;
  else s += ": no flash operation in flight";
  return s;
}
}  // namespace

std::string campaign_summary(const CampaignResult& c) {
  struct Row {
    std::size_t tried = 0, passed = 0, failed = 0;
  };
  std::map<std::string, Row> rows;
  Row all;
  for (const PointResult& r : c.results) {
    Row& row = rows[r.point.phase];
    ++row.tried, ++all.tried;
    if (r.passed) ++row.passed, ++all.passed;
    else ++row.failed, ++all.failed;
  }
  std::size_t width = 5;
  for (const auto& [phase, row] : rows) width = std::max(width, phase.size());
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %8s %8s %8s\n", static_cast<int>(width), "phase", "tried", "passed", "failed");
  out += line;
  for (const auto& [phase, row] : rows) {
    std::snprintf(line, sizeof line, "%-*s %8zu %8zu %8zu\n", static_cast<int>(width), phase.c_str(), row.tried,
                  row.passed, row.failed);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-*s %8zu %8zu %8zu\n", static_cast<int>(width), "total", all.tried, all.passed,
                all.failed);
  out += line;
  for (const PointResult& r : c.results) {
    if (r.passed) continue;
    out += "\nFAIL " + point_title(r.point) + "\n";
    std::istringstream lines(r.failure);
    for (std::string l; std::getline(lines, l);) out += "     " + l + "\n";
    if (!r.snapshot.empty()) out += "     snapshot: " + r.snapshot + "\n";
    out += "     reproduce: " + reproducer(c, r) + "\n";
  }
  return out;
}

std::string campaign_junit(const CampaignResult& c) {
  std::size_t failures = 0;
  for (const PointResult& r : c.results) failures += !r.passed;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"hilsim campaign\" tests=\"" + std::to_string(c.results.size()) + "\" failures=\"" +
         std::to_string(failures) + "\">\n";
  out += "<testsuite name=\"" + xml_escaped(c.name) + "\" tests=\"" + std::to_string(c.results.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n";
  for (const PointResult& r : c.results) {
    char t[40];
    std::snprintf(t, sizeof t, "%.6f", r.end_seconds - r.point.seconds);
    out += "  <testcase classname=\"" + xml_escaped(c.name + "." + r.point.phase) + "\" name=\"" +
           xml_escaped(point_title(r.point)) + "\" file=\"" + xml_escaped(c.file) + "\" time=\"" + t + "\"";
    if (r.passed) {
      out += "/>\n";
      continue;
    }
    std::string first = r.failure.substr(0, r.failure.find('\n'));
    out += ">\n    <failure message=\"" + xml_escaped(first) + "\" type=\"failed\">" +
           xml_escaped(r.failure + (r.snapshot.empty() ? "" : "snapshot: " + r.snapshot + "\n") +
                       "reproduce: " + reproducer(c, r)) +
           "</failure>\n  </testcase>\n";
  }
  out += "</testsuite>\n</testsuites>\n";
  return out;
}

std::string campaign_json(const CampaignResult& c) {
  json points = json::array(), results = json::array();
  for (const CampaignPoint& p : c.points) points.push_back(point_json(p));
  std::size_t failed = 0;
  for (const PointResult& r : c.results) {
    json j = result_json(r);
    if (!r.passed) j["reproduce"] = reproducer(c, r);
    results.push_back(j);
    failed += !r.passed;
  }
  json j{{"format", "hilsim-campaign"},
         {"version", 1},
         {"name", c.name},
         {"file", c.file},
         {"shard", c.shard},
         {"shards", c.shards},
         {"reproduce_prefix", c.reproduce_prefix},
         {"tried", c.results.size()},
         {"failed", failed},
         {"points", points},
         {"results", results}};
  return j.dump(1) + "\n";
}

std::string merge_campaign_reports(const std::vector<std::string>& files, CampaignResult& out) {
  std::set<int> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& f = files[i];
    std::ifstream in(f);
    if (!in) return f + ": cannot read the file";
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "hilsim-campaign")
      return f + ": not a hilsim campaign report (expected the JSON of hilsim campaign --json)";
    if (j.value("version", 0) != 1)
      return f + ": campaign report version " + std::to_string(j.value("version", 0)) + " (this build reads 1)";
    std::vector<CampaignPoint> points;
    for (const json& p : j.value("points", json::array())) {
      std::optional<CampaignPoint> cp = point_from(p);
      if (!cp) return f + ": a point is malformed";
      points.push_back(*cp);
    }
    if (i == 0) {
      out.name = j.value("name", "");
      out.file = j.value("file", "");
      out.reproduce_prefix = j.value("reproduce_prefix", "");
      out.points = points;
      out.shards = 1;  // merged: the whole campaign, as far as the reports cover it
      out.shard = 1;
    } else if (j.value("name", "") != out.name || points.size() != out.points.size()) {
      return f + ": a report of another campaign (" + j.value("name", "?") + ", " + std::to_string(points.size()) +
             " points; the first file has " + out.name + ", " + std::to_string(out.points.size()) + ")";
    }
    for (const json& r : j.value("results", json::array())) {
      std::optional<PointResult> pr = result_from(r);
      if (!pr) return f + ": a result is malformed";
      if (!seen.insert(pr->point.id).second) return f + ": point " + std::to_string(pr->point.id) + " is reported twice";
      out.results.push_back(*pr);
    }
  }
  std::sort(out.results.begin(), out.results.end(),
            [](const PointResult& a, const PointResult& b) { return a.point.id < b.point.id; });
  return {};
}

}  // namespace hilsim::scen
