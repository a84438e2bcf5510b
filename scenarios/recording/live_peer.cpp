// Recording and replaying a live network peer (live_peer.h).
#include "scenarios/recording/live_peer.h"

namespace hilsim::scen::rec {

// ===== recording ============================================================================

periph::NetConnect PeerRecorder::connect(const periph::NetContext& ctx) {
  periph::NetConnect r = real_->connect(ctx);
  sink_({ctx.now, PeerEvent::Call::Connect, ctx.conn, static_cast<std::uint8_t>(r), 0, {}});
  return r;
}

periph::NetConnect PeerRecorder::poll_connect(const periph::NetContext& ctx) {
  periph::NetConnect r = real_->poll_connect(ctx);
  if (r != periph::NetConnect::Pending)
    sink_({ctx.now, PeerEvent::Call::PollConnect, ctx.conn, static_cast<std::uint8_t>(r), 0, {}});
  return r;
}

periph::NetReply PeerRecorder::report(PeerEvent::Call call, const periph::NetContext& ctx, periph::NetReply reply) {
  if (reply.answered()) sink_({ctx.now, call, ctx.conn, 0, static_cast<std::uint8_t>(reply.end), reply.bytes});
  return reply;
}

periph::NetReply PeerRecorder::on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                                std::size_t fresh) {
  return report(PeerEvent::Call::Request, ctx, real_->on_request_bytes(ctx, request, fresh));
}

periph::NetReply PeerRecorder::poll(const periph::NetContext& ctx, std::size_t max_bytes) {
  return report(PeerEvent::Call::Poll, ctx, real_->poll(ctx, max_bytes));
}

// ===== replay ===============================================================================

const PeerEvent* PeerReplayer::take(PeerEvent::Call call, const periph::NetContext& ctx) {
  while (next_ < events_.size() && events_[next_].at < ctx.now) {
    ++next_;
    ++missed_;
  }
  if (next_ < events_.size()) {
    const PeerEvent& e = events_[next_];
    if (e.at == ctx.now && e.call == call && e.conn == ctx.conn) {
      ++next_;
      return &e;
    }
  }
  return nullptr;
}

periph::NetConnect PeerReplayer::connect(const periph::NetContext& ctx) {
  const PeerEvent* e = take(PeerEvent::Call::Connect, ctx);
  // Not recorded here: the session never connected at this time. Nobody answers.
  return e ? static_cast<periph::NetConnect>(e->connect) : periph::NetConnect::NoAnswer;
}

periph::NetConnect PeerReplayer::poll_connect(const periph::NetContext& ctx) {
  const PeerEvent* e = take(PeerEvent::Call::PollConnect, ctx);
  return e ? static_cast<periph::NetConnect>(e->connect) : periph::NetConnect::Pending;
}

periph::NetReply PeerReplayer::on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t>,
                                                std::size_t) {
  const PeerEvent* e = take(PeerEvent::Call::Request, ctx);
  if (!e) return {};
  return {e->bytes, static_cast<periph::NetReply::End>(e->end)};
}

periph::NetReply PeerReplayer::poll(const periph::NetContext& ctx, std::size_t) {
  const PeerEvent* e = take(PeerEvent::Call::Poll, ctx);
  if (!e) return {};
  return {e->bytes, static_cast<periph::NetReply::End>(e->end)};
}

}  // namespace hilsim::scen::rec
