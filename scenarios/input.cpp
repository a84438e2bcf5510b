// Inputs (input.h): names, descriptions, and replay's way of applying them.
#include "scenarios/input.h"

#include "scenarios/network.h"
#include "scenarios/run_context.h"
#include "scenarios/text_util.h"

namespace hilsim::scen {

const char* to_string(Input::Kind kind) {
  switch (kind) {
    case Input::Kind::PowerOn: return "power-on";
    case Input::Kind::PowerOff: return "power-off";
    case Input::Kind::Reset: return "reset";
    case Input::Kind::Pin: return "pin";
    case Input::Kind::Uart: return "uart";
    case Input::Kind::Poke: return "poke";
    case Input::Kind::NetFault: return "net-fault";
    case Input::Kind::NetClearFaults: return "net-clear-faults";
    case Input::Kind::Publish: return "publish";
    case Input::Kind::Unpublish: return "unpublish";
    case Input::Kind::SnapshotSave: return "snapshot-save";
    case Input::Kind::SnapshotRestore: return "snapshot-restore";
  }
  return "?";
}

bool is_known(std::uint8_t kind) {
  return kind >= static_cast<std::uint8_t>(Input::Kind::PowerOn) &&
         kind <= static_cast<std::uint8_t>(Input::Kind::SnapshotRestore);
}

std::string describe(const Input& in) {
  const std::string bytes(in.bytes.begin(), in.bytes.end());
  switch (in.kind) {
    case Input::Kind::PowerOff:
      return std::string("power off (policy ") + periph::to_string(static_cast<periph::PowerLossPolicy>(in.value)) + ")";
    case Input::Kind::Pin: return in.name + " <- " + (in.value ? "1" : "0");
    case Input::Kind::Uart: return in.name + " <- " + quoted(bytes);
    case Input::Kind::Poke:
      return std::to_string(in.bytes.size()) + " bytes written into " + in.name + " at offset " + std::to_string(in.value);
    case Input::Kind::NetFault: return "net fault: " + periph::to_string(in.fault);
    case Input::Kind::Publish:
    case Input::Kind::Unpublish:
    case Input::Kind::SnapshotSave:
    case Input::Kind::SnapshotRestore: return std::string(to_string(in.kind)) + " " + in.name;
    default: return to_string(in.kind);
  }
}

std::string apply_input(RunContext& ctx, const Input& in) {
  switch (in.kind) {
    case Input::Kind::PowerOn:
      ctx.power_on("replay");
      return {};
    case Input::Kind::PowerOff:
      if (in.value > static_cast<std::uint64_t>(periph::PowerLossPolicy::Torn)) return "unknown power-loss policy";
      ctx.set_power_loss_policy(static_cast<periph::PowerLossPolicy>(in.value));
      ctx.power_off("replay");
      return {};
    case Input::Kind::Reset:
      ctx.reset("replay");
      return {};
    case Input::Kind::Pin:
      return ctx.set_input(in.name, in.value != 0, "replay") ? "" : "the board has no input pin " + in.name;
    case Input::Kind::Uart:
      ctx.send(in.name, std::string(in.bytes.begin(), in.bytes.end()));
      return {};
    case Input::Kind::Poke: return ctx.poke(in.name, static_cast<std::uint32_t>(in.value), in.bytes);
    case Input::Kind::NetFault: return add_net_fault(ctx, in.fault);
    case Input::Kind::NetClearFaults:
      clear_net_faults(ctx);
      return {};
    case Input::Kind::Publish: return publish_release(ctx, in.name);
    case Input::Kind::Unpublish: return unpublish_release(ctx, in.name);
    case Input::Kind::SnapshotSave: return ctx.save_snapshot(in.name);
    case Input::Kind::SnapshotRestore: return ctx.restore_snapshot(in.name);
  }
  return "unknown input kind";
}

}  // namespace hilsim::scen
