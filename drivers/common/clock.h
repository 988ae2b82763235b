// Wall-clock time as the stores record it.
#pragma once

#include <chrono>
#include <cstdint>

namespace smzc {

/// Milliseconds since the Unix epoch.
inline int64_t unix_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace smzc
