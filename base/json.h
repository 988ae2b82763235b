// Parsing JSON that came from outside (a terminal, a backend, a file): never more than a bounded
// nesting depth, so nothing recursive (parsing, copying, destroying, dumping) meets a hostile
// 100,000-deep document.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <type_traits>

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

/// `j` as a whole number of type T when it is one that fits; nothing for a fraction, a string or a
/// number beyond T (converting those would be lossy or undefined: 2e92 into an int).
template <typename T>
std::optional<T> whole_number(const nlohmann::json& j) {
  static_assert(std::is_integral_v<T>);
  if (!j.is_number_integer()) return std::nullopt;
  if (j.is_number_unsigned()) {
    const auto v = j.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
    return static_cast<T>(v);
  }
  const auto v = j.get<int64_t>();
  if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      (v > 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<T>::max())))
    return std::nullopt;
  return static_cast<T>(v);
}

/// obj[key] as a whole number: `fallback` when obj has no such key or is not an object, nothing
/// when the value there is not a whole number that fits T.
template <typename T>
std::optional<T> whole_number(const nlohmann::json& obj, const char* key, T fallback) {
  if (!obj.is_object() || !obj.contains(key)) return fallback;
  return whole_number<T>(obj[key]);
}

}  // namespace smzc
