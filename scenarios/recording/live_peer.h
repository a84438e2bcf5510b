// A live network peer (a real server behind network/tcp_bridge.h) in a recorded session: while
// recording, PeerRecorder passes every call to the real backend and reports each answer that
// carried something (a connect result, bytes, a close); in replay, PeerReplayer gives the device
// the same answers at the same virtual times, with no socket at all. The device polls a live
// backend on a fixed virtual-time period (periph::NetBackend::live), so the calls of a replay fall
// on the same ticks as the recording's as long as the device behaves the same.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "peripherals/net_link.h"
#include "scenarios/recording/format.h"

namespace hilsim::scen::rec {

class PeerRecorder final : public periph::NetBackend {
 public:
  PeerRecorder(std::shared_ptr<periph::NetBackend> real, std::function<void(const PeerEvent&)> sink)
      : real_(std::move(real)), sink_(std::move(sink)) {}
  periph::NetConnect connect(const periph::NetContext& ctx) override;
  periph::NetReply on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                    std::size_t fresh) override;
  void on_close(const periph::NetContext& ctx, bool abort) override { real_->on_close(ctx, abort); }
  bool live() const override { return true; }
  periph::NetConnect poll_connect(const periph::NetContext& ctx) override;
  periph::NetReply poll(const periph::NetContext& ctx, std::size_t max_bytes) override;

 private:
  periph::NetReply report(PeerEvent::Call call, const periph::NetContext& ctx, periph::NetReply reply);
  std::shared_ptr<periph::NetBackend> real_;
  std::function<void(const PeerEvent&)> sink_;
};

class PeerReplayer final : public periph::NetBackend {
 public:
  explicit PeerReplayer(std::vector<PeerEvent> events) : events_(std::move(events)) {}
  periph::NetConnect connect(const periph::NetContext& ctx) override;
  periph::NetReply on_request_bytes(const periph::NetContext& ctx, std::span<const std::uint8_t> request,
                                    std::size_t fresh) override;
  bool live() const override { return true; }
  periph::NetConnect poll_connect(const periph::NetContext& ctx) override;
  periph::NetReply poll(const periph::NetContext& ctx, std::size_t max_bytes) override;
  // Answers the device did not ask for at their time (it diverged from the recording).
  std::size_t missed() const { return missed_; }
  std::size_t used() const { return next_; }

 private:
  // The recorded answer for this call at this tick, if any (older ones are skipped as missed).
  const PeerEvent* take(PeerEvent::Call call, const periph::NetContext& ctx);
  std::vector<PeerEvent> events_;
  std::size_t next_ = 0, missed_ = 0;
};

}  // namespace hilsim::scen::rec
