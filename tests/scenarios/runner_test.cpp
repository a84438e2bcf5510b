// Runs as a whole: determinism, batches on several threads, the reports, the example library,
// the deliberately failing example, --keep-failed evidence, the schema and the command line.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <set>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emulator/memory_image.h"
#include "peripherals/state_io.h"
#include "scenarios/report.h"
#include "scenarios/schema.h"
#include "tests/scenarios/scenario_fixture.h"

using namespace hilsim;
using test::contains;
using Status = scen::ScenarioResult::Status;

namespace {

const std::string kExamples = std::string(HILSIM_SOURCE_DIR) + "/scenarios/examples";

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".yaml") out.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

scen::BatchOptions batch(int jobs) {
  scen::BatchOptions o;
  o.jobs = jobs;
  o.load = test::load_options();
  return o;
}

}  // namespace

TEST_CASE("runner: the same scenario gives the same timeline and trace hash every time") {
  const std::string text = test::kDemo +
                           "steps:\n"
                           "  - wait-serial: {text: \"(reset: power-on)\", timeout: 100ms}\n"
                           "  - set-control: {pin: BUTTON, value: 0, for: 30ms}\n"
                           "  - write-serial: {line: status}\n"
                           "  - wait-serial: {text: watchdog=, timeout: 100ms}\n"
                           "  - power-cycle: 5ms\n"
                           "  - wait-pin: {pin: LED0, edge: rising, timeout: 600ms}\n";
  auto a = test::run(text), b = test::run(text);
  REQUIRE_MESSAGE(a.status == Status::Passed, a.timeline);
  CHECK(a.timeline == b.timeline);
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.trace_events == b.trace_events);
  CHECK(a.trace_hash != 0);
  // Another seed is another run of the same scenario (the RNG differs), same steps.
  scen::RunOptions seeded;
  seeded.seed = 99;
  auto c = test::run(text, seeded);
  CHECK(c.status == Status::Passed);
  CHECK(c.seed == 99);
}

TEST_CASE("runner: the example library passes; the failing example fails with an actionable message") {
  std::vector<std::string> files = yaml_files(kExamples);
  REQUIRE(files.size() >= 6);
  files.push_back(kExamples + "/failing/wrong_version.yaml");
  std::vector<scen::ScenarioResult> results = scen::run_batch(files, batch(1), {});
  for (std::size_t i = 0; i + 1 < results.size(); ++i) {
    CAPTURE(files[i]);
    CHECK_MESSAGE(results[i].status == Status::Passed, results[i].timeline);
  }
  const scen::ScenarioResult& bad = results.back();
  REQUIRE(bad.status == Status::Failed);
  const scen::Failure& f = *bad.failure;
  CHECK(f.what == "step 3 wait-serial");
  CHECK(emu::format_mark(bad.file, f.mark) == kExamples + "/failing/wrong_version.yaml:13:5");
  CHECK(f.expected.rfind("regex /^version: [0-9]+\\.[0-9]+$/ on uart0 within 500ms (by ", 0) == 0);
  CHECK(contains(f.seen, "none matching; the last: \"unknown command: version\""));
  REQUIRE(!f.last_lines.empty());
  CHECK(contains(f.last_lines.back(), "uart0  unknown command: version"));
  std::string block = scen::format_failure(f, bad.file);
  CHECK(contains(block, "last UART lines:\n  ["));
  CHECK(contains(bad.timeline, "; replay: hilsim run " + kExamples + "/failing/wrong_version.yaml"));
}

TEST_CASE("runner: reports are byte-identical whatever the number of jobs") {
  std::vector<std::string> files = yaml_files(kExamples);
  files.push_back(kExamples + "/failing/wrong_version.yaml");
  files.push_back(std::string(HILSIM_SOURCE_DIR) + "/scenarios/nonexistent.yaml");
  std::vector<std::size_t> order;
  scen::BatchCallbacks cb;
  cb.finished = [&](std::size_t i, const scen::ScenarioResult&) { order.push_back(i); };
  auto one = scen::run_batch(files, batch(1), cb);
  auto three = scen::run_batch(files, batch(3), cb);
  CHECK(order.size() == 2 * files.size());
  CHECK(scen::json_report(one) == scen::json_report(three));
  CHECK(scen::junit_report(one) == scen::junit_report(three));
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].timeline == three[i].timeline);
    CHECK(one[i].trace_hash == three[i].trace_hash);
  }
}

