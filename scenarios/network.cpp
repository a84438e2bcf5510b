// Network run hook and helpers (see network.h).
#include "scenarios/network.h"


#include "network/tcp_bridge.h"
#include "scenarios/text_util.h"
#include "update/bundle.h"

namespace hilsim::scen {
namespace {

template <typename T>
T* first_device(emu::Machine& m, const std::string& type) {
  for (const auto& p : m.board().peripherals)
    if (p.type == type) return dynamic_cast<T*>(m.device(p.name));
  return nullptr;
}

// The release's bundle: a prebuilt .bundle as is, or the script packed and signed with `key`.
std::vector<std::uint8_t> make_bundle(const Release& r, const Scenario& sc, std::string& error) {
  const std::string key_path = r.args.has("key") ? r.args.text("key") : board_dev_key(sc.source_root, sc.board.name);
  return bundle_from_file(r.args.text("file"), r.args.text("version"), key_path, error);
}

}  // namespace

std::string bundle_file_name(const std::string& version) { return "app-" + version + ".bundle"; }

std::string board_dev_key(const std::string& source_root, const std::string& board) {
  return source_root + "/boards/" + board + "/keys/dev.key";
}

std::vector<std::uint8_t> bundle_from_file(const std::string& file, const std::string& version,
                                           const std::string& key_path, std::string& error) {
  const std::string bytes = read_file(file, error);
  if (!error.empty()) return {};
  if (bytes.size() >= 4 && bytes.compare(0, 4, "HSB1") == 0)
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  const auto packed = release::parse_version(version);
  if (!packed) {
    error = "release " + version + ": not a MAJOR.MINOR.PATCH version";
    return {};
  }
  auto key = release::read_secret_key(key_path, error);
  if (!key) return {};
  return release::pack({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, *packed,
                       update::kPayloadSource, *key);
}

NetworkState& network_state(RunContext& ctx) { return ctx.state<NetworkState>(); }

std::string publish_release(RunContext& ctx, const std::string& version) {
  NetworkState& st = network_state(ctx);
  if (!st.publisher) return st.error.empty() ? "there is no update server in this run" : st.error;
  auto it = st.bundles.find(version);
  if (it == st.bundles.end()) return "release " + version + " was not packed";
  Input in{Input::Kind::Publish};
  in.name = version;
  ctx.record_input(in);
  return st.publisher->publish(bundle_file_name(version), it->second);
}

std::string unpublish_release(RunContext& ctx, const std::string& version) {
  NetworkState& st = network_state(ctx);
  if (!st.publisher) return st.error.empty() ? "there is no update server in this run" : st.error;
  Input in{Input::Kind::Unpublish};
  in.name = version;
  ctx.record_input(in);
  if (!st.publisher->unpublish(bundle_file_name(version))) return "release " + version + " is not published";
  return {};
}

std::string add_net_fault(RunContext& ctx, const periph::NetFault& fault) {
  NetworkState& st = network_state(ctx);
  if (st.link == nullptr) return "board " + ctx.machine().board().name + " has no net-link device";
  try {
    st.link->add_fault(fault);  // throws for a fault that cannot apply: recorded only once armed
  } catch (const std::exception& e) {
    return e.what();
  }
  Input in{Input::Kind::NetFault};
  in.fault = fault;
  ctx.record_input(in);
  return {};
}

void clear_net_faults(RunContext& ctx) {
  NetworkState& st = network_state(ctx);
  if (st.link == nullptr) return;
  ctx.record_input({Input::Kind::NetClearFaults});
  st.link->clear_faults();
}

// Run hook: builds the server and packs every release before the device first runs.
void run_hook_network(RunContext& ctx) {
  NetworkState& st = network_state(ctx);
  emu::Machine& m = ctx.machine();
  st.link = first_device<periph::NetLink>(m, "net-link");
  st.status = first_device<periph::StatusPort>(m, "status-port");
  if (st.status != nullptr) {
    // The firmware writes VERSION, SLOT and STATE one after the other: note the result once,
    // 20 us later (long after the few instructions doing the writes), stamped with the first.
    st.status->on_change = [&ctx, &st](const char*, std::uint32_t) {
      const emu::Ticks at = ctx.now(), delay = ctx.ticks(20'000);
      const bool pending = st.status_note_due != emu::kNever && at <= st.status_note_due && at + delay >= st.status_note_due;
      if (!pending) {
        st.status_note_due = at + delay;
        ctx.schedule(at + delay, "status note", [&ctx, &st, at] {
          st.status_note_due = emu::kNever;
          std::string text = "version " + st.status->version_text() + ", ";
          text += periph::StatusPort::to_string(st.status->slot());
          text += ", ";
          text += periph::StatusPort::to_string(st.status->state());
          if (text != st.last_status_note) ctx.note_at(at, "status", text);
          st.last_status_note = text;
        });
      }
      ctx.changed();
    };
  }
  if (st.link == nullptr) {
    if (!ctx.scenario().releases.empty() || !ctx.scenario().network_bridge.text.empty())
      st.error = "board " + m.board().name + " has no net-link device";
    return;
  }
  st.link->add_observer([&ctx](const periph::NetNote& n) {
    if (n.kind == periph::NetNote::Kind::Fault || n.kind == periph::NetNote::Kind::Failed)
      ctx.note_at(n.when, "net", n.what);
  });
  if (const BridgeRoute& br = ctx.scenario().network_bridge; !br.text.empty()) {
    st.error = "the net-link is bridged to a real server (network-bridge " + br.text + "): there is no in-process update server";
    if (st.replay_live) {
      st.live = st.replay_live;
      ctx.note("net", "bridge " + br.text + ": answered from the recording (the real server is not used)");
    } else {
      auto bridge = std::make_shared<network::TcpBridge>();
      bridge->add_route({br.addr, br.port, br.host, br.host_port});
      bridge->set_wait_ms(2);  // a little wall time per poll, so a fast simulation does not outrun the server
      st.live = bridge;
      ctx.note("net", "bridge " + br.text + ": the device's connections go to the real server");
    }
    if (st.wrap_live) st.live = st.wrap_live(st.live);
    st.link->set_backend(st.live);
    return;
  }
  st.server = std::make_shared<network::UpdateServer>();
  st.publisher = std::make_unique<release::Publisher>(*st.server);
  st.link->set_backend(st.server);
  st.server->add_observer([&ctx](const network::UpdateServer::LogEntry& e) {
    if (e.path == "/manifest" && (e.status == 200 || e.status == 404)) return;  // routine polls
    ctx.note_at(e.when, "server", e.method + " " + e.path + (e.range.empty() ? "" : " (" + e.range + ")") + " -> " +
                                      std::to_string(e.status) + ", " + std::to_string(e.bytes) + " bytes");
  });
  for (const Release& r : ctx.scenario().releases) {
    std::string error;
    std::vector<std::uint8_t> b = make_bundle(r, ctx.scenario(), error);
    if (!error.empty()) {
      ctx.violate("release " + r.args.text("version"), r.mark, "a release that can be packed", error, ctx.now());
      return;
    }
    st.bundles[r.args.text("version")] = std::move(b);
    if (r.args.has("published") && r.args.flag("published")) {
      const std::string v = r.args.text("version");
      const std::string err = publish_release(ctx, v);
      if (!err.empty()) ctx.violate("release " + v, r.mark, "a valid bundle", err, ctx.now());
      else ctx.note("server", "publishing " + v);
    }
  }
}

}  // namespace hilsim::scen
