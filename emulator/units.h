// Parsing of human-written quantities shared by the CLI, board files and scenarios:
// durations ("5s", "250ms", "10us", "3ns", "1.5s", "2min") and sizes ("128KiB").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hilsim::emu {

// Nanoseconds, or nullopt if the text is not a duration with a unit.
std::optional<std::uint64_t> parse_duration_ns(std::string_view text);
// "1.234567 s" style, for reports.
std::string format_seconds(double seconds);

}  // namespace hilsim::emu
