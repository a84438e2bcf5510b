// Network run hook and helpers (see network.h).
#include "scenarios/network.h"


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
  const std::string& file = r.args.text("file");
  const std::string bytes = read_file(file, error);
  if (!error.empty()) return {};
  if (bytes.size() >= 4 && bytes.compare(0, 4, "HSB1") == 0)
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  const auto version = release::parse_version(r.args.text("version"));
  if (!version) {
    error = "release " + r.args.text("version") + ": not a MAJOR.MINOR.PATCH version";
    return {};
  }
  const std::string key_path = r.args.has("key") ? r.args.text("key")
                                                 : sc.source_root + "/boards/" + sc.board.name + "/keys/dev.key";
  auto key = release::read_secret_key(key_path, error);
  if (!key) return {};
  return release::pack({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, *version,
                       update::kPayloadSource, *key);
}

}  // namespace

std::string bundle_file_name(const std::string& version) { return "app-" + version + ".bundle"; }

NetworkState& network_state(RunContext& ctx) { return ctx.state<NetworkState>(); }

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
    if (!ctx.scenario().releases.empty()) st.error = "board " + m.board().name + " has no net-link device";
    return;
  }
  st.server = std::make_shared<network::UpdateServer>();
  st.publisher = std::make_unique<release::Publisher>(*st.server);
  st.link->set_backend(st.server);
  st.link->add_observer([&ctx](const periph::NetNote& n) {
    if (n.kind == periph::NetNote::Kind::Fault || n.kind == periph::NetNote::Kind::Failed)
      ctx.note_at(n.when, "net", n.what);
  });
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
      const std::string err = st.publisher->publish(bundle_file_name(v), st.bundles[v]);
      if (!err.empty()) ctx.violate("release " + v, r.mark, "a valid bundle", err, ctx.now());
      else ctx.note("server", "publishing " + v);
    }
  }
}

}  // namespace hilsim::scen
