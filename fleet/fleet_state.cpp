#include "fleet/fleet_state.h"

#include <algorithm>
#include <utility>

#include "base/json.h"

namespace smzc::fleet {
namespace {

using nlohmann::json;

// Terminal ids and region codes become topic levels and page text: a plain, short spelling only.
bool plain_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_' || c == '.';
  });
}

Error refused(const std::string& why) {
  return Error{Completion::kInvalidData, why};
}

}  // namespace

Result<std::string> FleetState::apply(const std::string& topic, const std::string& payload,
                                      int64_t now_ms) {
  if (payload.size() > kMaxPayloadBytes)
    return refused("payload of " + std::to_string(payload.size()) + " bytes (the limit is " +
                   std::to_string(kMaxPayloadBytes) + ")");
  // PREFIX/REGION/TERMINAL/LEAF
  if (topic.size() <= prefix_.size() + 1 || topic.compare(0, prefix_.size(), prefix_) != 0 ||
      topic[prefix_.size()] != '/')
    return refused("topic outside " + prefix_);
  const std::string rest = topic.substr(prefix_.size() + 1);
  const size_t a = rest.find('/'), b = a == std::string::npos ? a : rest.find('/', a + 1);
  if (b == std::string::npos || rest.find('/', b + 1) != std::string::npos)
    return refused("topic is not PREFIX/REGION/TERMINAL/LEAF");
  const std::string region = rest.substr(0, a), terminal = rest.substr(a + 1, b - a - 1),
                    leaf = rest.substr(b + 1);
  if (!plain_name(region) || !plain_name(terminal)) return refused("topic names no terminal");
  if (leaf != "state" && leaf != "online" && leaf != "alerts") return refused("unknown leaf");

  const json body = parse_json(payload, kMaxReportDepth);
  if (body.is_discarded() || !body.is_object()) return refused("payload is not a JSON object");
  // Each terminal speaks for itself only: a payload naming another terminal is refused.
  if (auto it = body.find("terminal"); it != body.end() && *it != terminal)
    return refused("payload names another terminal than its topic");

  std::lock_guard lock(mutex_);
  auto found = terminals_.find(terminal);
  if (found == terminals_.end()) {
    if (terminals_.size() >= kMaxTerminals) return refused("too many terminals");
    found = terminals_.emplace(terminal, TerminalView{.terminal = terminal}).first;
  }
  TerminalView& view = found->second;
  if (leaf == "state") {
    const auto interval = whole_number<int>(body, "interval_s", 60);
    if (!interval || *interval < 1 || *interval > 86400) return refused("interval_s out of range");
    if (auto d = body.find("devices"); d != body.end() && !d->is_object())
      return refused("devices is not an object");
    if (auto al = body.find("alerts"); al != body.end() && !al->is_array())
      return refused("alerts is not a list");
    view.report = body;
    view.interval_s = *interval;
    view.online = true;  // a report is proof of life, even before its online message arrives
    view.offline_reason.clear();
  } else if (leaf == "online") {
    auto online = body.find("online");
    if (online == body.end() || !online->is_boolean()) return refused("online is not true/false");
    view.online = online->get<bool>();
    const auto reason = body.find("reason");
    view.offline_reason = view.online || reason == body.end() || !reason->is_string()
                              ? ""
                              : reason->get<std::string>();
    if (view.offline_reason != "" && view.offline_reason != "lost" &&
        view.offline_reason != "stopped")
      view.offline_reason = "lost";
  }
  view.region = region;
  view.last_seen_ms = now_ms;
  const bool was_silent = std::exchange(view.silent, false);
  // The alerts topic repeats what the state report holds: only a sign of life.
  if (leaf == "alerts" && !was_silent) return std::string();
  return terminal;
}

std::vector<std::string> FleetState::check_silence(int64_t now_ms) {
  std::vector<std::string> changed;
  std::lock_guard lock(mutex_);
  for (auto& [id, view] : terminals_) {
    const bool silent = view.online && now_ms - view.last_seen_ms > int64_t{view.interval_s} * 2500;
    if (silent != view.silent) {
      view.silent = silent;
      changed.push_back(id);
    }
  }
  return changed;
}

json FleetState::row_of(const TerminalView& v) {
  json alerts = json::array();
  if (auto a = v.report.find("alerts"); a != v.report.end() && a->is_array()) alerts = *a;
  if (v.silent)
    alerts.push_back({{"code", "terminal_silent"}, {"device", ""}, {"severity", "critical"}});
  if (!v.online && v.offline_reason == "lost")
    alerts.push_back({{"code", "terminal_offline"}, {"device", ""}, {"severity", "critical"}});
  const auto field = [&](const char* key) {
    auto it = v.report.find(key);
    return it == v.report.end() ? json(nullptr) : *it;
  };
  return {{"terminal", v.terminal},
          {"region", v.region},
          {"site", field("site")},
          {"state", !v.online  ? (v.offline_reason == "stopped" ? "stopped" : "offline")
                    : v.silent ? "silent"
                               : "online"},
          {"devices", field("devices")},
          {"consumables", field("consumables")},
          {"version", field("version")},
          {"queue_waiting", field("queue_waiting")},
          {"sent_at_ms", field("sent_at_ms")},
          {"last_seen_ms", v.last_seen_ms},
          {"alerts", alerts}};
}

std::optional<json> FleetState::row(const std::string& terminal) const {
  std::lock_guard lock(mutex_);
  auto it = terminals_.find(terminal);
  if (it == terminals_.end()) return std::nullopt;
  return row_of(it->second);
}

json FleetState::rows() const {
  std::lock_guard lock(mutex_);
  json all = json::array();
  for (const auto& [id, view] : terminals_) all.push_back(row_of(view));
  return all;
}

size_t FleetState::size() const {
  std::lock_guard lock(mutex_);
  return terminals_.size();
}

}  // namespace smzc::fleet
