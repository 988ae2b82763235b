// kioskctl status: the terminal at a glance, for a technician over SSH — every configured device
// and its state, each backend's reachability, the journal's head and the queue (docs/kioskctl.md).

#include <spdlog/spdlog.h>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "certs/sealing.h"
#include "drivers/idcard/vendor_photo.h"
#include "face/face.h"
#include "kiosk/kioskctl.h"
#include "services/device_manager.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/terminal.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct StatusArgs {
  std::string config = "/etc/smzc/kiosk.json";
  bool as_json = false;
};

// Whether a backend answers /v1/health, and in how many milliseconds.
json backend_json(const std::string& url, const services::BackendClient& client) {
  const auto started = std::chrono::steady_clock::now();
  auto reply = client.exchange("GET", "/v1/health");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  json out = {{"url", url}, {"reachable", reply && reply->status == 200}};
  if (reply) {
    out["http_status"] = reply->status;
    out["ms"] = static_cast<int>(ms + 0.5);
  } else {
    out["error"] = reply.error().message;
  }
  return out;
}

}  // namespace

TerminalStores open_stores(const services::Config& config, bool with_queue) {
  TerminalStores stores;
  auto key = certs::DataKey::load(config.data_key);
  if (!key) {
    stores.journal_error = stores.queue_error = "data key: " + key.error().message;
    return stores;
  }
  if (auto journal =
          services::Journal::open(config.journal, key->derive(services::kJournalKeyPurpose)))
    stores.journal = std::move(journal.value());
  else
    stores.journal_error = journal.error().message;
  if (!with_queue) return stores;
  if (auto queue = services::ForwardQueue::open(config.forward_queue, std::move(key.value())))
    stores.queue = std::move(queue.value());
  else
    stores.queue_error = queue.error().message;
  return stores;
}

json terminal_status(const services::Config& config, const TerminalStores& stores) {
  json out = {{"terminal_id", config.terminal_id}, {"version", SMZC_VERSION}};
  bool healthy = true;

  // Each device opened and asked once, as the kiosk's supervisor would.
  services::DeviceManager devices;
  json device_list = json::array();
  for (const auto& spec : config.devices) {
    auto device = services::DeviceManager::make_device(spec);
    if (!device) {
      device_list.push_back({{"id", spec.id},
                             {"kind", to_string(spec.kind)},
                             {"address", spec.address},
                             {"error", device.error().message}});
      healthy = false;
      continue;
    }
    (void)devices.add(std::move(device.value()));
  }
  devices.poll_all();
  for (const auto& d : devices.snapshot()) {
    device_list.push_back({{"id", d.id},
                           {"kind", to_string(d.kind)},
                           {"address", d.address},
                           {"state", to_string(d.status.state)},
                           {"media", to_string(d.status.media)},
                           {"cover_open", d.status.cover_open},
                           {"usable", d.status.usable()},
                           {"detail", d.status.detail}});
    healthy = healthy && d.status.usable();
  }
  out["devices"] = device_list;

  const auto clients = services::backend_clients(config);
  json backends = {backend_json(config.backend_url, *clients.home)};
  for (const auto& [region, partner] : config.partners)
    backends.push_back(backend_json(partner.backend_url, clients.partners.at(region)));
  for (const auto& b : backends) healthy = healthy && b["reachable"].get<bool>();
  out["backends"] = backends;

  // 人证核验: the models, and whether the chip photo can be seen (without a decoder the face is
  // compared at the platform only, which is no fault; a configured one that fails is).
  json face = {{"policy", config.face.policy}};
  auto models = face::find_models(config.face.models.empty() ? face::default_models_dir()
                                                             : config.face.models);
  if (models) {
    face["models"] = models->version;
  } else {
    face["models_error"] = models.error().message;
    healthy = false;
  }
  if (config.face.photo_library.empty()) {
    face["photo_decoder"] = "none: chip photos cannot be read, faces are compared at the platform";
  } else if (auto decoder = idcard::VendorPhotoDecoder::load(
                 {.library = config.face.photo_library, .symbol = config.face.photo_symbol});
             decoder) {
    face["photo_decoder"] = "loaded " + config.face.photo_library.string();
  } else {
    face["photo_decoder"] = decoder.error().message;
    healthy = false;
  }
  out["face"] = face;

  // The journal's head and the queue; what cannot be read is said.
  if (stores.journal) {
    const auto [seq, hash] = stores.journal->head();
    out["journal"] = {{"path", config.journal.string()}, {"head_seq", seq}};
  } else {
    out["journal"] = {{"error", stores.journal_error}};
    healthy = false;
  }
  if (stores.queue)
    out["queue"] = {{"waiting", stores.queue->waiting()}};
  else
    out["queue"] = {{"error", stores.queue_error}};
  out["healthy"] = healthy;
  return out;
}

namespace {

int status(const StatusArgs& args) {
  // The devices' own status-change lines would only repeat what this command prints.
  spdlog::set_level(spdlog::level::warn);
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  const json out = terminal_status(config.value(), open_stores(config.value()));
  const bool healthy = out["healthy"].get<bool>();
  if (args.as_json) {
    std::cout << out.dump(2) << '\n';
    return healthy ? 0 : 1;
  }
  std::cout << "terminal " << config->terminal_id << " (smzc " << SMZC_VERSION
            << "): " << (healthy ? "healthy" : "needs attention") << '\n';
  for (const auto& d : out["devices"]) {
    std::cout << "  " << d["id"].get<std::string>() << " (" << d["kind"].get<std::string>()
              << "): ";
    if (d.contains("error"))
      std::cout << d["error"].get<std::string>() << '\n';
    else
      std::cout << d["state"].get<std::string>() << ", " << d["media"].get<std::string>()
                << (d["usable"].get<bool>() ? ""
                                            : " — not usable: " + d["detail"].get<std::string>())
                << '\n';
  }
  for (const auto& b : out["backends"])
    std::cout << "  backend " << b["url"].get<std::string>() << ": "
              << (b["reachable"].get<bool>()
                      ? "reachable (" + std::to_string(b["ms"].get<int>()) + " ms)"
                      : "unreachable: " + b.value("error", std::string("HTTP error")))
              << '\n';
  if (out["journal"].contains("head_seq"))
    std::cout << "  journal: head at entry " << out["journal"]["head_seq"].get<int64_t>() << "\n";
  else
    std::cout << "  journal: " << out["journal"]["error"].get<std::string>() << '\n';
  if (out.contains("queue") && out["queue"].contains("waiting"))
    std::cout << "  queue: " << out["queue"]["waiting"].get<size_t>() << " waiting\n";
  const auto& face = out["face"];
  std::cout << "  face check: policy " << face["policy"].get<std::string>() << ", models "
            << (face.contains("models") ? face["models"].get<std::string>()
                                        : face["models_error"].get<std::string>())
            << "\n  chip photos: " << face["photo_decoder"].get<std::string>() << '\n';
  return healthy ? 0 : 1;
}

}  // namespace

void add_status_commands(CLI::App& app, int& rc) {
  static StatusArgs args;
  auto* command = app.add_subcommand(
      "status", "every device, the backends, the journal and the queue, at a glance");
  command->add_option("--config", args.config, "configuration file")->capture_default_str();
  command->add_flag("--json", args.as_json, "the status as JSON");
  command->callback([&rc] { rc = status(args); });
}

}  // namespace smzc::kioskctl
