// --record helpers (cli_record.h).
#include "tools/cli_record.h"

#include <cstdio>

#include "emulator/units.h"

namespace hilsim::cli {

std::unique_ptr<scen::rec::Recorder> open_recorder(const char* command, const std::string& path, const std::string& every,
                                                   const std::string& build_dir, std::optional<std::uint64_t> seed) {
  auto ns = emu::parse_duration_ns(every);
  if (!ns || *ns == 0) {
    std::fprintf(stderr, "hilsim %s: --checkpoint-every '%s': expected a duration such as 100ms\n", command, every.c_str());
    return nullptr;
  }
  scen::rec::RecorderOptions ro;
  ro.path = path;
  ro.checkpoint_every_ns = *ns;
  ro.build_dir = build_dir;
  ro.seed = seed;
  auto recorder = std::make_unique<scen::rec::Recorder>(ro);
  if (std::string err = recorder->open(); !err.empty()) {
    std::fprintf(stderr, "hilsim %s: --record: %s\n", command, err.c_str());
    return nullptr;
  }
  return recorder;
}

bool report_recording(const char* command, const scen::rec::Recorder& r) {
  if (!r.finished()) {
    std::fprintf(stderr, "hilsim %s: --record: the session did not run, nothing was recorded\n", command);
    return false;
  }
  if (!r.error().empty()) {
    std::fprintf(stderr, "hilsim %s: --record: %s\n", command, r.error().c_str());
    return false;
  }
  std::printf("recorded %s: %llu inputs, %llu checkpoints, %llu bytes (replay: hilsim replay %s)\n", r.path().c_str(),
              static_cast<unsigned long long>(r.inputs()), static_cast<unsigned long long>(r.checkpoints()),
              static_cast<unsigned long long>(r.bytes()), r.path().c_str());
  return true;
}

}  // namespace hilsim::cli
