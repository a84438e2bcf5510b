// `hilsim campaign` as a user runs it: the reference firmware survives a power cut at every
// erase of its update slot; a deliberately broken variant (demo-m4-early-commit.elf, journals the
// trial before the download is complete) fails, with a reproducer that reproduces it and a
// snapshot that opens; shards merge into the same result; the replay method agrees with fork;
// bad campaign files and options are refused with a message.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/hilsim_command.h"

namespace {
using hilsim::test::run_hilsim;
const std::string kData = std::string(HILSIM_SOURCE_DIR) + "/tests/data/campaigns/";
const std::string kReference = kData + "slot_erase_reference.yaml";
const std::string kBroken = kData + "slot_erase_early_commit.yaml";

std::string tmp(const std::string& name) { return "/tmp/hilsim-campaign-" + std::to_string(::getpid()) + "-" + name; }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("campaign: the reference firmware survives a power cut at every slot erase, before and torn") {
  auto r = run_hilsim("campaign -q " + kReference + " --junit " + tmp("ref.xml"));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("running · slot-b erase        4        4        0") != std::string::npos);
  CHECK(r.out.find("4 passed, 0 failed of 4 points") != std::string::npos);
  std::string junit = read(tmp("ref.xml"));
  CHECK(count(junit, "<testcase ") == 4);
  CHECK(count(junit, "<failure") == 0);
  CHECK(junit.find("erase #11 at 0x00068000 (4096 bytes), torn") != std::string::npos);
  std::remove(tmp("ref.xml").c_str());
}

// The whole reference campaign (scenarios/campaigns/update_power_loss.yaml): every flash
// operation of the v2 update x before/after/torn; with page programs it is 31 operations.
TEST_CASE("campaign: the reference campaign passes at every flash operation of the update, and the broken variant fails it") {
  const std::string file = std::string(HILSIM_SOURCE_DIR) + "/scenarios/campaigns/update_power_loss.yaml";
  auto r = run_hilsim("campaign -q -j 2 " + file + " --json " + tmp("full.json"));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("93 passed, 0 failed of 93 points") != std::string::npos);
  CHECK(r.out.find("running · slot-b program       63       63        0") != std::string::npos);
  CHECK(r.out.find("running · slot-b erase          6        6        0") != std::string::npos);
  CHECK(r.out.find("trial · meta program            3        3        0") != std::string::npos);

  // The same campaign on the firmware that journals the trial before the slot is complete.
  std::string text = read(file);
  const std::string from = "${build}/firmware/demo-m4/demo-m4.elf";
  text.replace(text.find(from), from.size(), "${build}/firmware/demo-m4/demo-m4-early-commit.elf");
  const std::string broken = std::string(HILSIM_SOURCE_DIR) + "/scenarios/campaigns/update_power_loss_early_commit-" +
                             std::to_string(::getpid()) + ".yaml";  // next to the original: same relative paths
  std::ofstream(broken) << text;
  auto b = run_hilsim("campaign -q -j 2 " + broken + " --out ''");
  std::remove(broken.c_str());
  INFO(b.out);
  CHECK(b.code == 1);
  // It journals one more record (the early trial), so it has 32 operations: 96 points.
  CHECK(b.out.find("12 passed, 84 failed of 96 points") != std::string::npos);
  CHECK(b.out.find("running · slot-b erase          6        0        6") != std::string::npos);
  CHECK(b.out.find("seen:     version none (factory, factory)") != std::string::npos);
  std::remove(tmp("full.json").c_str());
}

TEST_CASE("campaign: a firmware that journals the trial too early fails, and its reproducer and snapshot reproduce it") {
  const std::string out = tmp("failures");
  auto r = run_hilsim("campaign -q " + kBroken + " --out " + out + " --json " + tmp("broken.json"));
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("0 passed, 4 failed of 4 points") != std::string::npos);
  CHECK(r.out.find("seen:     version none (factory, factory)") != std::string::npos);
  const std::string repro = "hilsim campaign " + kBroken + " --point 3";
  REQUIRE(r.out.find("reproduce: " + repro) != std::string::npos);
  const std::string snap = out + "/slot_erase_early_commit-point-3.snap";
  CHECK(r.out.find("snapshot: " + snap) != std::string::npos);

  // The reproducer reruns exactly that point: the same cut, the same failure, its timeline.
  auto again = run_hilsim(repro.substr(std::string("hilsim ").size()) + " --out " + out);
  INFO(again.out);
  CHECK(again.code == 1);
  CHECK(again.out.find("campaign point 3: power cut during erase #34 at 0x00069000 (4096 bytes), policy before") !=
        std::string::npos);
  CHECK(again.out.find("boot: slot-b cannot run") != std::string::npos);
  CHECK(again.out.find("0 passed, 1 failed of 4 points") != std::string::npos);

  // The saved snapshot is the machine just before the cut: it opens in another process.
  auto opened = run_hilsim("boot -f " + std::string(HILSIM_BUILD_DIR) +
                           "/firmware/demo-m4/demo-m4-early-commit.elf --snapshot " + snap + " --for 10ms");
  INFO(opened.out);
  CHECK(opened.code == 0);
  CHECK(opened.out.find("started from snapshot") != std::string::npos);
  CHECK(std::system(("rm -rf " + out).c_str()) == 0);
  std::remove(tmp("broken.json").c_str());
}

