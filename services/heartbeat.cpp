#include "services/heartbeat.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace smzc::services {
namespace {

using nlohmann::json;

constexpr size_t kErrorsKept = 5;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool failed(const DeviceStatus& s) {
  return s.state == DeviceState::kNoDevice || s.state == DeviceState::kOffline ||
         s.state == DeviceState::kHardwareError;
}

}  // namespace

std::vector<Alert> alerts_for(const ReportFacts& f) {
  std::vector<Alert> alerts;
  for (const auto& d : f.devices) {
    const DeviceStatus& s = d.status;
    if (failed(s)) alerts.push_back({"device_offline", d.id, "critical"});
    if (s.media == MediaState::kPaperOut) alerts.push_back({"paper_out", d.id, "critical"});
    if (s.media == MediaState::kPaperJammed) alerts.push_back({"paper_jam", d.id, "critical"});
    if (s.media == MediaState::kPaperLow) alerts.push_back({"paper_low", d.id, "warning"});
    if (s.cover_open) alerts.push_back({"cover_open", d.id, "critical"});
    if (auto it = f.supplies.find(d.id); it != f.supplies.end())
      for (const auto& supply : it->second) {
        if (supply.is_out())
          alerts.push_back({"supply_out", d.id, "critical", supply.name});
        else if (supply.is_low())
          alerts.push_back({"supply_low", d.id, "warning", supply.name});
      }
  }
  if (f.queue_waiting >= f.limits.queue_backlog) alerts.push_back({"queue_backlog", "", "warning"});
  if (const auto days = f.certificate_days_left; days && *days <= f.limits.certificate_warning_days)
    alerts.push_back({"certificate_expiring", "", *days <= 0 ? "critical" : "warning"});
  return alerts;
}

std::string terminal_topic(const Config& config, const std::string& leaf) {
  return config.mqtt.topic_prefix + "/" + config.site.region_code + "/" + config.terminal_id + "/" +
         leaf;
}

std::optional<int> certificate_days_left(const std::filesystem::path& path) {
  if (path.empty()) return std::nullopt;
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return std::nullopt;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) return std::nullopt;
  int days = 0, seconds = 0;
  const bool ok = ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)) == 1;
  X509_free(cert);
  if (!ok) return std::nullopt;
  return days;
}

Heartbeat::Heartbeat(Terminal& terminal, Options options)
    : terminal_(terminal), options_(std::move(options)) {
  const Config& config = terminal_.config();
  if (options_.use_mqtt && !config.mqtt.broker.host.empty()) {
    // The broker says this for us if we vanish: power cut, crash, cable pulled.
    const json lost = {{"terminal", config.terminal_id}, {"online", false}, {"reason", "lost"}};
    auto client = mqtt::Client::start("smzc-" + config.terminal_id, config.mqtt.broker,
                                      mqtt::Will{terminal_topic(config, "online"), lost.dump()});
    if (client)
      mqtt_ = std::move(client.value());
    else
      spdlog::error("heartbeat: {}", client.error().message);
  }
}

Heartbeat::~Heartbeat() {
  stop();
}

void Heartbeat::start() {
  const Config& config = terminal_.config();
  if (mqtt_) {
    const json online = {{"terminal", config.terminal_id}, {"online", true}};
    (void)mqtt_->keep(terminal_topic(config, "online"), online.dump());
  }
  listener_ = terminal_.devices().add_listener([this](const DeviceEntry& e) { on_device(e); });
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Heartbeat::stop() {
  if (!thread_.joinable()) return;
  terminal_.devices().remove_listener(listener_);
  thread_.request_stop();
  thread_.join();
  if (mqtt_) {
    const Config& config = terminal_.config();
    const json stopped = {
        {"terminal", config.terminal_id}, {"online", false}, {"reason", "stopped"}};
    if (mqtt_->publish(terminal_topic(config, "online"), stopped.dump(), true))
      (void)mqtt_->flush(std::chrono::seconds(2));
  }
}

void Heartbeat::on_device(const DeviceEntry& entry) {
  {
    std::lock_guard lock(mutex_);
    DeviceStatus& before = last_seen_[entry.id];
    const DeviceStatus& now = entry.status;
    if (now.media == MediaState::kPaperJammed && before.media != MediaState::kPaperJammed) ++jams_;
    if (now.last_error != Completion::kSuccess && now.last_error != before.last_error) {
      errors_.push_back({entry.id, to_string(now.last_error), now_ms()});
      if (errors_.size() > kErrorsKept) errors_.pop_front();
    }
    before = now;
    changed_ = true;
  }
  wake_.notify_all();  // listeners must not block: the beat itself runs on the heartbeat thread
}

void Heartbeat::run(std::stop_token stop) {
  (void)beat("start");
  const auto interval = std::chrono::seconds(terminal_.config().heartbeat_s);
  while (!stop.stop_requested()) {
    bool changed = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval, [&] { return changed_; });
      changed = std::exchange(changed_, false);
    }
    if (stop.stop_requested()) break;
    if (auto s = beat(changed ? "change" : "timer"); !s)
      spdlog::warn("heartbeat: {}", s.error().message);
  }
}

