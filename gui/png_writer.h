// A minimal PNG encoder for the panel's screenshots: 8-bit RGB(A), no filtering, zlib
// "stored" (uncompressed) deflate blocks, CRC-32 per chunk and Adler-32 over the image data
// (PNG specification, 2nd edition, ISO/IEC 15948; RFC 1950/1951). Files are large but exact.
// Leaves out: compression, palettes, interlacing, ancillary chunks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hilsim::gui {

// `pixels` holds height rows of width * channels bytes, top row first; channels is 3 or 4.
// Returns "" or why the file could not be written.
std::string write_png(const std::string& path, int width, int height, int channels,
                      const std::vector<std::uint8_t>& pixels);

// Encodes without writing (for tests).
std::vector<std::uint8_t> encode_png(int width, int height, int channels, const std::vector<std::uint8_t>& pixels);

}  // namespace hilsim::gui
