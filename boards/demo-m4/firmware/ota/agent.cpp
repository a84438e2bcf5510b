// Update agent (see agent.h and docs/update-firmware.md "Update").
#include "ota/agent.h"

#include <cstring>

#include "app/app.h"
#include "app/runner.h"
#include "drivers/flash.h"
#include "drivers/systick.h"
#include "drivers/wait.h"
#include "hw/demo_m4.h"
#include "lib/http_client.h"
#include "ota/journal.h"
#include "update/manifest.h"
#include "ota/slots.h"
#include "ota/trusted_key.h"

namespace agent {
namespace {

using journal::SlotId;
namespace upd = hilsim::update;

const http::Target kServer{0x0A000001u, 80, "updates.local"};  // 10.0.0.1:80
constexpr uint32_t kHeaderSize = 128;

// What the agent already said about a version, so a refused release is reported once.
uint32_t g_said_version;
const char* g_said;
uint32_t g_bad_version;        // refused this boot (signature, size): not retried until reboot
uint32_t g_hash_fail_version;  // consecutive SHA-256 failures of one version
uint32_t g_hash_failures;

void out_version(uint32_t v) {
  app::out_dec(v >> 16);
  app::out('.');
  app::out_dec((v >> 8) & 0xFF);
  app::out('.');
  app::out_dec(v & 0xFF);
}

// Prints "update: <what> <version>[ <tail>]" once per (version, what).
void say_once(uint32_t version, const char* what, const char* tail) {
  if (g_said_version == version && g_said == what) return;
  g_said_version = version;
  g_said = what;
  app::out_str("update: ");
  app::out_str(what);
  app::out(' ');
  out_version(version);
  app::out_line(tail);
}

void say(const char* what, uint32_t version, const char* tail) {
  app::out_str("update: ");
  app::out_str(what);
  app::out(' ');
  out_version(version);
  app::out_line(tail);
}

// ---- manifest ---------------------------------------------------------------------------
struct TextBuffer {
  char data[upd::kManifestMax + 1];
  uint32_t len;
  bool overflow;
};

bool text_sink(void* ctx, const uint8_t* d, uint32_t n) {
  auto* t = static_cast<TextBuffer*>(ctx);
  if (t->len + n > upd::kManifestMax) {
    t->overflow = true;
    return false;
  }
  std::memcpy(t->data + t->len, d, n);
  t->len += n;
  return true;
}

// Fetches and parses /manifest. False (after saying why) if there is nothing to act on.
bool fetch_manifest(upd::Manifest& m) {
  static TextBuffer text;
  text.len = 0;
  text.overflow = false;
  http::Response rsp;
  net::Result nr = net::Result::Ok;
  const http::Error e = http::get(kServer, "/manifest", 0, rsp, text_sink, &text, &nr);
  if (e != http::Error::Ok) {
    app::out_str("update: cannot fetch the manifest: ");
    app::out_str(http::to_string(e));
    if (e == http::Error::Connect || e == http::Error::Network) {
      app::out_str(" (");
      app::out_str(net::to_string(nr));
      app::out(')');
    }
    app::out_line("");
    return false;
  }
  if (rsp.status == 404) return false;  // nothing published
  if (rsp.status != 200) {
    app::out_str("update: manifest request failed with HTTP ");
    app::out_dec(static_cast<uint32_t>(rsp.status));
    app::out_line("");
    return false;
  }
  const upd::ManifestError me = upd::parse_manifest(text.data, text.len, &m);
  if (me != upd::ManifestError::Ok) {
    app::out_str("update: bad manifest: ");
    app::out_line(upd::to_string(me));
    return false;
  }
  return true;
}

// ---- download ---------------------------------------------------------------------------
struct Download {
  SlotId slot;
  uint32_t base;
  uint32_t version;
  uint32_t total;      // bundle bytes (header + payload)
  uint32_t committed;  // bytes written, verified and journaled
  uint32_t skip;       // response bytes to drop (a server that ignored our Range)
  uint32_t fill;       // bytes waiting in chunk
  const char* error;   // why the sink stopped
  uint8_t chunk[kChunk];
};
Download g_dl;

// Writes the buffered chunk at base + committed and journals the new length.
bool flush_chunk(Download& d) {
  const uint32_t addr = d.base + d.committed;
  if (addr % demo_m4::kSectorSize == 0) {
    if (uint32_t err = flash::erase_sector(addr)) {
      d.error = flash::error_name(err);
      return false;
    }
  }
  uint32_t len = (d.fill + 3) & ~3u;
  for (uint32_t i = d.fill; i < len; ++i) d.chunk[i] = 0xFF;
  if (uint32_t err = flash::program(addr, d.chunk, len)) {
    d.error = flash::error_name(err);
    return false;
  }
  if (std::memcmp(flash::at(addr), d.chunk, d.fill) != 0) {
    d.error = "flash verify failed";
    return false;
  }
  d.committed += d.fill;
  d.fill = 0;
  journal::write_progress({d.slot, d.version, d.committed});
  return true;
}

bool download_sink(void* ctx, const uint8_t* data, uint32_t n) {
  auto& d = *static_cast<Download*>(ctx);
  while (n != 0) {
    if (d.skip != 0) {
      const uint32_t k = n < d.skip ? n : d.skip;
      d.skip -= k, data += k, n -= k;
      continue;
    }
    const uint32_t room = kChunk - d.fill;
    const uint32_t left = d.total - d.committed - d.fill;
    uint32_t k = n < room ? n : room;
    if (k > left) k = left;
    if (k == 0) return true;  // more than the bundle: ignore the excess
    std::memcpy(d.chunk + d.fill, data, k);
    d.fill += k, data += k, n -= k;
    if ((d.fill == kChunk || d.committed + d.fill == d.total) && !flush_chunk(d)) return false;
  }
  return true;
}

// Where a download of (slot, version) can continue from, given the journal and the flash.
uint32_t resume_offset(SlotId slot, uint32_t version, uint32_t total) {
  const journal::Progress& p = journal::progress();
  if (p.slot != slot || p.version != version || p.bytes > total) return 0;
  uint32_t at = p.bytes;
  // Inside a sector, the bytes after `at` must still be erased (a torn program there would
  // make the next program fail): otherwise restart this sector.
  const uint32_t sector_end = (at / demo_m4::kSectorSize + 1) * demo_m4::kSectorSize;
  const uint32_t base = slots::base(slot);
  if (at % demo_m4::kSectorSize != 0 && at < total && !flash::is_erased(base + at, sector_end - at))
    at -= at % demo_m4::kSectorSize;
  return at;
}

// Downloads into g_dl.slot until complete or out of attempts. True when complete.
bool download(const upd::Manifest& m) {
  Download& d = g_dl;
  for (int attempt = 0; attempt < kAttemptsPerPoll && d.committed < d.total; ++attempt) {
    if (attempt != 0) {
      const uint32_t until = systick::ticks() + kRetryPauseMs;
      sys::wait_until([until] { return static_cast<int32_t>(systick::ticks() - until) >= 0; }, 0);
    }
    if (d.committed != 0) {
      app::out_str("update: resuming at byte ");
      app::out_dec(d.committed);
      app::out_str(" of ");
      app::out_dec(d.total);
      app::out_line("");
    }
    d.fill = 0;
    d.skip = 0;
    d.error = nullptr;
    http::Response rsp;
    net::Result nr = net::Result::Ok;
    // The sink sees the body as it arrives; the status is checked by the first call.
    const http::Error e = http::get(kServer, m.url, d.committed, rsp, download_sink, &d, &nr);
    if (rsp.status == 200 && d.committed != 0 && e == http::Error::Ok && d.committed + d.fill < d.total) {
      // The server ignored the Range header and sent everything: start over, skipping nothing.
      d.error = "server ignored the Range request";
    }
    if (e == http::Error::Ok && (rsp.status == 200 || rsp.status == 206) && d.committed == d.total) return true;
    if (rsp.status == 404) {
      say("bundle not found (HTTP 404) for", d.version, "");
      return false;
    }
    if (rsp.status == 416) {  // our offset is past the end: the file changed; start over
      d.committed = 0;
      journal::write_progress({d.slot, d.version, 0});
      continue;
    }
    app::out_str("update: download interrupted at byte ");
    app::out_dec(d.committed + d.fill);
    app::out_str(": ");
    if (d.error != nullptr) app::out_str(d.error);
    else if (rsp.status >= 300) {
      app::out_str("HTTP ");
      app::out_dec(static_cast<uint32_t>(rsp.status));
    } else {
      app::out_str(http::to_string(e));
      if (e == http::Error::Network || e == http::Error::Connect) {
        app::out_str(" (");
        app::out_str(net::to_string(nr));
        app::out(')');
      }
    }
    app::out_line("");
  }
  return d.committed == d.total;
}

}  // namespace

void poll() {
  upd::Manifest m;
  if (!fetch_manifest(m)) return;
  const uint32_t running = runner::running_version();
  const journal::State& st = journal::state();
  if (m.version == running) return;
  if (m.version < running) return say_once(m.version, "refusing downgrade to", " (older than the running script)");
  if (m.version <= st.rejected) return say_once(m.version, "skipping", " (it was rolled back before)");
  if (m.version == g_bad_version) return;

  // The manifest carries the signed header fields: check the signature before downloading.
  uint8_t header[kHeaderSize];
  upd::manifest_to_header(m, header);
  if (!upd::verify_header_signature(header, hilsim::fw::kTrustedPublicKey)) {
    g_bad_version = m.version;
    return say("rejected", m.version, ": signature is not from the trusted key");
  }
  const SlotId slot = slots::other(runner::running_slot());
  const uint32_t total = kHeaderSize + m.payload_size;
  if (total > slots::capacity(slot)) {
    g_bad_version = m.version;
    return say("rejected", m.version, ": too large for a slot");
  }

  Download& d = g_dl;
  d.slot = slot;
  d.base = slots::base(slot);
  d.version = m.version;
  d.total = total;
  d.committed = resume_offset(slot, m.version, total);
  if (d.committed == 0) {
    say("downloading", m.version, "");
    app::out_str("update: into ");
    app::out_str(slots::name(slot));
    app::out_str(", ");
    app::out_dec(total);
    app::out_line(" bytes");
  }
#ifdef HILSIM_FW_BUG_EARLY_COMMIT
  // The deliberate bug of the test-only variant (CMakeLists.txt): the trial is journaled before
  // the slot holds the whole bundle, naming the new slot as its own fallback. A power cut from
  // here to the verification boots a partial slot, and its rollback finds no valid script but
  // the factory one. The real agent writes this record only after the slot verified (below).
  {
    journal::State early;
    early.active = slot;
    early.phase = journal::Phase::Trial;
    early.previous = slot;
    early.trial_boots = 0;
    early.version = m.version;
    early.rejected = st.rejected;
    journal::write_state(early);
  }
#endif
  if (!download(m)) return;

  // Verify what is in flash, not what went past: the slot is the truth from now on.
  const slots::Info info = slots::inspect(slot);
  if (!info.valid || std::memcmp(flash::at(d.base), header, kHeaderSize) != 0) {
    const char* why = info.valid ? "the bundle does not match its manifest" : info.why;
    app::out_str("update: rejected ");
    out_version(m.version);
    app::out_str(": ");
    app::out_line(why);
    journal::write_progress({slot, m.version, 0});  // start over next time
    if (g_hash_fail_version != m.version) g_hash_fail_version = m.version, g_hash_failures = 0;
    if (++g_hash_failures >= 3) g_bad_version = m.version;
    return;
  }
  say("verified", m.version, " (SHA-256 and Ed25519 signature)");

  journal::State next;
  next.active = slot;
  next.phase = journal::Phase::Trial;
  next.previous = runner::running_slot();
  next.trial_boots = 0;
  next.version = m.version;
  next.rejected = st.rejected;
  if (!journal::write_state(next)) {
    app::out_line("update: journal write failed; not applying");
    return;
  }
  runner::apply_update(slot);
}

}  // namespace agent
