#include "base/mqtt.h"

#include <mosquitto.h>

#include <cerrno>
#include <cstring>

namespace smzc::mqtt {
namespace {

Error error_of(const char* what, int rc) {
  return Error{Completion::kDeviceNotReady,
               std::string("MQTT ") + what + ": " +
                   (rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc))};
}

}  // namespace

Result<std::unique_ptr<Client>> Client::start(const std::string& client_id, const Options& options,
                                              std::optional<Will> will, OnMessage on_message) {
  static std::once_flag init;
  // Never cleaned up: the library lives as long as the process.
  std::call_once(init, [] { mosquitto_lib_init(); });
  std::unique_ptr<Client> client(new Client(std::move(on_message)));
  client->mosq_ = mosquitto_new(client_id.c_str(), /*clean_session=*/true, client.get());
  if (!client->mosq_) return Error{Completion::kHardwareError, "MQTT: no memory for a client"};
  mosquitto_int_option(client->mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_connect_callback_set(client->mosq_, &Client::on_connect);
  mosquitto_disconnect_callback_set(client->mosq_, &Client::on_disconnect);
  mosquitto_publish_callback_set(client->mosq_, &Client::on_publish);
  mosquitto_message_callback_set(client->mosq_, &Client::on_message);
  mosquitto_reconnect_delay_set(client->mosq_, 1, 30, /*exponential=*/true);
  if (!options.ca.empty()) {
    const std::string ca = options.ca.string(), cert = options.cert.string(),
                      key = options.key.string();
    if (int rc = mosquitto_tls_set(client->mosq_, ca.c_str(), nullptr,
                                   cert.empty() ? nullptr : cert.c_str(),
                                   key.empty() ? nullptr : key.c_str(), nullptr);
        rc != MOSQ_ERR_SUCCESS)
      return error_of("TLS files", rc);
  }
  if (will) {
    if (int rc = mosquitto_will_set(client->mosq_, will->topic.c_str(),
                                    static_cast<int>(will->payload.size()), will->payload.data(), 1,
                                    /*retain=*/true);
        rc != MOSQ_ERR_SUCCESS)
      return error_of("last will", rc);
  }
  if (int rc = mosquitto_loop_start(client->mosq_); rc != MOSQ_ERR_SUCCESS)
    return error_of("thread", rc);
  // A refused first attempt is not an error: the loop retries until the broker is there.
  (void)mosquitto_connect_async(client->mosq_, options.host.c_str(), options.port,
                                static_cast<int>(options.keepalive.count()));
  return client;
}

Client::~Client() {
  mosquitto_disconnect(mosq_);
  // Forced: a loop waiting out its reconnection delay would otherwise be waited for.
  mosquitto_loop_stop(mosq_, /*force=*/!connected());
  mosquitto_destroy(mosq_);
}

void Client::on_connect(mosquitto*, void* self, int rc) {
  auto* client = static_cast<Client*>(self);
  std::map<std::string, std::string> kept;
  std::vector<std::string> subscriptions;
  {
    std::lock_guard lock(client->mutex_);
    client->connected_ = rc == 0;
    client->last_refusal_ = rc == 0 ? "" : mosquitto_connack_string(rc);
    kept = client->kept_;
    subscriptions = client->subscriptions_;
  }
  client->changed_.notify_all();
  if (rc != 0) return;
  for (const auto& pattern : subscriptions)
    mosquitto_subscribe(client->mosq_, nullptr, pattern.c_str(), 1);
  for (const auto& [topic, payload] : kept) (void)client->publish(topic, payload, true);
}

void Client::on_disconnect(mosquitto*, void* self, int) {
  auto* client = static_cast<Client*>(self);
  {
    std::lock_guard lock(client->mutex_);
    client->connected_ = false;
    client->in_flight_ = 0;  // a clean session: unacknowledged messages are gone with the link
  }
  client->changed_.notify_all();
}

void Client::on_publish(mosquitto*, void* self, int) {
  auto* client = static_cast<Client*>(self);
  {
    std::lock_guard lock(client->mutex_);
    if (client->in_flight_ > 0) --client->in_flight_;
  }
  client->changed_.notify_all();
}

void Client::on_message(mosquitto*, void* self, const mosquitto_message* m) {
  auto* client = static_cast<Client*>(self);
  if (!client->on_message_ || !m->topic) return;
  Message message{m->topic,
                  std::string(static_cast<const char*>(m->payload),
                              static_cast<size_t>(m->payloadlen > 0 ? m->payloadlen : 0)),
                  m->retain};
  client->on_message_(message);
}

Status Client::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (changed_.wait_for(lock, timeout, [&] { return connected_; })) return ok_status();
  return Error{Completion::kTimeout,
               "MQTT: no connection to the broker within " + std::to_string(timeout.count()) +
                   " ms" + (last_refusal_.empty() ? "" : " (refused: " + last_refusal_ + ")")};
}

bool Client::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

Status Client::publish(const std::string& topic, const std::string& payload, bool retain) {
  {
    std::lock_guard lock(mutex_);
    ++in_flight_;  // before the call: the acknowledgement may arrive before it returns
  }
  const int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), 1, retain);
  if (rc == MOSQ_ERR_SUCCESS) return ok_status();
  {
    std::lock_guard lock(mutex_);
    if (in_flight_ > 0) --in_flight_;
  }
  changed_.notify_all();
  return error_of(("publish to " + topic).c_str(), rc);
}

Status Client::keep(const std::string& topic, const std::string& payload) {
  {
    std::lock_guard lock(mutex_);
    kept_[topic] = payload;
  }
  if (!connected()) return ok_status();  // sent once the link is up
  return publish(topic, payload, true);
}

Status Client::subscribe(const std::string& pattern) {
  {
    std::lock_guard lock(mutex_);
    subscriptions_.push_back(pattern);
  }
  if (!connected()) return ok_status();
  if (int rc = mosquitto_subscribe(mosq_, nullptr, pattern.c_str(), 1); rc != MOSQ_ERR_SUCCESS)
    return error_of(("subscribe to " + pattern).c_str(), rc);
  return ok_status();
}

Status Client::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (changed_.wait_for(lock, timeout, [&] { return in_flight_ == 0 || !connected_; }) &&
      in_flight_ == 0)
    return ok_status();
  return Error{Completion::kTimeout, "MQTT: " + std::to_string(in_flight_) +
                                         " messages not acknowledged within " +
                                         std::to_string(timeout.count()) + " ms"};
}

}  // namespace smzc::mqtt
