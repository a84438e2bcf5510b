// The session recording file (.hrec): its records, a streaming writer and a checking reader.
// The byte layout is specified in docs/recording-format.md; this file is its only encoder and
// decoder. Nothing in it depends on how hilsim was built: every field is written explicitly
// (varints, little-endian words, length-prefixed bytes), never as a memory image.
//
//   file    = "HREC" version:u16 flags:u16 record*
//   record  = type:u8 length:varint payload crc32(type, payload):u32
//
// Reading checks the magic, the version (a newer one is refused by name), every record's length
// and CRC, the order (identity first, end last) and that nothing follows the end record, so a
// truncated, corrupted or future recording fails with a message naming the byte offset.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "emulator/source_error.h"
#include "scenarios/input.h"
#include "scenarios/recording/streams.h"

namespace hilsim::scen::rec {

inline constexpr std::uint16_t kFormatVersion = 1;

// The numbers are part of the format.
enum class RecordType : std::uint8_t { Identity = 1, Release = 2, Image = 3, Input = 4, Peer = 5, Checkpoint = 6, End = 7 };
const char* to_string(RecordType type);

using Sha256 = std::array<std::uint8_t, 32>;
std::string hex(const Sha256& digest);
Sha256 sha256_of(std::span<const std::uint8_t> bytes);

// What the session ran: enough to rebuild the same machine and to notice a different build.
struct Identity {
  std::string writer;  // "hilsim 0.1.0" (informative)
  std::string scenario_name, scenario_file;
  std::string board_name, board_file;  // board_file: as resolved when recording
  Sha256 board_sha{};                  // of board_file's bytes
  std::string firmware_file;           // absolute path when recording
  std::string firmware_in_build;       // relative to the build directory ("" if outside it)
  Sha256 firmware_sha{};               // of the ELF file's bytes
  std::uint64_t seed = 0;
  std::uint64_t clock_hz = 0;
  std::uint64_t checkpoint_every = 0;  // ticks
  bool semihosting = false;
  bool resume_after_bkpt = false;
  std::string network_bridge;  // the live peer's route ("" = the in-process update server)
};

// A release the session's update server could serve; publish inputs name it by version.
struct ReleaseRecord {
  std::string version;
  std::vector<std::uint8_t> bundle;
  std::size_t position = 0;  // when reading: how many timeline items came before it (not stored)
};

// The flash-image file loaded at the start (scenario `flash-image:`), as it was then.
struct ImageRecord {
  std::string region;
  bool reflash = false;
  std::vector<std::uint8_t> file;  // the memory image file's bytes (emulator/memory_image.h)
};

// An answer of a live network peer (a bridged real server) to the net-link device.
struct PeerEvent {
  enum class Call : std::uint8_t { Connect = 1, PollConnect = 2, Request = 3, Poll = 4 };
  emu::Ticks at = 0;
  Call call = Call::Connect;
  std::uint64_t conn = 0;
  std::uint8_t connect = 0;  // periph::NetConnect for Connect/PollConnect
  std::uint8_t end = 0;      // periph::NetReply::End for Request/Poll
  std::vector<std::uint8_t> bytes;
};

struct Checkpoint {
  emu::Ticks at = 0;
  std::array<StreamSum, kStreamCount> sums{};
  std::vector<std::uint8_t> events;  // the interval's events, deflated (decode with interval_events)
  std::uint64_t events_size = 0;     // inflated size
};

struct EndRecord {
  emu::Ticks at = 0;
  std::uint64_t trace_hash = 0, trace_events = 0;
  std::uint64_t inputs = 0, checkpoints = 0, peer_events = 0;
  std::string outcome;  // "passed", or the failure's one-line summary
};

// A whole recording, read and checked.
struct Recording {
  std::string file;
  Identity identity;
  std::vector<ReleaseRecord> releases;
  std::optional<ImageRecord> image;
  std::vector<std::variant<Input, Checkpoint>> timeline;  // in the order they happened
  std::vector<PeerEvent> peer_events;
  EndRecord end;
  std::uint64_t bytes = 0;
};

emu::Loaded<Recording> read_recording(const std::string& path);
// The events of every stream in a checkpoint's interval; "" or why they cannot be decoded.
std::string interval_events(const Checkpoint& cp, std::array<std::vector<StreamEvent>, kStreamCount>& out);

// Writes records as they come (a long panel session is on disk up to its last checkpoint).
class RecordingWriter {
 public:
  ~RecordingWriter();
  std::string open(const std::string& path);  // "" or why not
  void identity(const Identity& id);
  void release(const ReleaseRecord& r);
  void image(const ImageRecord& r);
  void input(const Input& in);
  void peer(const PeerEvent& e);
  // Deflates the interval's events (streams' encodings one after the other).
  void checkpoint(emu::Ticks at, const std::array<StreamSum, kStreamCount>& sums,
                  const std::array<const std::vector<StreamEvent>*, kStreamCount>& events);
  std::string close(const EndRecord& end);  // writes the end record; "" or the write error
  std::uint64_t bytes_written() const { return written_; }

 private:
  void record(RecordType type, const std::vector<std::uint8_t>& payload);
  std::FILE* f_ = nullptr;
  std::string path_;
  std::uint64_t written_ = 0;
  bool failed_ = false;
};

}  // namespace hilsim::scen::rec
