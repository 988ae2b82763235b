// kioskctl queue: what waits in the store-and-forward queue, and sending it now.
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "kiosk/kioskctl.h"
#include "services/forward_queue.h"
#include "services/terminal.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

// The kiosk's own key, never a new one: a new key could not open what the old one sealed.
Result<std::unique_ptr<services::ForwardQueue>> open_queue(const services::Config& config) {
  auto key = certs::DataKey::load(config.data_key);
  if (!key) return key.error();
  return services::ForwardQueue::open(config.forward_queue, key.value());
}

// No personal data: keys, items, states and the backend's answers only.
int list(const services::Config& config, bool as_json) {
  auto queue = open_queue(config);
  if (!queue) return fail(1, queue.error().message);
  auto entries = queue.value()->list();
  if (!entries) return fail(1, entries.error().message);
  if (as_json) {
    json out = json::array();
    for (const auto& e : entries.value()) out.push_back(queue_entry_json(e));
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  for (const auto& e : entries.value())
    std::cout << e.idempotency_key << "  " << e.item_code << "  " << e.region_code << "  "
              << services::to_string(e.state)
              << (e.application_id.empty() ? "" : "  " + e.application_id + " " + e.status)
              << "  attempts " << e.attempts << (e.note.empty() ? "" : "  (" + e.note + ")")
              << '\n';
  std::cout << queue.value()->waiting() << " waiting\n";
  return 0;
}

// Sends what waits, as the kiosk's idle loop would; exit 1 while anything still waits.
int send(const services::Config& config) {
  auto queue = open_queue(config);
  if (!queue) return fail(1, queue.error().message);
  const auto clients = services::backend_clients(config);
  auto report =
      queue.value()->drain([&](const std::string& region) -> const services::BackendClient& {
        return clients.for_region(region);
      });
  if (!report) return fail(1, report.error().message);
  std::cout << "sent " << report->sent << ", refused " << report->refused << ", waiting "
            << report->waiting << ", parked " << report->parked << '\n';
  return report->waiting > 0 ? 1 : 0;
}

}  // namespace

json queue_entry_json(const services::QueuedApplication& e) {
  return {{"idempotency_key", e.idempotency_key},
          {"transaction", e.transaction_id},
          {"item_code", e.item_code},
          {"region_code", e.region_code},
          {"state", services::to_string(e.state)},
          {"application_id", e.application_id},
          {"status", e.status},
          {"attempts", e.attempts},
          {"note", e.note},
          {"queued_at_ms", e.queued_at_ms}};
}

void add_queue_commands(CLI::App& app, int& rc) {
  static std::string config_path = "/etc/smzc/kiosk.json";
  static bool as_json = false;
  auto* queue = app.add_subcommand("queue", "store-and-forward queue")->require_subcommand(1);
  auto load = [&rc]() -> std::optional<services::Config> {
    auto config = services::load_config(config_path);
    if (!config) {
      rc = fail(2, config.error().message);
      return std::nullopt;
    }
    return config.value();
  };
  auto* ls = queue->add_subcommand("list", "applications waiting or sent, no personal data");
  ls->add_option("--config", config_path, "kiosk configuration")->capture_default_str();
  ls->add_flag("--json", as_json, "JSON output");
  ls->callback([&rc, load] {
    if (auto config = load()) rc = list(*config, as_json);
  });
  static std::string retry_key;
  auto* retry =
      queue->add_subcommand("retry", "queue a parked application again (its key put right)");
  retry->add_option("--config", config_path, "kiosk configuration")->capture_default_str();
  retry->add_option("KEY", retry_key, "its idempotency key (see queue list)")->required();
  retry->callback([&rc, load] {
    auto config = load();
    if (!config) return;
    auto queue = open_queue(*config);
    if (!queue) {
      rc = fail(1, queue.error().message);
      return;
    }
    auto s = queue.value()->requeue(retry_key);
    rc = s ? 0 : fail(2, s.error().message);
    if (s) std::cout << retry_key << " queued again\n";
  });
  auto* send_now =
      queue->add_subcommand("send", "send what waits now (exit 1 while any still waits)");
  send_now->add_option("--config", config_path, "kiosk configuration")->capture_default_str();
  send_now->callback([&rc, load] {
    if (auto config = load()) rc = send(*config);
  });
}

}  // namespace smzc::kioskctl
