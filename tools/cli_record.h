// --record for the commands that record a session (hilsim run, hilsim boot): opening the
// recorder from the command-line options and reporting what it wrote, with one wording.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "scenarios/recording/recorder.h"

namespace hilsim::cli {

// A recorder writing `path` with checkpoints every `every` ("100ms"); null after printing
// "hilsim COMMAND: ..." when the option is wrong or the file cannot be written.
std::unique_ptr<scen::rec::Recorder> open_recorder(const char* command, const std::string& path, const std::string& every,
                                                   const std::string& build_dir, std::optional<std::uint64_t> seed);
// Prints "recorded PATH: N inputs, ..."; false (after printing why) if the recording failed.
bool report_recording(const char* command, const scen::rec::Recorder& recorder);

}  // namespace hilsim::cli
