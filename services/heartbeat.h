// The terminal's heartbeat: one report of its health (devices, consumables, counters, queue,
// journal head, software version, recent errors and the alerts they raise), sent to the backend
// and published to the fleet's MQTT broker on a timer of its own and at once when a device
// changes. docs/fleet.md describes the topics and the report.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/mqtt.h"
#include "services/device_manager.h"
#include "services/terminal.h"

namespace smzc::services {

/// Something a technician should come for. `code` is one of: paper_low, paper_out, paper_jam,
/// cover_open, device_offline (a reader, printer, camera or scanner that is absent or failed),
/// supply_low, supply_out (toner, ink, ribbon; a waste tank full), queue_backlog,
/// certificate_expiring (the terminal's TLS certificate); the fleet adds terminal_silent and
/// terminal_offline.
struct Alert {
  std::string code;
  std::string device;    ///< the device's id, or empty for the terminal as a whole
  std::string severity;  ///< "warning" (service soon) or "critical" (citizens are turned away)
  std::string supply;    ///< supply_low and supply_out: which one ("Black Toner")
  bool operator==(const Alert&) const = default;
};

struct AlertLimits {
  size_t queue_backlog = 10;          ///< applications waiting for the link
  int certificate_warning_days = 30;  ///< before the terminal's certificate expires
};

/// A terminal's topics under the prefix: PREFIX/REGION/TERMINAL/{state,online,alerts}.
std::string terminal_topic(const Config& config, const std::string& leaf);

/// Whole days until the PEM certificate at `path` expires (negative once expired); nothing when
/// it cannot be read.
std::optional<int> certificate_days_left(const std::filesystem::path& path);

/// A device error the heartbeat saw (the report lists the last few).
struct DeviceError {
  std::string device;
  std::string error;  ///< a Completion's spelling, e.g. "hardware-error"
  int64_t at_ms = 0;
};

/// Everything one report says; render_report() spells it. The heartbeat gathers it from the
/// terminal; the fleet simulator makes it up for hundreds of terminals, in the same format.
struct ReportFacts {
  std::string terminal_id;
  SiteProfile site;
  std::string version;
  int interval_s = 60;
  std::string reason;  ///< start | timer | change
  int64_t sent_at_ms = 0;
  std::vector<DeviceEntry> devices;
  /// Each printer's supplies, by device id.
  std::map<std::string, std::vector<printer::Supply>> supplies;
  size_t queue_waiting = 0;
  JournalCounts counts;
  int64_t jams_since_start = 0;
  std::vector<DeviceError> last_errors;
  std::pair<int64_t, std::string> journal_head;
  std::optional<int> certificate_days_left;
  AlertLimits limits;
};
/// The alerts a terminal's state raises (pure: the fleet simulator and the tests use it too).
std::vector<Alert> alerts_for(const ReportFacts& facts);
/// The report (JSON text, docs/fleet.md) and the alerts topic's payload: {"terminal", "alerts"}.
std::pair<std::string, std::string> render_report(const ReportFacts& facts);

class Heartbeat {
 public:
  struct Options {
    std::string version;  ///< the software's version, as packaged
    AlertLimits limits;
    /// Connect to the configuration's broker (when it names one).
    bool use_mqtt = true;
  };

  /// Reports on `terminal`, which must outlive the heartbeat. Nothing is sent before start().
  Heartbeat(Terminal& terminal, Options options);
  /// Stops, saying goodbye to the broker.
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  /// Beats once now, then every heartbeat_s and at once after a device changes, on a thread of
  /// its own. Connects to the broker in the background: a broker that is down delays nothing.
  void start();
  /// Publishes `online: false` ("stopped") so the fleet knows this was no failure, and stops.
  void stop();

  /// The report as JSON text; `reason` is "start", "timer" or "change".
  std::string report(const std::string& reason);
  /// One beat now, on the calling thread: to the backend and to the broker. The first error.
  Status beat(const std::string& reason);
  /// The broker link, when the configuration names a broker (tests wait on it).
  mqtt::Client* mqtt() const { return mqtt_.get(); }

 private:
  ReportFacts facts(const std::string& reason);
  void run(std::stop_token stop);
  void on_device(const DeviceEntry& entry);

  Terminal& terminal_;
  Options options_;
  std::unique_ptr<mqtt::Client> mqtt_;
  int listener_ = 0;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool changed_ = false;
  std::map<std::string, DeviceStatus> last_seen_;  // by device id, to count what changed
  int64_t jams_ = 0;
  JournalCounts counts_;  // the journal's counts as of entry counted_seq_
  int64_t counted_seq_ = -1;
  std::deque<DeviceError> errors_;  // the last few, newest last
  std::jthread thread_;
};

}  // namespace smzc::services
