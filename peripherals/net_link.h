// net-link: a socket-offload network interface, per docs/peripherals.md ("net-link"): one TCP
// connection at a time, driven through registers the way firmware drives a Wi-Fi modem's AT
// socket. The far end is a NetBackend set from the host (network/update_server.h, or the
// non-deterministic network/tcp_bridge.h). Modelled in virtual time: one-way latency, a receive
// rate with flow control (the RX FIFO never overflows; bytes wait in an inbound queue), connect
// timeout, FIN and RST, and host-set link faults (drop, truncate, corrupt, stall, refuse, slow).
// Leaves out: IP/TCP headers, loss and retransmission, a send-side rate, several sockets,
// listening sockets, DNS.
//
// Index: [backend interface] [link faults] [notes to observers] [the device]
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "peripherals/register_bank.h"
#include "peripherals/registry.h"

namespace hilsim::periph {

// ===== [backend interface] =====================================================================
//
// The device owns every byte of connection state (FIFOs, the request received so far, the
// response still in flight), so a backend can be stateless with respect to the connection and a
// machine snapshot captures the connection whole. A backend that keeps its own per-connection
// state (a real socket) says so with live() and cannot be snapshotted.

// Who the device is talking to; passed with every backend call.
struct NetContext {
  Ticks now = 0;           // virtual time of the call
  std::uint32_t addr = 0;  // destination IPv4 address, host order (10.0.0.1 = 0x0A000001)
  std::uint16_t port = 0;
  std::uint64_t conn = 0;  // the device's connection serial (1, 2, ...; kept across resets)
};

enum class NetConnect : std::uint8_t {
  Accept,
  Refuse,       // RST to the SYN: ERROR REFUSED
  Unreachable,  // nobody there: ERROR UNREACHABLE
  NoAnswer,     // SYN dropped: ERROR TIMEOUT after connect-timeout-ms
  Pending,      // live backends only: still connecting; the device asks poll_connect()
};

// Bytes the peer sends back, then how the peer's side ends (in stream order, after the bytes).
struct NetReply {
  enum class End : std::uint8_t { Open, Close, Reset };
  std::vector<std::uint8_t> bytes;
  End end = End::Open;
  bool answered() const { return !bytes.empty() || end != End::Open; }
};

class NetBackend {
 public:
  virtual ~NetBackend() = default;
  // A SYN arrived for ctx.addr:ctx.port.
  virtual NetConnect connect(const NetContext& ctx) = 0;
  // Request bytes arrived. `request` holds every byte received on this connection since it
  // opened or since the last answered request; its last `fresh` bytes are the new ones. Return an
  // empty reply to wait for more. Live backends get only the fresh bytes (request.size() == fresh).
  virtual NetReply on_request_bytes(const NetContext& ctx, std::span<const std::uint8_t> request,
                                    std::size_t fresh) = 0;
  // The device closed (abort = RST, else FIN after its TX drained) or dropped the connection.
  virtual void on_close(const NetContext& ctx, bool abort) {}
  // Live backends: the device calls these from a periodic event (every 1 ms of virtual time)
  // while a connection is pending or open, and gives the request buffer no memory.
  virtual bool live() const { return false; }
  virtual NetConnect poll_connect(const NetContext& ctx) { return NetConnect::Refuse; }
  virtual NetReply poll(const NetContext& ctx, std::size_t max_bytes) { return {}; }
};

// ===== [link faults] ===========================================================================
//
// Fault knobs set from the host (scenario steps net-drop, net-truncate, net-corrupt, net-stall,
// net-refuse, net-slow). Offsets count response bytes, from 0, on one connection. Data faults
// are armed when a connection's first response byte is queued, from the faults whose path prefix
// matches the path in the connection's first request line; arming uses up one connection of the
// fault's scope. Refuse faults are used up at CONNECT and cannot have a path (it is not known yet).
// The pending list is device state, so it is part of snapshots and survives resets.
struct NetFault {
  enum class Kind : std::uint8_t { Drop = 1, Truncate, Corrupt, Stall, Refuse, Slow };
  enum class Scope : std::uint8_t { Next = 1, Count, All };
  Kind kind = Kind::Drop;
  std::uint64_t offset = 0;    // Drop/Truncate: after `offset` bytes; Corrupt/Stall: at `offset`
  std::uint32_t length = 1;    // Corrupt: bytes from `offset`
  std::uint8_t mask = 0xFF;    // Corrupt: XOR mask
  std::uint64_t stall_ns = 0;  // Stall: virtual nanoseconds
  std::uint64_t rate_bps = 0;  // Slow: receive rate in bytes per second
  Scope scope = Scope::Next;
  std::uint32_t count = 1;     // Scope::Count: connections left
  std::string path_prefix;     // only connections whose request path starts with this ("" = any)

