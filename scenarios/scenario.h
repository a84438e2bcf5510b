// A scenario file (scenarios/README.md) loaded and checked: the board and firmware it runs,
// its seed and virtual time limit, the update server's releases, an optional persistent flash
// image, invariants that hold for the whole run, and the steps. Loading never throws: every
// problem is one "file:line:col: what was wrong, what was expected" message. The board is
// loaded too, so steps naming a pin, uart or partition it lacks are rejected here.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "emulator/board_config.h"
#include "emulator/elf_image.h"
#include "emulator/source_error.h"
#include "scenarios/step.h"

namespace hilsim::scen {

struct StepInstance {
  const StepType* type = nullptr;
  Args args;
  std::string label;  // optional `name:` of the step
  int index = 0;      // 1-based
  SourceMark mark;
};

struct InvariantInstance {
  const InvariantType* type = nullptr;
  Args args;
  SourceMark mark;
};

// A release the update server offers (wired later by the network steps).
struct Release {
  Args args;  // version, file, ...
  SourceMark mark;
};

struct FlashImage {
  bool present = false;
  std::string file;          // resolved path
  std::string file_written;  // as written in the scenario (for reports)
  std::string region;
  bool required = false;  // if-missing: error
  bool save = false;
  bool reflash = false;   // write the firmware ELF over the loaded image
  SourceMark mark;
};

// `campaign:` (scenarios/README.md, "Campaigns"): a fault swept over many points of the run
// (hilsim campaign). Each point cuts the power there, powers on again after `off_time_ns`, and
// runs `after` with `invariants` watching; the point passes when they all hold.
struct CampaignSpec {
  bool present = false;
  SourceMark mark;
  std::string fault = "power-loss";
  int from = 1, to = 0;              // window: steps from..to (1-based, inclusive)
  std::string at = "flash-ops";      // flash-ops | every | random
  std::string kind = "any";          // flash-ops: program | erase | any
  std::vector<std::string> partitions;  // flash-ops: only inside these ("" = anywhere)
  std::uint64_t every_ns = 0;        // every: spacing in virtual time
  std::int64_t count = 0;            // random: how many points
  std::uint64_t seed = 0;            // random: which ones
  std::vector<std::string> policies;  // before | after | torn, in this order
  std::uint64_t off_time_ns = 0;
  std::vector<StepInstance> after;
  std::vector<InvariantInstance> invariants;
};

// `network-bridge: "10.0.0.1:80=127.0.0.1:8000"`: the device's connections to ADDR:PORT go to
// a real TCP server on this machine instead of the in-process update server (network/tcp_bridge.h).
// Not deterministic by itself; record the session (hilsim run --record) to replay it offline.
struct BridgeRoute {
  std::string text;  // as written ("" = no bridge)
  std::uint32_t addr = 0;
  std::uint16_t port = 0;
  std::string host;
  std::uint16_t host_port = 0;
};
// Parses "A.B.C.D:PORT=A.B.C.D:PORT"; "" or what is wrong.
std::string parse_bridge_route(const std::string& text, BridgeRoute& route);

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // as given to the loader
  std::string board_written, firmware_written;
  std::string source_root;  // ${source}: where boards/<name>/keys/ are found
  emu::BoardConfig board;
  std::shared_ptr<const emu::ElfImage> firmware;
  std::uint64_t seed = 0;
  std::uint64_t time_limit_ns = 0;
  std::uint64_t step_timeout_ns = 0;
  bool start_powered = true;
  bool resume_after_bkpt = false;
  bool semihosting = false;
  std::set<std::string> log;  // extra timeline sources: pins, flash, guest-errors
  std::vector<Release> releases;
  BridgeRoute network_bridge;
  FlashImage flash_image;
  std::vector<InvariantInstance> invariants;
  std::vector<StepInstance> steps;
  CampaignSpec campaign;

  // Names given by snapshot steps so far, never-serial ids so far (for checks).
  std::set<std::string> snapshot_names, never_ids;
  std::string first_uart() const;  // the board's first uart ("" if none)
};

struct LoadOptions {
  std::string source_root;  // ${source}; board names resolve to <source>/boards/<name>/board.yaml
  std::string build_root;   // ${build}
};

emu::Loaded<Scenario> load_scenario(const std::string& path, const LoadOptions& options);
emu::Loaded<Scenario> load_scenario_from_string(const std::string& text, const std::string& filename,
                                                const LoadOptions& options);

// The keys of the top level and of its structured sections, for the loader and the schema.
const std::vector<KeySpec>& top_level_keys();     // scalar keys only
const std::vector<KeySpec>& flash_image_keys();
const std::vector<KeySpec>& release_keys();
const std::vector<KeySpec>& repeat_keys();
const std::vector<KeySpec>& campaign_keys();  // besides its `after` and `invariants` lists
// Rejects (fail_at) a `version` that is not MAJOR.MINOR.PATCH: releases and publish with file.
void check_release_version(const Args& args);  // `- repeat:` besides its `steps` list
const std::vector<std::string>& log_sources();

}  // namespace hilsim::scen
