// The .hrec file: writer and reader (format.h, docs/recording-format.md).
#include "scenarios/recording/format.h"

#include <sodium.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "scenarios/recording/varint.h"

namespace hilsim::scen::rec {

const char* to_string(RecordType type) {
  switch (type) {
    case RecordType::Identity: return "identity";
    case RecordType::Release: return "release";
    case RecordType::Image: return "image";
    case RecordType::Input: return "input";
    case RecordType::Peer: return "peer";
    case RecordType::Checkpoint: return "checkpoint";
    case RecordType::End: return "end";
  }
  return "?";
}

std::string hex(const Sha256& d) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : d) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

Sha256 sha256_of(std::span<const std::uint8_t> bytes) {
  Sha256 d{};
  crypto_hash_sha256(d.data(), bytes.data(), bytes.size());
  return d;
}

namespace {

constexpr std::uint8_t kMagic[4] = {'H', 'R', 'E', 'C'};
constexpr std::uint64_t kMaxInflated = 1ull << 30;  // a checkpoint or image bigger than 1 GiB is nonsense

std::uint32_t crc_of(std::uint8_t type, std::span<const std::uint8_t> payload) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, &type, 1);
  crc = crc32(crc, payload.data(), static_cast<uInt>(payload.size()));
  return static_cast<std::uint32_t>(crc);
}

std::vector<std::uint8_t> deflate_bytes(const std::vector<std::uint8_t>& raw) {
  uLongf n = compressBound(raw.size());
  std::vector<std::uint8_t> out(n);
  if (compress2(out.data(), &n, raw.data(), raw.size(), 6) != Z_OK) return {};
  out.resize(n);
  return out;
}

bool inflate_bytes(const std::vector<std::uint8_t>& z, std::uint64_t size, std::vector<std::uint8_t>& out) {
  if (size > kMaxInflated) return false;
  out.resize(size);
  uLongf n = size;
  if (uncompress(out.data(), &n, z.data(), z.size()) != Z_OK || n != size) return false;
  return true;
}

void put_sha(std::vector<std::uint8_t>& out, const Sha256& d) { out.insert(out.end(), d.begin(), d.end()); }
bool get_sha(std::span<const std::uint8_t>& in, Sha256& d) {
  if (in.size() < d.size()) return false;
  std::copy(in.begin(), in.begin() + d.size(), d.begin());
  in = in.subspan(d.size());
  return true;
}

// ---- payloads -------------------------------------------------------------------------------

std::vector<std::uint8_t> encode(const Identity& id) {
  std::vector<std::uint8_t> p;
  put_text(p, id.writer);
  put_text(p, id.scenario_name);
  put_text(p, id.scenario_file);
  put_text(p, id.board_name);
  put_text(p, id.board_file);
  put_sha(p, id.board_sha);
  put_text(p, id.firmware_file);
  put_text(p, id.firmware_in_build);
  put_sha(p, id.firmware_sha);
  put_varint(p, id.seed);
  put_varint(p, id.clock_hz);
  put_varint(p, id.checkpoint_every);
  put_varint(p, (id.semihosting ? 1u : 0u) | (id.resume_after_bkpt ? 2u : 0u));
  put_text(p, id.network_bridge);
  return p;
}

bool decode(std::span<const std::uint8_t> p, Identity& id) {
  std::uint64_t flags = 0;
  bool ok = get_text(p, id.writer) && get_text(p, id.scenario_name) && get_text(p, id.scenario_file) &&
            get_text(p, id.board_name) && get_text(p, id.board_file) && get_sha(p, id.board_sha) &&
            get_text(p, id.firmware_file) && get_text(p, id.firmware_in_build) && get_sha(p, id.firmware_sha) &&
            get_varint(p, id.seed) && get_varint(p, id.clock_hz) && get_varint(p, id.checkpoint_every) &&
            get_varint(p, flags) && get_text(p, id.network_bridge);
  id.semihosting = flags & 1;
  id.resume_after_bkpt = flags & 2;
  return ok && p.empty() && id.clock_hz != 0 && id.checkpoint_every != 0;
}

