// What the fleet service knows of every terminal, built from the messages terminals publish
// (docs/fleet.md): the last report, whether the terminal is online, when it was last heard and
// the alerts it raised, plus `terminal_silent` for one that stopped reporting without a word.
// Every message is outside input: topics and payloads are checked and bounded before use.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace smzc::fleet {

/// Limits on what a terminal may publish.
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;
inline constexpr size_t kMaxReportDepth = 8;
inline constexpr size_t kMaxTerminals = 100000;

/// One terminal as the page shows it.
struct TerminalView {
  std::string terminal;
  std::string region;
  nlohmann::json report = nlohmann::json::object();  ///< the last state report
  bool online = false;
  std::string offline_reason;  ///< "lost" (the broker's last will) or "stopped"
  int64_t last_seen_ms = 0;    ///< when the fleet service last heard from it
  int interval_s = 60;         ///< the heartbeat interval the terminal announced
  bool silent = false;         ///< online, but quiet for more than 2.5 intervals
};

class FleetState {
 public:
  explicit FleetState(std::string topic_prefix) : prefix_(std::move(topic_prefix)) {}

  /// Applies one message heard at `now_ms`. Returns the terminal whose row changed (empty when
  /// the message changed nothing the page shows but when it was heard: the alerts topic
  /// repeats the state report's), or an error that says why the message was refused (nothing
  /// changes then).
  Result<std::string> apply(const std::string& topic, const std::string& payload, int64_t now_ms);
  /// Marks terminals silent (or no longer silent) as of `now_ms`; returns those that changed.
  std::vector<std::string> check_silence(int64_t now_ms);

  /// One terminal as JSON for the page (site, state, devices, consumables, last seen, alerts).
  std::optional<nlohmann::json> row(const std::string& terminal) const;
  /// Every terminal, ordered by id.
  nlohmann::json rows() const;
  size_t size() const;

 private:
  static nlohmann::json row_of(const TerminalView& view);
  std::string prefix_;
  mutable std::mutex mutex_;
  std::map<std::string, TerminalView> terminals_;
};

}  // namespace smzc::fleet
