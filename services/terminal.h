// The one composition root of a terminal: from its configuration to a working engine — journal,
// print ledger, sealed queue, backend clients (home and partner regions), issuer keys, the
// device manager and the transaction engine over them. The kiosk, kioskctl, the demo and the
// tests all build terminals here, so a terminal is wired one way.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/clock.h"
#include "certs/sealing.h"
#include "certs/signing.h"
#include "drivers/idcard/vendor_photo.h"
#include "services/backend_client.h"
#include "services/config.h"
#include "services/device_manager.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/print_ledger.h"
#include "services/transaction_engine.h"

namespace smzc::services {

/// Where a terminal keeps the keyring (issuing keys) of its home backend (`region` empty) or of
/// a partner region's backend: beside the catalogue cache.
std::filesystem::path keyring_cache(const Config& config, const std::string& region);

/// The keyring a terminal trusts now, for checking paper without a backend (kioskctl cert
/// verify, the kiosk's check screen): every cached keyring checked against the key configured
/// for its backend (a partner's only for its own region), merged. `fetch` first asks the
/// backends for fresh copies (and updates the caches).
Result<certs::Keyring> trusted_keyring(const Config& config, bool fetch);

/// The backend clients a configuration names: the home backend's and each partner region's, all
/// with the terminal's identity and mutual-TLS files.
struct BackendClients {
  std::unique_ptr<BackendClient> home;
  std::map<std::string, BackendClient> partners;  ///< by region code
  /// The client for items of `region_code`: its partner's, or the home backend's.
  const BackendClient& for_region(const std::string& region_code) const;
};
BackendClients backend_clients(const Config& config);

class Terminal {
 public:
  /// What may be handed in instead of being built from the configuration.
  struct Parts {
    /// The engine's clock; none: the system clock. Must outlive the terminal.
    const Clock* clock = nullptr;
    /// Devices made elsewhere (fakes, or drivers a test opened), used instead of the
    /// configuration's `devices`.
    std::vector<std::unique_ptr<Device>> devices;
    /// Roles of cameras among `devices` by id ("face" or "document"); unnamed: face.
    std::map<std::string, std::string> roles;
    /// The kiosk makes its data key on first start; kioskctl never does (a new key could not
    /// open what the old one sealed).
    bool create_data_key = true;
    DeviceManager::Options device_options;
    /// The face check's challenge drawn from this seed (the demo and tests script a person who
    /// follows it); none: at random.
    std::optional<unsigned> challenge_seed;
  };

  /// Opens everything the configuration names; devices are made but not polled until
  /// start_devices(). A terminal needs a card reader and a printer (absent is fine; missing
  /// from the configuration is not).
  static Result<std::unique_ptr<Terminal>> open(Config config, Parts parts);
  static Result<std::unique_ptr<Terminal>> open(Config config) {
    return open(std::move(config), Parts{});
  }
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  /// Polls every device once, then keeps supervising them on the manager's thread.
  void start_devices() { devices_->start(); }

  const Config& config() const { return config_; }
  Journal& journal() { return *journal_; }
  PrintLedger& ledger() { return *ledger_; }
  ForwardQueue& queue() { return *queue_; }
  BackendClient& backend() { return *clients_.home; }
  const certs::Sm2Key& issuer_key() const { return issuer_key_; }
  DeviceManager& devices() { return *devices_; }
  TransactionEngine& engine() { return *engine_; }
  /// The chip photo's decoder as configured (face.photo_decoder): "loaded LIBRARY", "none
  /// configured", or why it could not be loaded. What `kioskctl status` says of it.
  const std::string& photo_decoder_state() const { return photo_decoder_state_; }

 private:
  Terminal() = default;
  Config config_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<PrintLedger> ledger_;
  certs::DataKey data_key_;
  std::unique_ptr<ForwardQueue> queue_;
  certs::Sm2Key issuer_key_;
  BackendClients clients_;
  std::map<std::string, certs::Sm2Key> partner_keys_;
  std::unique_ptr<DeviceManager> devices_;
  std::unique_ptr<idcard::VendorPhotoDecoder> photo_decoder_;
  std::string photo_decoder_state_;
  std::unique_ptr<face::Plugin> matcher_plugin_, liveness_plugin_;
  std::unique_ptr<TransactionEngine> engine_;
};

}  // namespace smzc::services