std::vector<std::uint8_t> encode(const Input& in) {
  std::vector<std::uint8_t> p;
  put_varint(p, static_cast<std::uint8_t>(in.kind));
  put_varint(p, in.at);
  put_text(p, in.name);
  put_varint(p, in.value);
  put_bytes(p, in.bytes);
  if (in.kind == Input::Kind::NetFault) {
    const periph::NetFault& f = in.fault;
    put_varint(p, static_cast<std::uint8_t>(f.kind));
    put_varint(p, f.offset);
    put_varint(p, f.length);
    put_varint(p, f.mask);
    put_varint(p, f.stall_ns);
    put_varint(p, f.rate_bps);
    put_varint(p, static_cast<std::uint8_t>(f.scope));
    put_varint(p, f.count);
    put_text(p, f.path_prefix);
  }
  return p;
}

// "" or what is wrong.
std::string decode(std::span<const std::uint8_t> p, Input& in) {
  std::uint64_t kind = 0;
  if (!get_varint(p, kind)) return "malformed";
  if (kind > 0xff || !is_known(static_cast<std::uint8_t>(kind))) return "unknown input kind " + std::to_string(kind);
  in.kind = static_cast<Input::Kind>(kind);
  if (!get_varint(p, in.at) || !get_text(p, in.name) || !get_varint(p, in.value) || !get_bytes(p, in.bytes))
    return "malformed";
  if (in.kind == Input::Kind::NetFault) {
    std::uint64_t k = 0, length = 0, mask = 0, scope = 0, count = 0;
    periph::NetFault& f = in.fault;
    if (!get_varint(p, k) || !get_varint(p, f.offset) || !get_varint(p, length) || !get_varint(p, mask) ||
        !get_varint(p, f.stall_ns) || !get_varint(p, f.rate_bps) || !get_varint(p, scope) || !get_varint(p, count) ||
        !get_text(p, f.path_prefix))
      return "malformed net fault";
    if (k < 1 || k > 6 || scope < 1 || scope > 3 || mask > 0xff || length > 0xffffffffu || count > 0xffffffffu)
      return "net fault out of range";
    f.kind = static_cast<periph::NetFault::Kind>(k);
    f.scope = static_cast<periph::NetFault::Scope>(scope);
    f.length = static_cast<std::uint32_t>(length);
    f.mask = static_cast<std::uint8_t>(mask);
    f.count = static_cast<std::uint32_t>(count);
  }
  return p.empty() ? "" : "trailing bytes";
}

}  // namespace

std::string interval_events(const Checkpoint& cp, std::array<std::vector<StreamEvent>, kStreamCount>& out) {
  std::vector<std::uint8_t> raw;
  if (!inflate_bytes(cp.events, cp.events_size, raw)) return "its events do not inflate";
  std::span<const std::uint8_t> in(raw);
  for (auto& v : out) {
    v.clear();
    if (!decode_events(in, v)) return "its events are malformed";
  }
  return in.empty() ? "" : "trailing bytes after its events";
}

// ===== writer ====================================================================================

RecordingWriter::~RecordingWriter() {
  if (f_) std::fclose(f_);
}

std::string RecordingWriter::open(const std::string& path) {
  path_ = path;
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) return "cannot write " + path + ": " + std::strerror(errno);
  const std::uint8_t head[8] = {kMagic[0], kMagic[1], kMagic[2], kMagic[3],
                                static_cast<std::uint8_t>(kFormatVersion & 0xff), static_cast<std::uint8_t>(kFormatVersion >> 8), 0, 0};
  failed_ = std::fwrite(head, 1, sizeof head, f_) != sizeof head;
  written_ = sizeof head;
  return failed_ ? "cannot write " + path : "";
}

void RecordingWriter::record(RecordType type, const std::vector<std::uint8_t>& payload) {
  if (!f_ || failed_) return;
  std::vector<std::uint8_t> r;
  r.reserve(payload.size() + 16);
  r.push_back(static_cast<std::uint8_t>(type));
  put_varint(r, payload.size());
  r.insert(r.end(), payload.begin(), payload.end());
  const std::uint32_t crc = crc_of(static_cast<std::uint8_t>(type), payload);
  for (int i = 0; i < 4; ++i) r.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  failed_ = std::fwrite(r.data(), 1, r.size(), f_) != r.size();
  written_ += r.size();
}

void RecordingWriter::identity(const Identity& id) { record(RecordType::Identity, encode(id)); }

void RecordingWriter::release(const ReleaseRecord& r) {
  std::vector<std::uint8_t> p;
  put_text(p, r.version);
  put_bytes(p, r.bundle);
  record(RecordType::Release, p);
}

