// The fleet service: subscribes to every terminal's topics on the broker, keeps the fleet's
// state, and serves the fleet page with its live updates over HTTP (docs/fleet.md):
//   GET /                 the page
//   GET /api/terminals    every terminal, with counts (JSON)
//   GET /api/events       Server-Sent Events: one `row` event per terminal change
//   GET /api/stats        messages applied and refused, terminals known
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/mqtt.h"
#include "fleet/fleet_state.h"

namespace httplib {
class Server;
}

namespace smzc::fleet {

class FleetService {
 public:
  struct Options {
    mqtt::Options broker;
    std::string topic_prefix = "smzc/v1";
    std::string client_id = "smzc-fleet";
    /// How often silence is looked for.
    std::chrono::milliseconds silence_check{1000};
  };
  struct Counters {
    uint64_t messages = 0;  ///< applied
    uint64_t refused = 0;   ///< malformed, oversized or out of place
  };

  /// Subscribes (the broker may come later: the link retries) and starts looking for silence.
  static Result<std::unique_ptr<FleetService>> start(Options options);
  ~FleetService();
  FleetService(const FleetService&) = delete;
  FleetService& operator=(const FleetService&) = delete;

  /// Binds the page's server to `host`:`port` (0: any free port); returns the port.
  Result<int> bind(const std::string& host, int port);
  /// Serves until stop() (call after bind()).
  void serve();
  /// Ends serve() and every open event stream.
  void stop();

  const FleetState& state() const { return state_; }
  Counters counters() const;
  mqtt::Client& broker() { return *mqtt_; }

 private:
  explicit FleetService(Options options);
  void on_message(const mqtt::Message& message);
  void publish_row(const std::string& terminal);
  void watch_silence(std::stop_token stop);
  void routes();

  Options options_;
  FleetState state_;
  std::unique_ptr<mqtt::Client> mqtt_;
  std::unique_ptr<httplib::Server> http_;
  std::atomic<uint64_t> messages_{0}, refused_{0};

  // The event log the streams read: the last kEventsKept row changes, numbered.
  static constexpr size_t kEventsKept = 20000;
  mutable std::mutex events_mutex_;
  std::condition_variable events_changed_;
  std::deque<std::string> events_;
  uint64_t next_event_ = 0;  // the number the next event gets
  bool stopping_ = false;
  std::jthread silence_;
};

/// The fleet page (HTML, its script and style inline).
extern const char* const kFleetPage;

}  // namespace smzc::fleet