TEST_CASE("runner: JSON and JUnit content") {
  std::vector<std::string> files = {kExamples + "/button.yaml", kExamples + "/failing/wrong_version.yaml",
                                    std::string(HILSIM_SOURCE_DIR) + "/scenarios/nonexistent.yaml"};
  auto results = scen::run_batch(files, batch(2), {});
  auto doc = nlohmann::json::parse(scen::json_report(results));
  CHECK(doc["passed"] == 1);
  CHECK(doc["failed"] == 1);
  CHECK(doc["errors"] == 1);
  auto& ok = doc["scenarios"][0];
  CHECK(ok["name"] == "button");
  CHECK(ok["status"] == "passed");
  CHECK(ok["trace_hash"].get<std::string>().size() == 16);
  CHECK(ok["failure"].is_null());
  CHECK(ok["steps"].size() == results[0].steps.size());
  CHECK(ok["steps"][2]["name"] == "first press");
  CHECK(ok["steps"][2]["type"] == "set-control");
  CHECK(ok["steps"][2]["end"].get<double>() >= ok["steps"][2]["start"].get<double>());
  auto& bad = doc["scenarios"][1];
  CHECK(bad["status"] == "failed");
  CHECK(bad["failure"]["step"] == 3);
  CHECK(bad["failure"]["where"] == kExamples + "/failing/wrong_version.yaml:13:5");
  CHECK(bad["failure"]["at"].get<double>() == doctest::Approx(results[1].failure->seconds));
  CHECK(bad["steps"][2]["status"] == "failed");
  CHECK(doc["scenarios"][2]["status"] == "error");
  CHECK(contains(doc["scenarios"][2]["error"].get<std::string>(), "cannot open the scenario file"));

  std::string xml = scen::junit_report(results);
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"hilsim scenarios\" tests=\"3\" failures=\"1\" errors=\"1\"", 0) == 0);
  CHECK(contains(xml, "<testcase classname=\"hilsim.scenarios\" name=\"button\""));
  CHECK(contains(xml, "<failure message=\"step 3 wait-serial at " + kExamples + "/failing/wrong_version.yaml:13:5 ("));
  CHECK(contains(xml, "none matching; the last: &quot;unknown command: version&quot;"));
  CHECK(contains(xml, "<error message=\""));
  CHECK(contains(xml, "&quot;unknown command: version&quot;"));
  // One testsuite, one testcase per scenario, time = virtual seconds.
  CHECK(contains(xml, "time=\"" + [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", results[1].virtual_seconds);
    return std::string(buf);
  }() + "\""));
}

