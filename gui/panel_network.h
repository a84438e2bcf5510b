// Network: the net-link's state, its connections (peer, state, bytes to and from the device),
// the update server's requests (method, path, Range, status, body bytes) and the link faults,
// both armed (waiting for a connection) and applied (what the link did). Buttons arm a fault.
// Leaves out: packet-level detail (the link model has no packets), the TCP bridge's peer.
#pragma once

#include "gui/widgets.h"

namespace hilsim::gui {

struct NetworkPanel {
  bool open = true;
  void draw(const DeviceView& v, const Post& post);
};

// The fault buttons, shared with the scenario panel.
void net_fault_buttons(const Post& post);

}  // namespace hilsim::gui
