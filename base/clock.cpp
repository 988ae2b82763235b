#include "base/clock.h"

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace smzc {

std::string Clock::local(time_point t, const char* format) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string Clock::rfc3339() const {
  const std::time_t secs = std::chrono::system_clock::to_time_t(now());
  std::tm tm{};
  localtime_r(&secs, &tm);
  const int offset_min = static_cast<int>(tm.tm_gmtoff / 60);
  const int abs_min = (offset_min < 0 ? -offset_min : offset_min) % (24 * 60);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
  return buf;
}

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

Clock::time_point FakeClock::local_time(const std::string& civil) {
  std::tm tm{};
  if (!strptime(civil.c_str(), "%Y-%m-%d %H:%M:%S", &tm))
    throw std::invalid_argument("FakeClock::local_time wants YYYY-MM-DD HH:MM:SS: " + civil);
  tm.tm_isdst = -1;
  return std::chrono::system_clock::from_time_t(std::mktime(&tm));
}

}  // namespace smzc
