// build/hilsim: one binary, one subcommand per job. See README.md for the list.
#include <cstdio>

#include "tools/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"hilsim: hardware-in-the-loop simulator for script hot-updating devices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hilsim 0.1.0");
  hilsim::cli::add_boot_command(app);
  hilsim::cli::add_vm_command(app);
  hilsim::cli::add_run_command(app);
  hilsim::cli::add_campaign_command(app);
  hilsim::cli::add_pack_commands(app);
  hilsim::cli::add_gui_command(app);
  hilsim::cli::add_replay_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const hilsim::cli::Exit& e) {
    return e.code;
  }
  return 0;
}