TEST_CASE("runner: --keep-failed saves the flash image and a snapshot at the failing step") {
  std::string dir = "/tmp/hilsim-keep-" + std::to_string(::getpid());
  scen::RunOptions o;
  o.keep_failed_dir = dir;
  auto r = test::run(test::kDemo + "name: kept\nsteps:\n  - wait-serial: {text: never, timeout: 20ms}\n", o);
  REQUIRE(r.status == Status::Failed);
  REQUIRE(r.kept.size() == 2);
  CHECK(r.kept[0] == dir + "/kept/flash.img");
  CHECK(r.kept[1] == dir + "/kept/snapshot.bin");
  CHECK(contains(r.timeline, "keep   " + dir + "/kept/flash.img"));
  std::string img = read_text(r.kept[0]);
  auto decoded = emu::decode_memory_image(std::vector<std::uint8_t>(img.begin(), img.end()), r.kept[0]);
  REQUIRE(decoded.ok());
  CHECK(decoded->region == "flash");
  // The snapshot is a machine snapshot (docs: emulator/machine_snapshot.cpp) taken at the failure.
  // Its first fields: magic "HSNP", version, board, then the instruction count.
  std::string blob = read_text(r.kept[1]);
  std::vector<std::uint8_t> bytes(blob.begin(), blob.end());
  periph::StateReader reader(bytes);
  std::uint32_t magic = 0, version = 0;
  std::string board;
  std::uint64_t icount = 0;
  reader.field("magic", magic);
  reader.field("version", version);
  reader.field("board", board);
  reader.field("icount", icount);
  REQUIRE(reader.ok());
  CHECK(magic == 0x504E5348u);
  CHECK(board == "demo-m4");
  CHECK(icount == r.failure->at);
  std::remove(r.kept[0].c_str());
  std::remove(r.kept[1].c_str());
  ::rmdir((dir + "/kept").c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("schema: scenarios/scenario.schema.json is what the registry generates") {
  std::string file = read_text(std::string(HILSIM_SOURCE_DIR) + "/scenarios/scenario.schema.json");
  std::string generated = scen::scenario_schema_json();
  // Regenerate with: build/hilsim run --print-schema > scenarios/scenario.schema.json
  CHECK_MESSAGE(nlohmann::json::parse(file) == nlohmann::json::parse(generated),
                "scenarios/scenario.schema.json is out of date: build/hilsim run --print-schema > scenarios/scenario.schema.json");
  auto schema = nlohmann::json::parse(generated);
  std::set<std::string> listed;
  CHECK(schema["properties"]["steps"]["$ref"] == "#/definitions/steps");
  for (auto& item : schema["definitions"]["steps"]["items"]["oneOf"])
    if (item.contains("required")) listed.insert(item["required"][0].get<std::string>());
  CHECK(listed.size() == scen::step_types().size() + 1);  // + repeat
  CHECK(listed.count("repeat") == 1);
  for (const scen::StepType* t : scen::step_types()) CHECK(listed.count(t->name) == 1);
}

TEST_CASE("schema: the README documents every step and invariant; every step waits with a timeout") {
  std::string readme = read_text(std::string(HILSIM_SOURCE_DIR) + "/scenarios/README.md");
  for (const scen::StepType* t : scen::step_types()) {
    CAPTURE(t->name);
    CHECK(contains(readme, "`" + t->name + "`"));
  }
  for (const scen::InvariantType* t : scen::invariant_types()) {
    CAPTURE(t->name);
    CHECK(contains(readme, "`" + t->name + "`"));
  }
  // A step that waits for the device names its timeout; steps that only act or let time pass
  // on purpose (delay, power-cycle, ...) do not wait for anything.
  for (const char* name : {"wait-serial", "expect-serial", "wait-pin", "wait-reset", "wait-flash", "power-loss",
                           "expect-fault", "expect-version", "expect-slot"}) {
    const scen::StepType* t = scen::find_step_type(name);
    REQUIRE(t);
    bool has_timeout = false;
    for (const scen::KeySpec& k : t->keys) has_timeout = has_timeout || k.name == "timeout";
    CHECK_MESSAGE(has_timeout, name);
  }
}

TEST_CASE("cli: hilsim run exit codes and summary") {
  std::string hilsim = std::string(HILSIM_BUILD_DIR) + "/hilsim";
  struct stat st{};
  if (::stat(hilsim.c_str(), &st) != 0) return;  // built with the tools; nothing to check without it
  auto run = [&](const std::string& args) {
    std::string out;
    FILE* p = ::popen((hilsim + " run " + args + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = ::pclose(p);
    return std::pair<int, std::string>{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  };
  auto [ok_code, ok_out] = run("-q " + kExamples + "/button.yaml");
  CHECK(ok_code == 0);
  CHECK(contains(ok_out, "1 passed, 0 failed"));
  auto [bad_code, bad_out] = run("-q -j 2 " + kExamples + "/button.yaml " + kExamples + "/failing/wrong_version.yaml");
  CHECK(bad_code == 1);
  CHECK(contains(bad_out, "1 passed, 1 failed"));
  CHECK(contains(bad_out, "replay: hilsim run"));
  auto [err_code, err_out] = run("-q /nonexistent.yaml");
  CHECK(err_code == 2);
  CHECK(contains(err_out, "(1 malformed)"));
}
