// Text encodings met on the devices: UCS-2LE fields on ID cards, UTF-8 everywhere else.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smzc {

/// Decodes UTF-16LE (the card's "UCS-2LE"; surrogate pairs accepted) into UTF-8. Unpaired
/// surrogates become U+FFFD.
std::string utf16le_to_utf8(std::span<const uint8_t> bytes);
/// Encodes UTF-8 as UTF-16LE. Invalid UTF-8 sequences become U+FFFD.
std::vector<uint8_t> utf8_to_utf16le(std::string_view text);
/// Splits UTF-8 text into its characters (each one a whole code point).
std::vector<std::string> utf8_characters(std::string_view text);
/// Removes ASCII spaces (the card's padding) and NULs at both ends.
std::string trim_padding(std::string_view text);
/// Whether JSON text nests arrays and objects at most `max_depth` deep. Looked at before parsing
/// anything from outside, so nothing recursive ever meets a 100,000-deep document.
bool json_depth_within(std::string_view text, size_t max_depth);
/// Text from outside made safe to print on a terminal: control characters (C0, DEL, and the C1
/// range as UTF-8 carries it, which includes the escapes that move the cursor or change colour)
/// become \xNN or \u{NN}, so nothing an outsider wrote can rewrite what is on the screen.
std::string printable(std::string_view text);
/// `value` with `decimals` digits after the point ("0.437").
std::string format_fixed(double value, int decimals);

}  // namespace smzc
