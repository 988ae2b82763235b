// Parsing JSON that came from outside (a terminal, a backend, a file): never more than a bounded
// nesting depth, so nothing recursive (parsing, copying, destroying, dumping) meets a hostile
// 100,000-deep document.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/text.h"

namespace smzc {

/// Deeper than any document of the protocol, catalogue or configuration.
inline constexpr size_t kMaxJsonDepth = 32;

/// The parsed document, or a discarded value (is_discarded()) when the text is not JSON or nests
/// deeper than `max_depth`.
inline nlohmann::json parse_json(std::string_view text, size_t max_depth = kMaxJsonDepth) {
  if (!json_depth_within(text, max_depth))
    return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace smzc