std::pair<std::string, std::string> render_report(const ReportFacts& f) {
  json report = {
      {"terminal", f.terminal_id},
      {"site",
       {{"kind", f.site.kind}, {"region", f.site.region_code}, {"branding", f.site.branding}}},
      {"version", f.version},
      {"sent_at_ms", f.sent_at_ms},
      {"interval_s", f.interval_s},
      {"reason", f.reason},
      {"queue_waiting", f.queue_waiting}};
  json devices = json::object(), consumables = json::object();
  for (const auto& d : f.devices) {
    devices[d.id] = {{"kind", to_string(d.kind)},
                     {"state", to_string(d.status.state)},
                     {"media", to_string(d.status.media)},
                     {"cover_open", d.status.cover_open},
                     {"last_error", to_string(d.status.last_error)}};
    if (d.kind == DeviceKind::kPrinter) {
      const MediaState m = d.status.media;
      consumables[d.id] = {{"paper", m == MediaState::kPaperOut   ? "out"
                                     : m == MediaState::kPaperLow ? "low"
                                     : m == MediaState::kPaperOk  ? "ok"
                                                                  : "unknown"}};
      json supplies = json::array();
      if (auto it = f.supplies.find(d.id); it != f.supplies.end())
        for (const auto& supply : it->second)
          supplies.push_back({{"name", supply.name},
                              {"type", supply.type},
                              {"level", supply.level},
                              {"fills_up", supply.fills_up}});
      consumables[d.id]["supplies"] = supplies;
    }
  }
  report["devices"] = devices;
  report["consumables"] = consumables;
  const auto step = [&](const char* name) {
    auto it = f.counts.steps.find(name);
    return it == f.counts.steps.end() ? int64_t{0} : it->second;
  };
  report["counters"] = {{"sessions", f.counts.transactions},
                        {"cards_read", step("read_card.done")},
                        {"certificates_printed", step("print.done")},
                        {"jams_since_start", f.jams_since_start}};
  json errors = json::array();
  for (const auto& e : f.last_errors)
    errors.push_back({{"device", e.device}, {"error", e.error}, {"at_ms", e.at_ms}});
  report["last_errors"] = errors;
  report["journal_head"] = {{"seq", f.journal_head.first}, {"hash", f.journal_head.second}};
  report["certificate_days_left"] =
      f.certificate_days_left ? json(*f.certificate_days_left) : json(nullptr);
  json alerts = json::array();
  for (const auto& a : alerts_for(f)) {
    json alert = {{"code", a.code}, {"device", a.device}, {"severity", a.severity}};
    if (!a.supply.empty()) alert["supply"] = a.supply;
    alerts.push_back(std::move(alert));
  }
  report["alerts"] = alerts;
  const json alerts_message = {{"terminal", f.terminal_id}, {"alerts", alerts}};
  return {report.dump(), alerts_message.dump()};
}

ReportFacts Heartbeat::facts(const std::string& reason) {
  const Config& config = terminal_.config();
  ReportFacts f{.terminal_id = config.terminal_id,
                .site = config.site,
                .version = options_.version,
                .interval_s = config.heartbeat_s,
                .reason = reason,
                .sent_at_ms = now_ms(),
                .devices = terminal_.devices().snapshot(),
                .queue_waiting = terminal_.queue().waiting(),
                .journal_head = terminal_.journal().head(),
                .certificate_days_left = certificate_days_left(config.terminal_cert),
                .limits = options_.limits};
  for (const auto& d : f.devices)
    if (auto* p = dynamic_cast<const printer::Printer*>(terminal_.devices().find(d.id)))
      f.supplies[d.id] = p->supplies();
  std::lock_guard lock(mutex_);
  // The journal is counted again only once it has grown: a burst of device changes reads it once.
  if (f.journal_head.first != counted_seq_) {
    if (auto counts = count_journal(config.journal); counts) {
      counts_ = std::move(counts.value());
      counted_seq_ = f.journal_head.first;
    } else {
      spdlog::warn("heartbeat: {}", counts.error().message);
    }
  }
  f.counts = counts_;
  f.jams_since_start = jams_;
  f.last_errors.assign(errors_.begin(), errors_.end());
  return f;
}

std::string Heartbeat::report(const std::string& reason) {
  return render_report(facts(reason)).first;
}

Status Heartbeat::beat(const std::string& reason) {
  const auto [text, alerts] = render_report(facts(reason));
  Status first = ok_status();
  if (mqtt_) {
    const Config& config = terminal_.config();
    for (Status s : {mqtt_->keep(terminal_topic(config, "state"), text),
                     mqtt_->keep(terminal_topic(config, "alerts"), alerts)})
      if (!s && first) first = s;
  }
  if (auto s = terminal_.backend().heartbeat(text); !s && first) first = s;
  return first;
}

}  // namespace smzc::services
