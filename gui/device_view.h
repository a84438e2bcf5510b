// DeviceView: the copy of the simulation's state that the panel draws from. The emulation
// thread fills one between run slices (gui/view_builder.h) and hands it over whole; the UI
// thread only ever reads its own copy, so nothing it draws can tear or stall the machine.
// Plain data, no pointers into the machine. Bounded: long histories keep only their tail.
// Leaves out: raw memory (only the words the CPU view disassembles), device register dumps.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hilsim::gui {

using Ticks = std::uint64_t;

// Halted: a debugger (hilsim gui --gdb) holds the target, or the target waits for one to attach;
// only the debugger resumes it (the panel's Run is refused while one is attached).
enum class RunState : std::uint8_t { Starting, Running, Paused, Halted, Finished, Error };
const char* to_string(RunState s);

// ---- board ------------------------------------------------------------------------------
struct PinView {
  std::string name;
  bool output = false;
  bool level = false;
};

// ---- UART -------------------------------------------------------------------------------
struct UartLineView {
  Ticks at = 0;  // when the '\n' arrived (partial line: its last byte)
  std::string uart, text;
  bool partial = false;  // no newline yet
};

// ---- flash ------------------------------------------------------------------------------
enum class SectorState : std::uint8_t { Erased, Programmed, Writing, Erasing, Torn };
const char* to_string(SectorState s);

struct PartitionView {
  std::string name;
  std::uint32_t first_sector = 0, sectors = 0;
};

struct FlashOpView {
  std::uint64_t seq = 0;
  bool erase = false;
  std::uint32_t address = 0, size = 0;
  Ticks start = 0, end = 0;  // end = 0: in flight
  std::string result, partition;
};

struct FlashView {
  bool present = false;
  std::string controller, memory;
  std::uint32_t base = 0, sector_size = 0;
  std::vector<SectorState> states;
  std::vector<std::uint32_t> erases;
  std::uint32_t max_erases = 0;
  std::vector<PartitionView> partitions;
  std::vector<FlashOpView> recent;  // newest last
  std::optional<FlashOpView> in_flight;
  std::uint64_t ops_started = 0;
  std::string power_loss_policy;
};

// ---- update -----------------------------------------------------------------------------
struct UpdateView {
  bool present = false;  // the board has a status port
  std::string version = "none", slot = "none", state = "booting";
  std::uint32_t updates = 0, rollbacks = 0, heartbeat = 0;
  std::string active_slot, inactive_slot, active_version, inactive_version;
  std::string phase;  // idle | downloading | verifying | pending | trial | confirmed | rolled back
  std::string target_version;        // what is being downloaded / tried
  std::uint64_t download_bytes = 0;  // written into the inactive slot since the download began
  std::uint64_t download_total = 0;  // the bundle's size (0: unknown)
  std::string last_verification;     // "verified 2.0.0" / "rejected 3.0.0: ..." / ""
  Ticks last_verification_at = 0;
  std::string last_line;  // the firmware's last "update:" line
};

// ---- network ----------------------------------------------------------------------------
struct ConnectionView {
  std::uint64_t id = 0;
  std::string peer, state;  // state: connecting | open | closed ... | failed ...
  Ticks opened = 0, closed = 0;
  std::uint64_t to_device = 0, from_device = 0;  // bytes per direction
};
struct RequestView {
  Ticks at = 0;
  std::uint64_t conn = 0;
  std::string method, path, range;
  int status = 0;
  std::uint64_t bytes = 0;
};
struct NetEventView {
  Ticks at = 0;
  std::string text;
};
struct NetView {
  bool present = false;
  std::string link, link_state;
  std::vector<ConnectionView> connections;  // newest last
  std::vector<RequestView> requests;
  std::vector<NetEventView> faults_applied;  // what the link did (drops, stalls, ...)
  std::vector<std::string> faults_armed;     // knobs still pending
  std::vector<std::string> published;        // server paths
};

// ---- timeline ---------------------------------------------------------------------------
enum class MarkerKind : std::uint8_t { Uart, FlashProgram, FlashErase, Reset, Power, Fault, NetFault, Step };
const char* to_string(MarkerKind k);
struct Marker {
  Ticks at = 0;
  MarkerKind kind = MarkerKind::Uart;
  std::string text;
};

// ---- CPU --------------------------------------------------------------------------------
struct DisasmLine {
  std::uint32_t address = 0;
  std::string bytes, text, symbol;  // symbol: "func+0x12"
  bool current = false;
};
struct CpuView {
  std::array<std::uint32_t, 23> regs{};  // emu::Debugger numbering (r0..r12, sp, lr, pc, xpsr, msp, psp, ...)
  std::uint32_t pc = 0;
  std::string function;  // func+off of the PC
  std::vector<DisasmLine> code;
  int ipsr = 0;
  std::string exception;  // "Thread mode" / "Handler: SysTick (15)"
  bool sleeping = false;
  int active = 0, pending = -1;  // active exceptions; highest pending (-1 none)
  std::uint64_t instructions = 0, idle = 0;
};

// ---- scenario ---------------------------------------------------------------------------
struct StepView {
  int index = 0;
  std::string type, label, summary;
  std::string status = "not-run";  // not-run | running | passed | failed
  double start = 0, end = 0;
  std::string note;
};
struct ScenarioView {
  std::string name, file, description;
  std::vector<StepView> steps;
  int current = 0;           // 1-based index of the running step (0: none)
  std::string result;        // "" while running, passed | failed | error
  std::string failure;       // the failure block
  std::vector<std::string> releases;  // versions the scenario can publish
  std::vector<std::string> log;       // the last timeline lines
  std::uint64_t trace_hash = 0;       // the machine's trace hash when the steps ended (0: not yet)
};

// ---- debugger (hilsim gui --gdb) ---------------------------------------------------------
struct DebuggerView {
  bool enabled = false;     // a GDB server serves this run
  std::string address;      // "127.0.0.1:3333"
  bool attached = false;    // a debugger is connected
  bool holds = false;       // it holds the target (halted for it), or the target waits for one
  std::string status;       // one line: "waiting for a debugger", "attached, running", "halted: ..."
  std::string halt_reason;  // why the target is halted for the debugger
  std::uint64_t halts = 0;  // halts for the debugger so far (each breakpoint, step, Ctrl-C, ...)
  std::string notice;       // what the panel refused while the debugger held the target, and why
};

// ---- the whole --------------------------------------------------------------------------
struct DeviceView {
  std::uint64_t generation = 0;  // bumps with every published copy
  RunState state = RunState::Starting;
  std::string pause_reason, error;
  Ticks now = 0;
  std::uint64_t clock_hz = 1;
  bool powered = false;
  std::string board;
  std::uint64_t slices = 0;  // run slices so far
  bool free_running = false;  // the scenario's steps are done; the device keeps running
  std::vector<std::string> armed;  // one-shot actions armed from the panel ("cut at next flash op")
  std::string recording;  // "recording to x.hrec (...)", "recorded x.hrec: ...", or ""

  std::vector<PinView> pins;
  std::vector<UartLineView> uart;  // the tail, every UART, in time order
  FlashView flash;
  UpdateView update;
  NetView net;
  std::vector<Marker> markers;
  CpuView cpu;
  ScenarioView scenario;
  DebuggerView debugger;

  double seconds(Ticks t) const { return static_cast<double>(t) / static_cast<double>(clock_hz); }
};

// The view as JSON (`hilsim gui --state-json`): what the panels were given to draw.
nlohmann::json to_json(const DeviceView& v);

}  // namespace hilsim::gui
