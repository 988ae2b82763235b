// Time as the terminal reads it: an injected clock, asked on every use, so a terminal that runs
// past midnight checks expiry and numbers documents against the new day, and tests can cross
// midnight with a fake one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace smzc {

/// Wall-clock time. Implementations are safe to call from any thread.
class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;

  /// The local date, YYYYMMDD.
  std::string today() const { return local(now(), "%Y%m%d"); }
  /// The local time of day, HH:MM.
  std::string time_of_day() const { return local(now(), "%H:%M"); }
  /// Local date and time in RFC 3339 with the zone offset, e.g. 2026-11-23T11:17:58+08:00.
  std::string rfc3339() const;
  /// Milliseconds since the Unix epoch.
  int64_t unix_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  }

  /// `t` formatted in local time with strftime's `format`.
  static std::string local(time_point t, const char* format);
};

/// The machine's clock.
class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

/// The process-wide system clock, for callers that were given none.
const Clock& system_clock();

/// A clock that stands still until moved: tests set it to any moment and step it across midnight.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = {}) : now_(start) {}
  /// A local civil time, "YYYY-MM-DD HH:MM:SS".
  static time_point local_time(const std::string& civil);
  time_point now() const override { return now_.load(); }
  void set(time_point t) { now_.store(t); }
  void advance(std::chrono::system_clock::duration d) { now_.store(now_.load() + d); }

 private:
  std::atomic<time_point> now_;
};

/// Milliseconds since the Unix epoch on the system clock (journal and queue timestamps).
inline int64_t unix_time_ms() {
  return system_clock().unix_ms();
}

}  // namespace smzc