void RecordingWriter::image(const ImageRecord& r) {
  std::vector<std::uint8_t> p;
  put_text(p, r.region);
  put_varint(p, r.reflash ? 1 : 0);
  put_varint(p, r.file.size());
  put_bytes(p, deflate_bytes(r.file));
  record(RecordType::Image, p);
}

void RecordingWriter::input(const Input& in) { record(RecordType::Input, encode(in)); }

void RecordingWriter::peer(const PeerEvent& e) {
  std::vector<std::uint8_t> p;
  put_varint(p, e.at);
  put_varint(p, static_cast<std::uint8_t>(e.call));
  put_varint(p, e.conn);
  put_varint(p, e.connect);
  put_varint(p, e.end);
  put_bytes(p, e.bytes);
  record(RecordType::Peer, p);
}

void RecordingWriter::checkpoint(emu::Ticks at, const std::array<StreamSum, kStreamCount>& sums,
                                 const std::array<const std::vector<StreamEvent>*, kStreamCount>& events) {
  std::vector<std::uint8_t> raw;
  for (const auto* v : events) encode_events(*v, raw);
  std::vector<std::uint8_t> p;
  put_varint(p, at);
  put_varint(p, kStreamCount);
  for (const StreamSum& s : sums) {
    put_varint(p, s.count);
    put_u64(p, s.hash);
  }
  put_varint(p, raw.size());
  put_bytes(p, deflate_bytes(raw));
  record(RecordType::Checkpoint, p);
}

std::string RecordingWriter::close(const EndRecord& end) {
  std::vector<std::uint8_t> p;
  put_varint(p, end.at);
  put_u64(p, end.trace_hash);
  put_varint(p, end.trace_events);
  put_varint(p, end.inputs);
  put_varint(p, end.checkpoints);
  put_varint(p, end.peer_events);
  put_text(p, end.outcome);
  record(RecordType::End, p);
  if (!f_) return "the recording was never opened";
  bool ok = std::fclose(f_) == 0 && !failed_;
  f_ = nullptr;
  return ok ? "" : "cannot write " + path_ + " (disk full?)";
}

// ===== reader ====================================================================================

