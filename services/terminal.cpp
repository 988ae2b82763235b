#include "services/terminal.h"

#include <spdlog/spdlog.h>

#include "base/paths.h"

namespace smzc::services {

const BackendClient& BackendClients::for_region(const std::string& region_code) const {
  auto it = partners.find(region_code);
  return it == partners.end() ? *home : it->second;
}

BackendClients backend_clients(const Config& c) {
  const BackendClient::Options options{.terminal_id = c.terminal_id,
                                       .ca_file = c.backend_ca,
                                       .client_cert = c.terminal_cert,
                                       .client_key = c.terminal_key};
  BackendClients clients{std::make_unique<BackendClient>(c.backend_url, options), {}};
  for (const auto& [region, p] : c.partners)
    clients.partners.emplace(region, BackendClient(p.backend_url, options));
  return clients;
}

std::filesystem::path keyring_cache(const Config& c, const std::string& region) {
  return c.catalogue_cache.parent_path() /
         (region.empty() ? std::string("keyring.json") : "keyring-" + region + ".json");
}

Result<certs::Keyring> trusted_keyring(const Config& c, bool fetch) {
  const BackendClients clients = backend_clients(c);
  certs::Keyring merged;
  auto add = [&](const BackendClient& client, const std::filesystem::path& anchor_file,
                 const std::string& region) -> Status {
    auto anchor = certs::Sm2Key::from_pem_file(anchor_file);
    if (!anchor)
      return Error{anchor.code(), "key " + anchor_file.string() + ": " + anchor.error().message};
    const std::filesystem::path cache = keyring_cache(c, region);
    const std::vector<std::string> regions =
        region.empty() ? std::vector<std::string>{} : std::vector<std::string>{region};
    Result<certs::Keyring> ring = Error{Completion::kDeviceNotReady, "no keyring"};
    if (fetch) {
      ring = client.keyring(anchor.value(), cache, regions);
    } else {
      auto text = read_file(cache, 1 << 20);
      if (!text) return ok_status();  // never fetched: nothing to trust from that backend
      ring = certs::Keyring::from_signed_json(text.value(), anchor.value(), regions);
    }
    if (!ring)
      return Error{ring.code(), (region.empty() ? std::string("home") : region) +
                                    " keyring: " + ring.error().message};
    merged.merge(ring.value());
    return ok_status();
  };
  if (auto s = add(*clients.home, c.certificate_key, ""); !s) return s.error();
  for (const auto& [region, p] : c.partners)
    if (auto s = add(clients.partners.at(region), p.certificate_key, region); !s) return s.error();
  if (merged.empty())
    return Error{Completion::kDeviceNotReady,
                 "no keyring is cached yet: run with the backend reachable (--fetch) first"};
  return merged;
}

Terminal::~Terminal() {
  // The engine goes first; the devices stop being supervised before they go.
  engine_.reset();
  if (devices_) devices_->stop();
}

Result<std::unique_ptr<Terminal>> Terminal::open(Config config, Parts parts) {
  std::unique_ptr<Terminal> t(new Terminal());
  t->config_ = std::move(config);
  const Config& c = t->config_;

  // The print ledger lives in the journal's database file, in a table of its own.
  auto ledger = PrintLedger::open(c.journal);
  if (!ledger) return ledger.error();
  t->ledger_ = std::move(ledger.value());
  // Personal data at rest (the store-and-forward queue) is sealed with the terminal's data key.
  auto key = parts.create_data_key ? certs::DataKey::load_or_create(c.data_key)
                                   : certs::DataKey::load(c.data_key);
  if (!key) return Error{key.code(), "data key: " + key.error().message};
  t->data_key_ = std::move(key.value());
  // The journal's chain is keyed with a secret derived from the data key: rewriting an entry
  // needs the key, not just SM3.
  auto journal = Journal::open(c.journal, t->data_key_.derive(kJournalKeyPurpose));
  if (!journal) return journal.error();
  t->journal_ = std::move(journal.value());
  auto queue = ForwardQueue::open(c.forward_queue, t->data_key_);
  if (!queue) return queue.error();
  t->queue_ = std::move(queue.value());
  auto issuer = certs::Sm2Key::from_pem_file(c.certificate_key);
  if (!issuer) return Error{issuer.code(), "certificate issuer key: " + issuer.error().message};
  t->issuer_key_ = std::move(issuer.value());

  t->clients_ = backend_clients(c);
  // Partner regions: a backend client and the key that signs their documents, each.
  std::map<std::string, RegionBackend> partners;
  for (const auto& [region, p] : c.partners) {
    auto partner_key = certs::Sm2Key::from_pem_file(p.certificate_key);
    if (!partner_key)
      return Error{partner_key.code(), "partner " + region + ": " + partner_key.error().message};
    t->partner_keys_.emplace(region, std::move(partner_key.value()));
    partners[region] = {&t->clients_.partners.at(region), &t->partner_keys_.at(region),
                        c.catalogue_cache.parent_path() / ("catalogue-" + region + ".json"),
                        keyring_cache(c, region)};
  }

  t->devices_ = std::make_unique<DeviceManager>(parts.device_options);
  if (parts.devices.empty()) {
    for (const auto& spec : c.devices) {
      auto device = DeviceManager::make_device(spec);
      if (!device) return device.error();
      if (auto role = spec.options.find("role"); role != spec.options.end())
        parts.roles[spec.id] = role->second;
      parts.devices.push_back(std::move(device.value()));
    }
  }
  for (auto& device : parts.devices) {
    auto role = parts.roles.find(device->id());
    if (auto s = t->devices_->add(std::move(device),
                                  role == parts.roles.end() ? std::string() : role->second);
        !s)
      return s.error();
  }
  auto* reader = t->devices_->card_reader();
  auto* printer = t->devices_->printer();
  if (!reader || !printer)
    return Error{Completion::kInvalidData,
                 "a terminal needs a card reader (kind idcard) and a printer in its devices"};

  // The chip photo's decoder is the reader vendor's library; without it (or when it cannot be
  // loaded) the face is compared at the platform only, and kioskctl status says why.
  if (c.face.photo_library.empty()) {
    t->photo_decoder_state_ = "none configured";
  } else {
    auto decoder = idcard::VendorPhotoDecoder::load({.library = c.face.photo_library,
                                                     .symbol = c.face.photo_symbol,
                                                     .bgr = c.face.photo_bgr,
                                                     .bottom_up = c.face.photo_bottom_up});
    if (decoder) {
      t->photo_decoder_ = std::move(decoder.value());
      t->photo_decoder_state_ = "loaded " + c.face.photo_library.string();
    } else {
      t->photo_decoder_state_ = decoder.error().message;
      spdlog::warn("chip photos: {}", decoder.error().message);
    }
  }
  // A certified engine's plug-ins: one that is configured and cannot be loaded stops the kiosk,
  // for running without it would check faces less than the site requires.
  for (auto [path, into] : {std::pair{&c.face.matcher_plugin, &t->matcher_plugin_},
                            std::pair{&c.face.liveness_plugin, &t->liveness_plugin_}}) {
    if (path->empty()) continue;
    auto plugin = face::Plugin::load(*path);
    if (!plugin) return plugin.error();
    *into = std::move(plugin.value());
  }
  if (t->matcher_plugin_ && !t->matcher_plugin_->matches())
    return Error{Completion::kInvalidData, c.face.matcher_plugin.string() + " has no matcher"};
  if (t->liveness_plugin_ && !t->liveness_plugin_->checks_liveness())
    return Error{Completion::kInvalidData,
                 c.face.liveness_plugin.string() + " has no liveness check"};
  SiteProfile site = c.site;
  const auto kinds = t->devices_->kinds();
  site.devices.assign(kinds.begin(), kinds.end());
  t->engine_ = std::make_unique<TransactionEngine>(
      *t->journal_, *t->ledger_, *t->clients_.home, *reader, *printer,
      TransactionEngine::Options{
          .work_dir = c.work_dir,
          .print_fault_policy = c.print_fault_policy == "hold" ? printer::FaultPolicy::kHold
                                                               : printer::FaultPolicy::kCancel,
          .clock = parts.clock,
          .certificate_key = &t->issuer_key_,
          .catalogue_cache = c.catalogue_cache,
          .keyring_cache = keyring_cache(c, ""),
          .partners = partners,
          .site = site,
          .queue = t->queue_.get(),
          .decision_timeout = std::chrono::milliseconds(c.decision_timeout_ms),
          .face_camera = t->devices_->camera("face"),
          .document_camera = t->devices_->camera("document"),
          .scanner = t->devices_->scanner(),
          .face = {.policy = face_policy_from_string(c.face.policy).value_or(FacePolicy::kBoth),
                   .models = c.face.models,
                   .threshold = c.face.threshold,
                   .challenge_actions = c.face.challenge_actions,
                   .photo_decoder = t->photo_decoder_.get(),
                   .matcher = t->matcher_plugin_.get(),
                   .liveness = t->liveness_plugin_.get(),
                   .challenge_seed = parts.challenge_seed}});
  return t;
}

}  // namespace smzc::services
