// Shared monitors (monitors.h).
#include "scenarios/monitors.h"

#include "scenarios/text_util.h"

namespace hilsim::scen {

NeverSerialMonitor::NeverSerialMonitor(std::string what, Pattern pattern, std::string uart, RunContext& ctx,
                                       emu::Ticks until)
    : what_(std::move(what)),
      uart_(uart),
      matcher_(std::move(pattern), ctx.uart(uart), ctx.uart(uart).size()),
      since_(ctx.now()),
      until_(until) {}

void NeverSerialMonitor::on_uart(RunContext& ctx, const std::string& uart) {
  if (done_ || uart != uart_ || !matcher_.poll()) return;
  done_ = true;
  const Match& m = *matcher_.match();
  std::string span = until_ == emu::kNever ? "until the end of the run" : "until " + ctx.stamp(until_);
  ctx.violate(*this, matcher_.pattern().describe() + " never on " + uart_ + " from " + ctx.stamp(since_) + " " + span,
              "it appeared at " + ctx.stamp(m.at) + " in " + quoted(m.line), m.at);
}

void NeverSerialMonitor::on_deadline(RunContext& ctx) {
  done_ = true;
  ctx.note("watch", what_ + ": ended, " + matcher_.pattern().describe() + " did not appear");
}

}  // namespace hilsim::scen