emu::Loaded<Recording> read_recording(const std::string& path) {
  using R = emu::Loaded<Recording>;
  std::ifstream in(path, std::ios::binary);
  if (!in) return R::failure(path + ": cannot read the file");
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 8 || std::memcmp(data.data(), kMagic, 4) != 0)
    return R::failure(path + ": not a hilsim recording (it does not start with \"HREC\")");
  const unsigned version = data[4] | data[5] << 8;
  if (version > kFormatVersion)
    return R::failure(path + ": recording format version " + std::to_string(version) + " is newer than this hilsim reads (" +
                      std::to_string(kFormatVersion) + "); replay it with the hilsim that wrote it or a newer one");
  if (version == 0) return R::failure(path + ": recording format version 0 does not exist (corrupted header)");

  Recording rec;
  rec.file = path;
  rec.bytes = data.size();
  std::span<const std::uint8_t> rest(data);
  rest = rest.subspan(8);
  std::uint64_t index = 0;
  bool have_identity = false, have_end = false;
  while (!rest.empty()) {
    const std::uint64_t offset = data.size() - rest.size();
    ++index;
    const std::string at = "record " + std::to_string(index) + " at byte " + std::to_string(offset);
    if (have_end) return R::failure(path + ": " + at + ": bytes after the end record (corrupted or two files joined)");
    const std::uint8_t type = rest[0];
    std::span<const std::uint8_t> p = rest.subspan(1);
    std::uint64_t len = 0;
    if (!get_varint(p, len) || len + 4 > p.size())
      return R::failure(path + ": truncated: the file ends inside " + at + " (the recording was cut short)");
    std::span<const std::uint8_t> payload = p.subspan(0, len);
    const std::uint8_t* c = p.data() + len;
    const std::uint32_t crc = c[0] | c[1] << 8 | c[2] << 16 | static_cast<std::uint32_t>(c[3]) << 24;
    if (crc != crc_of(type, payload))
      return R::failure(path + ": corrupted: " + at + " fails its CRC-32 check");
    rest = p.subspan(len + 4);
    if (type < 1 || type > 7) return R::failure(path + ": corrupted: " + at + " has unknown type " + std::to_string(type));
    const auto rt = static_cast<RecordType>(type);
    const std::string what = at + " (" + to_string(rt) + ")";
    if (!have_identity && rt != RecordType::Identity)
      return R::failure(path + ": " + what + ": the first record must be the identity");
    auto bad = [&](const std::string& why) { return R::failure(path + ": " + what + ": " + why); };
    switch (rt) {
      case RecordType::Identity:
        if (have_identity) return bad("a second identity");
        if (!decode(payload, rec.identity)) return bad("malformed");
        have_identity = true;
        break;
      case RecordType::Release: {
        ReleaseRecord r;
        if (!get_text(payload, r.version) || !get_bytes(payload, r.bundle) || !payload.empty()) return bad("malformed");
        r.position = rec.timeline.size();
        rec.releases.push_back(std::move(r));
        break;
      }
      case RecordType::Image: {
        ImageRecord r;
        std::uint64_t reflash = 0, size = 0;
        std::vector<std::uint8_t> z;
        if (!get_text(payload, r.region) || !get_varint(payload, reflash) || !get_varint(payload, size) ||
            !get_bytes(payload, z) || !payload.empty())
          return bad("malformed");
        if (!inflate_bytes(z, size, r.file)) return bad("the image does not inflate");
        r.reflash = reflash != 0;
        rec.image = std::move(r);
        break;
      }
      case RecordType::Input: {
        Input input;
        if (std::string err = decode(payload, input); !err.empty()) return bad(err);
        rec.timeline.emplace_back(std::move(input));
        break;
      }
      case RecordType::Peer: {
        PeerEvent e;
        std::uint64_t call = 0, connect = 0, end = 0;
        if (!get_varint(payload, e.at) || !get_varint(payload, call) || !get_varint(payload, e.conn) ||
            !get_varint(payload, connect) || !get_varint(payload, end) || !get_bytes(payload, e.bytes) || !payload.empty())
          return bad("malformed");
        if (call < 1 || call > 4 || connect > 4 || end > 2) return bad("a field out of range");
        e.call = static_cast<PeerEvent::Call>(call);
        e.connect = static_cast<std::uint8_t>(connect);
        e.end = static_cast<std::uint8_t>(end);
        rec.peer_events.push_back(std::move(e));
        break;
      }
      case RecordType::Checkpoint: {
        Checkpoint cp;
        std::uint64_t streams = 0;
        if (!get_varint(payload, cp.at) || !get_varint(payload, streams)) return bad("malformed");
        if (streams != kStreamCount) return bad(std::to_string(streams) + " streams, this hilsim knows " + std::to_string(kStreamCount));
        for (StreamSum& s : cp.sums)
          if (!get_varint(payload, s.count) || !get_u64(payload, s.hash)) return bad("malformed");
        if (!get_varint(payload, cp.events_size) || !get_bytes(payload, cp.events) || !payload.empty()) return bad("malformed");
        rec.timeline.emplace_back(std::move(cp));
        break;
      }
      case RecordType::End: {
        EndRecord& e = rec.end;
        if (!get_varint(payload, e.at) || !get_u64(payload, e.trace_hash) || !get_varint(payload, e.trace_events) ||
            !get_varint(payload, e.inputs) || !get_varint(payload, e.checkpoints) || !get_varint(payload, e.peer_events) ||
            !get_text(payload, e.outcome) || !payload.empty())
          return bad("malformed");
        have_end = true;
        break;
      }
    }
  }
  if (!have_identity) return R::failure(path + ": truncated: no records after the header");
  if (!have_end)
    return R::failure(path + ": truncated: no end record after record " + std::to_string(index) +
                      " (the recording was cut short, e.g. hilsim was killed while recording)");
  std::uint64_t inputs = 0, checkpoints = 0;
  for (const auto& item : rec.timeline) (item.index() == 0 ? inputs : checkpoints)++;
  if (inputs != rec.end.inputs || checkpoints != rec.end.checkpoints || rec.peer_events.size() != rec.end.peer_events)
    return R::failure(path + ": corrupted: the end record counts " + std::to_string(rec.end.inputs) + " inputs, " +
                      std::to_string(rec.end.checkpoints) + " checkpoints and " + std::to_string(rec.end.peer_events) +
                      " peer events; the file holds " + std::to_string(inputs) + ", " + std::to_string(checkpoints) + " and " +
                      std::to_string(rec.peer_events.size()));
  return rec;
}

}  // namespace hilsim::scen::rec
