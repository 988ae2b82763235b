// A small MQTT client over libmosquitto, for fleet health: a terminal's heartbeat publishes its
// state with a last will; the fleet service subscribes to every terminal's. The link lives on a
// thread of libmosquitto's and comes back by itself after a drop; nothing here blocks for longer
// than a deadline the caller gives.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

struct mosquitto;
struct mosquitto_message;

namespace smzc::mqtt {

/// Where the broker is. TLS when `ca` is set (with `cert` and `key`: mutual TLS).
struct Options {
  std::string host = "127.0.0.1";
  int port = 1883;
  /// The broker publishes the will once it has heard nothing for 1.5 × this.
  std::chrono::seconds keepalive{30};
  std::filesystem::path ca;
  std::filesystem::path cert;
  std::filesystem::path key;
};

/// What the broker publishes for a client that vanished without saying goodbye.
struct Will {
  std::string topic;
  std::string payload;
};

struct Message {
  std::string topic;
  std::string payload;
  bool retained = false;
};

/// One connection to a broker. Thread-safe: publish and subscribe from any thread. Messages
/// arrive on libmosquitto's thread, one at a time; the handler must not block for long and must
/// not destroy the client.
class Client {
 public:
  using OnMessage = std::function<void(const Message&)>;

  /// Starts connecting in the background and returns at once: a broker that is down is retried
  /// (every 1 s, backing off to 30 s) without anybody waiting. `client_id` must be unique on the
  /// broker. The will, retained, is set before the first connection.
  static Result<std::unique_ptr<Client>> start(const std::string& client_id, const Options& options,
                                               std::optional<Will> will, OnMessage on_message = {});
  /// Says goodbye (so the will is not published) and stops the thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Waits until the broker has accepted the connection, or until `timeout`.
  Status wait_connected(std::chrono::milliseconds timeout);
  bool connected() const;

  /// Publishes once (QoS 1). Not connected: an error, and nothing is kept for later.
  Status publish(const std::string& topic, const std::string& payload, bool retain);
  /// Publishes retained now if connected, and again after every reconnection, so that the broker
  /// always holds the latest `payload` for `topic` (a terminal's state).
  Status keep(const std::string& topic, const std::string& payload);
  /// Subscribes now if connected, and again after every reconnection.
  Status subscribe(const std::string& pattern);
  /// Waits until every QoS 1 message published so far was acknowledged by the broker, or until
  /// `timeout` (a terminal saying goodbye, a test that reads what was sent).
  Status flush(std::chrono::milliseconds timeout);

 private:
  explicit Client(OnMessage on_message) : on_message_(std::move(on_message)) {}
  static void on_connect(mosquitto*, void* self, int rc);
  static void on_disconnect(mosquitto*, void* self, int rc);
  static void on_publish(mosquitto*, void* self, int mid);
  static void on_message(mosquitto*, void* self, const ::mosquitto_message* message);

  mosquitto* mosq_ = nullptr;
  OnMessage on_message_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  std::map<std::string, std::string> kept_;
  std::vector<std::string> subscriptions_;
  int in_flight_ = 0;  // QoS 1 publications the broker has not acknowledged yet
  std::string last_refusal_;
};

}  // namespace smzc::mqtt