TEST_CASE("campaign: shards run disjoint slices and merge into the whole, and replay agrees with fork") {
  auto one = run_hilsim("campaign -q " + kBroken + " --out '' --shard 1/2 --json " + tmp("s1.json"));
  auto two = run_hilsim("campaign -q " + kBroken + " --out '' --shard 2/2 --json " + tmp("s2.json"));
  CHECK(one.out.find("0 passed, 2 failed (shard 1/2 of 4 points)") != std::string::npos);
  CHECK(two.out.find("0 passed, 2 failed (shard 2/2 of 4 points)") != std::string::npos);
  auto merged = run_hilsim("campaign --merge " + tmp("s1.json") + " " + tmp("s2.json") + " --junit " + tmp("m.xml"));
  INFO(merged.out);
  CHECK(merged.code == 1);
  CHECK(merged.out.find("0 passed, 4 failed of 4 points") != std::string::npos);
  CHECK(count(read(tmp("m.xml")), "<failure") == 4);
  // A shard merged twice is refused.
  auto twice = run_hilsim("campaign --merge " + tmp("s1.json") + " " + tmp("s1.json"));
  CHECK(twice.code == 2);
  CHECK(twice.out.find("is reported twice") != std::string::npos);

  auto replay = run_hilsim("campaign -q " + kReference + " --method replay");
  CHECK(replay.code == 0);
  CHECK(replay.out.find("4 passed, 0 failed of 4 points") != std::string::npos);
  for (const char* f : {"s1.json", "s2.json", "m.xml"}) std::remove(tmp(f).c_str());
}

TEST_CASE("campaign: bad campaign files and options are refused with file, line and what was expected") {
  const std::string yaml = tmp("bad.yaml");
  auto write = [&](const std::string& campaign) {
    std::string text = read(kReference);
    text = text.substr(0, text.find("campaign:")) + campaign;
    std::ofstream(yaml) << text;
  };
  write("campaign:\n  policies: before sideways\n  after:\n    - expect-version: 1.0.0\n");
  auto r = run_hilsim("campaign " + yaml);
  CHECK(r.code == 2);
  CHECK(r.out.find(yaml + ":") != std::string::npos);
  CHECK(r.out.find("unknown policy \"sideways\"; expected before, after or torn") != std::string::npos);
  write("campaign:\n  from: nowhere\n  after:\n    - expect-version: 1.0.0\n");
  r = run_hilsim("campaign " + yaml);
  CHECK(r.out.find("'from': no step is named \"nowhere\"") != std::string::npos);
  write("campaign:\n  at: every\n  after:\n    - expect-version: 1.0.0\n");
  r = run_hilsim("campaign " + yaml);
  CHECK(r.out.find("at: every needs 'every'") != std::string::npos);
  write("campaign:\n  partitions: slot-z\n  after:\n    - expect-version: 1.0.0\n");
  r = run_hilsim("campaign " + yaml);
  CHECK(r.out.find("has no partition \"slot-z\"") != std::string::npos);
  write("campaign:\n  at: flash-ops\n");
  r = run_hilsim("campaign " + yaml);
  CHECK(r.out.find("campaign needs 'after'") != std::string::npos);

  r = run_hilsim("campaign " + kReference + " --shard 3/2");
  CHECK(r.code == 2);
  CHECK(r.out.find("--shard '3/2'") != std::string::npos);
  r = run_hilsim("campaign " + std::string(HILSIM_SOURCE_DIR) + "/scenarios/demo.yaml");
  CHECK(r.code == 2);
  CHECK(r.out.find("has no 'campaign:' section") != std::string::npos);
  r = run_hilsim("campaign " + kReference + " --point 99");
  CHECK(r.code == 2);
  CHECK(r.out.find("there is no point 99 (the campaign has 4)") != std::string::npos);
  r = run_hilsim("campaign --merge " + yaml);
  CHECK(r.code == 2);
  CHECK(r.out.find("not a hilsim campaign report") != std::string::npos);
  std::remove(yaml.c_str());
}