  // Builders: NetFault::drop(1200).next(3).on_path("/bundles/")
  static NetFault drop(std::uint64_t after);
  static NetFault truncate(std::uint64_t after);
  static NetFault corrupt(std::uint64_t at, std::uint8_t xor_mask = 0xFF, std::uint32_t bytes = 1);
  static NetFault stall(std::uint64_t at, std::uint64_t ns);
  static NetFault refuse();
  static NetFault slow(std::uint64_t bytes_per_second);
  NetFault& next(std::uint32_t connections = 1);  // Scope::Next for 1, Scope::Count otherwise
  NetFault& always();                              // until clear_faults()
  NetFault& on_path(std::string prefix);
};
std::string to_string(const NetFault& fault);  // "drop after 1200 bytes (next 3 connections, path /bundles/)"

// ===== [notes to observers] ====================================================================

// Something that happened on the link, for timelines: "net0: dropped connection after 1200 bytes".
struct NetNote {
  enum class Kind : std::uint8_t { Connect, Connected, Failed, Request, Response, PeerClosed, Closed, Fault };
  Ticks when = 0;
  std::uint64_t conn = 0;
  Kind kind = Kind::Connect;
  std::string what;
};

// ===== [the device] ============================================================================

class NetLink final : public Device {
 public:
  static constexpr std::size_t kTxDepth = 512, kRxDepth = 2048;
  static constexpr std::uint32_t kChunk = 256;  // most bytes one RX event delivers
  // CMD
  static constexpr std::uint32_t kCmdConnect = 1, kCmdClose = 2, kCmdAbort = 3;
  // STATE
  enum LinkState : std::uint32_t { Idle = 0, Connecting = 1, Connected = 2, PeerClosed = 3, Error = 4 };
  // ERROR
  enum ErrCode : std::uint32_t { ErrNone = 0, ErrRefused = 1, ErrReset = 2, ErrTimeout = 3, ErrUnreachable = 4,
                                 ErrBadCommand = 5 };
  // EVENTS / IRQEN
  static constexpr std::uint32_t kEvConnected = 1u << 0, kEvRx = 1u << 1, kEvClosed = 1u << 2,
                                 kEvError = 1u << 3, kEvTxEmpty = 1u << 4, kEvAll = 0x1F;

  using NoteSink = std::function<void(const NetNote& note)>;

  NetLink(const DeviceConfig& config, DeviceHost& host);

  std::string_view type() const override { return "net-link"; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, unsigned size, std::uint32_t value) override { bank_.write(offset, size, value); }
  void reset(ResetReason reason) override;
  void describe(StateVisitor& v) override;
  void post_load() override;
  const RegisterBank& registers() const { return bank_; }

  // Host side. The backend is not device state: attach the same one after restoring a snapshot.
  // Without a backend every CONNECT fails with UNREACHABLE.
  void set_backend(std::shared_ptr<NetBackend> backend) { backend_ = std::move(backend); }
  NetBackend* backend() const { return backend_.get(); }
  void add_fault(NetFault fault);  // throws std::invalid_argument for a fault that cannot apply
  void clear_faults() { faults_.clear(); }
  const std::vector<NetFault>& faults() const { return faults_; }
  void add_observer(NoteSink sink) { sinks_.push_back(std::move(sink)); }

