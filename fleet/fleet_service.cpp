#include "fleet/fleet_service.h"

#include <httplib.h>

#include <spdlog/spdlog.h>

#include "base/deadline.h"

namespace smzc::fleet {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An event stream sends a comment this often when nothing happens, so that a proxy or the browser
// does not take a quiet fleet for a dead connection.
constexpr auto kKeepAlive = std::chrono::seconds(15);
// Each open page holds one of these threads for its event stream.
constexpr size_t kHttpThreads = 32;

}  // namespace

FleetService::FleetService(Options options)
    : options_(std::move(options)), state_(options_.topic_prefix) {}

Result<std::unique_ptr<FleetService>> FleetService::start(Options options) {
  std::unique_ptr<FleetService> service(new FleetService(std::move(options)));
  FleetService* self = service.get();
  auto client = mqtt::Client::start(self->options_.client_id, self->options_.broker, std::nullopt,
                                    [self](const mqtt::Message& m) { self->on_message(m); });
  if (!client) return client.error();
  self->mqtt_ = std::move(client.value());
  if (auto s = self->mqtt_->subscribe(self->options_.topic_prefix + "/+/+/+"); !s) return s.error();
  self->http_ = std::make_unique<httplib::Server>();
  self->routes();
  self->silence_ = std::jthread([self](std::stop_token stop) { self->watch_silence(stop); });
  return service;
}

FleetService::~FleetService() {
  stop();
  silence_ = {};
  mqtt_.reset();  // no message arrives after this
}

void FleetService::on_message(const mqtt::Message& message) {
  auto applied = state_.apply(message.topic, message.payload, now_ms());
  if (!applied) {
    ++refused_;
    spdlog::debug("fleet: refused a message on {}: {}", message.topic.substr(0, 200),
                  applied.error().message);
    return;
  }
  ++messages_;
  if (!applied->empty()) publish_row(applied.value());
}

void FleetService::publish_row(const std::string& terminal) {
  auto row = state_.row(terminal);
  if (!row) return;
  std::string text = row->dump();
  {
    std::lock_guard lock(events_mutex_);
    events_.push_back(std::move(text));
    if (events_.size() > kEventsKept) events_.pop_front();
    ++next_event_;
  }
  events_changed_.notify_all();
}

void FleetService::watch_silence(std::stop_token stop) {
  while (sleep_until(after(options_.silence_check), stop))
    for (const auto& terminal : state_.check_silence(now_ms())) publish_row(terminal);
}

FleetService::Counters FleetService::counters() const {
  return {messages_.load(), refused_.load()};
}

void FleetService::routes() {
  http_->new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  http_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kFleetPage, "text/html; charset=utf-8");
  });
  http_->Get("/api/terminals", [this](const httplib::Request&, httplib::Response& res) {
    uint64_t event = 0;
    {
      std::lock_guard lock(events_mutex_);
      event = next_event_;
    }
    // Rows first, then the number: a change between the two is sent again, never lost.
    nlohmann::json body = {{"terminals", state_.rows()}};
    body["next_event"] = event;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(), "application/json");
  });
  http_->Get("/api/stats", [this](const httplib::Request&, httplib::Response& res) {
    const nlohmann::json body = {
        {"terminals", state_.size()}, {"messages", messages_.load()}, {"refused", refused_.load()}};
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(), "application/json");
  });
  http_->Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) {
    auto cursor = std::make_shared<uint64_t>(0);
    {
      std::lock_guard lock(events_mutex_);
      *cursor = next_event_;
    }
    // Where the page left off: ?from=N after /api/terminals, or the browser's Last-Event-ID on a
    // reconnection. Anything unreadable starts from now.
    std::string from = req.get_param_value("from");
    if (const auto last = req.get_header_value("Last-Event-ID"); !last.empty())
      from = std::to_string(std::strtoull(last.c_str(), nullptr, 10) + 1);
    if (!from.empty() && from.size() <= 20 &&
        from.find_first_not_of("0123456789") == std::string::npos)
      *cursor = std::min<uint64_t>(*cursor, std::strtoull(from.c_str(), nullptr, 10));
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider("text/event-stream", [this, cursor](size_t,
                                                                         httplib::DataSink& sink) {
      std::string out;
      {
        std::unique_lock lock(events_mutex_);
        events_changed_.wait_for(lock, kKeepAlive,
                                 [&] { return stopping_ || next_event_ > *cursor; });
        if (stopping_) return false;
        const uint64_t first = next_event_ - events_.size();
        if (*cursor < first) {
          out = "event: reset\ndata: {}\n\n";  // fell behind the log: the page reloads all
          *cursor = first;
        }
        for (uint64_t n = *cursor; n < next_event_; ++n)
          out += "id: " + std::to_string(n) + "\nevent: row\ndata: " + events_[n - first] + "\n\n";
        *cursor = next_event_;
      }
      if (out.empty()) out = ": keep-alive\n\n";
      return sink.write(out.data(), out.size());
    });
  });
}

Result<int> FleetService::bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    return Error{Completion::kDeviceNotReady,
                 "fleet: cannot listen on " + host + ":" + std::to_string(port)};
  return bound;
}

void FleetService::serve() {
  http_->listen_after_bind();
}

void FleetService::stop() {
  {
    std::lock_guard lock(events_mutex_);
    stopping_ = true;
  }
  events_changed_.notify_all();
  if (http_) http_->stop();
}

}  // namespace smzc::fleet
