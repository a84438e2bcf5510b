// Subcommand registration for build/hilsim. Each cli_<name>.cpp defines one add_*_command
// that declares its options on a CLI11 subcommand and sets its callback. A callback
// reports failure by throwing hilsim::cli::Exit{code} after printing what went wrong.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace hilsim::cli {

struct Exit {
  int code;
};

void add_boot_command(CLI::App& app);
void add_vm_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_campaign_command(CLI::App& app);  // cli_campaign.cpp

// What ${build} means in scenario files: the folder this binary lives in (cli_paths.cpp).
std::string default_build_dir();
void add_pack_commands(CLI::App& app);  // keygen, pack (cli_pack.cpp)
void add_gui_command(CLI::App& app);    // the panel (cli_gui.cpp, gui/)
void add_replay_command(CLI::App& app); // session recordings (cli_replay.cpp)

}  // namespace hilsim::cli