  LinkState link_state() const { return static_cast<LinkState>(s_.state); }
  std::uint64_t connection() const { return s_.conn; }
  std::size_t rx_count() const { return s_.rx.size() - s_.rx_head; }
  std::size_t inbound_pending() const;  // response bytes not yet in the RX FIFO
  Ticks latency() const { return latency_; }

 private:
  struct TxSeg {  // TX bytes that travel together; they reach the peer at `due`
    std::uint64_t first = 0, due = 0;
    std::uint32_t len = 0;
  };
  struct InSeg {  // peer bytes up to stream offset `end`, at the device from `ready` on
    std::uint64_t ready = 0, end = 0;
    std::uint8_t end_flag = 0;  // 0, or the stream ends here: 1 FIN, 2 RST
  };
  struct Corrupt {
    std::uint64_t at = 0;
    std::uint32_t len = 0;
    std::uint8_t mask = 0, reported = 0;
  };
  struct State {
    std::uint32_t addr = 0, port = 0, state = Idle, error = ErrNone, events = 0, irqen = 0;
    std::uint64_t conn = 0;       // serial of the current (or last) connection
    std::uint32_t peer_addr = 0, peer_port = 0;  // ADDR:PORT latched by CONNECT
    std::uint64_t opened_at = 0;  // time of the CONNECT command
    bool refused_by_fault = false, waiting = false, backend_open = false;
    bool closing = false;    // CLOSE issued; goes IDLE when the TX FIFO has drained
    bool peer_done = false;  // the peer's side ended (FIN/RST queued or cut by a fault)
    std::vector<std::uint8_t> tx;       // TX FIFO: bytes not yet at the peer
    std::vector<std::uint8_t> request;  // what the peer has received for the current request
    std::vector<std::uint8_t> head;     // the first 1 KiB sent on this connection (request path)
    std::vector<std::uint8_t> rx;       // RX FIFO from rx_head on
    std::uint32_t rx_head = 0;
    std::vector<std::uint8_t> inbound;  // response stream from offset inbound_base, not yet in RX
    std::uint64_t inbound_base = 0;
    std::uint64_t rx_total = 0, tx_total = 0;  // this connection: bytes into RX / accepted into TX
    std::uint32_t rx_chunk = 0;                // bytes the scheduled RX event delivers
    // Faults armed on this connection.
    bool armed = false, stall_done = false;
    std::uint64_t drop_at = ~0ull, truncate_at = ~0ull, stall_at = ~0ull, stall_ticks = 0, slow_bps = 0;
    // Encoded lists (kept as structs below, packed only for describe()).
    std::vector<std::uint8_t> tx_segs_blob, in_segs_blob, corrupts_blob, faults_blob;
  };

  NetContext context() const;
  void command(std::uint32_t cmd);
  void bad_command(const std::string& why);
  void connect_done();
  void connected();
  void fail(ErrCode code, const std::string& why);
  void finish_close(bool abort);
  void drop_connection();
  void peer_closed();
  void push_tx(std::uint8_t byte);
  void tx_arrive();
  void enqueue(NetReply reply);
  void arm_faults();
  bool take_refuse_fault();
  void schedule_rx();
  void rx_arrive();
  bool apply_cut();
  std::uint8_t pop_rx();
  void after_pop();
  void poll();
  void note(NetNote::Kind kind, std::string what);
  void update_irq();
  void pack();
  void unpack();

  int irq_;
  Ticks latency_, window_, timeout_, poll_period_;
  std::uint64_t rate_;
  EventId connect_event_, tx_event_, rx_event_, poll_event_;
  std::shared_ptr<NetBackend> backend_;
  std::vector<NoteSink> sinks_;
  std::vector<TxSeg> tx_segs_;
  std::vector<InSeg> in_segs_;
  std::vector<Corrupt> corrupts_;
  std::vector<NetFault> faults_;
  State s_;
  RegisterBank bank_;
};

}  // namespace hilsim::periph
