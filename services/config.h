// The terminal's configuration file (docs/configuration.md).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "base/mqtt.h"
#include "base/status.h"
#include "services/catalogue.h"
#include "services/device_manager.h"

namespace smzc::services {

struct Config {
  std::string terminal_id = "SMZC-DEV-0001";
  std::string backend_url = "http://127.0.0.1:8080";
  /// The terminal's devices (the `devices` section); the default is a SAM reader on a udev
  /// symlink and the CUPS queue for certificates.
  std::vector<DeviceSpec> devices = {
      {"reader", DeviceKind::kCardReader, "sam", "/dev/smzc-idcard", {}},
      {"printer", DeviceKind::kPrinter, "ipp", "ipp://localhost/printers/certificate", {}}};
  std::filesystem::path journal = "/var/lib/smzc/journal.db";
  std::filesystem::path work_dir = "/run/smzc";
  /// "cancel" or "hold" a job the printer stops on mid-way.
  std::string print_fault_policy = "cancel";
  /// The issuing backend's SM2 public key (PEM); certificates it did not sign are not printed.
  std::filesystem::path certificate_key = "/etc/smzc/issuer-public.pem";
  /// The last good catalogue, for starting (and serving) while the backend is unreachable.
  std::filesystem::path catalogue_cache = "/var/lib/smzc/catalogue.json";
  /// Store-and-forward applications wait here while the backend is unreachable.
  std::filesystem::path forward_queue = "/var/lib/smzc/queue.db";
  /// The 32-byte key that seals personal data at rest (made, owner-only, when missing).
  std::filesystem::path data_key = "/var/lib/smzc/data.key";
  /// How long a pending decision is waited for before the citizen is told it comes by SMS.
  int decision_timeout_ms = 5000;
  /// Where the terminal stands and what it offers (its `devices` come from `devices` above).
  SiteProfile site;
  /// A partner region's backend: its items are routed there.
  struct Partner {
    std::string backend_url;
    std::filesystem::path certificate_key;
  };
  std::map<std::string, Partner> partners;  ///< by region code
  /// Mutual TLS with the backends: the CA that signed their certificates, and this terminal's
  /// certificate and key. Empty: plain HTTP (development only).
  std::filesystem::path backend_ca;
  std::filesystem::path terminal_cert;
  std::filesystem::path terminal_key;
  /// Who may enter technician mode at the screen: a name (journaled with everything they do)
  /// and a PIN hash (services/technician.h). None: technician mode stays shut.
  struct Technician {
    std::string name;
    std::string pin;
  };
  std::vector<Technician> technicians;
  /// The rotated log files (kiosk.log, kiosk.1.log, ...) that `kioskctl logs` and bundles read.
  std::filesystem::path log_dir = "/var/log/smzc";
  /// How often the terminal reports its health (and at once on any device status change).
  int heartbeat_s = 60;
  /// 人证核验 (docs/cameras.md): who compares the face, with what, and the chip photo's decoder.
  struct Face {
    /// "local" (the terminal, against the card's chip photo), "platform" (the backend, against
    /// the register photo) or "both": the terminal refuses a clear mismatch before anything is
    /// sent, and the platform decides. An item may ask for its own (the catalogue's face_policy).
    std::string policy = "both";
    /// The converted models; empty: the installed ones (smzc-face-models).
    std::filesystem::path models;
    /// The distance at or under which two faces are the same person on the terminal; 0: the
    /// shipped threshold (face/face.h, with its evidence in docs/cameras.md).
    double threshold = 0;
    /// Actions in the liveness challenge (0 to 3).
    int challenge_actions = 2;
    /// The reader vendor's WLT library (drivers/idcard/vendor_photo.h); no library: no chip
    /// photo, and the local comparison falls back to the platform's.
    std::filesystem::path photo_library;
    std::string photo_symbol = "unpack";
    bool photo_bgr = true;
    bool photo_bottom_up = true;
    /// A certified face engine and liveness module (face/smzc_face_plugin.h), loaded with
    /// dlopen; none: the built-in ones.
    std::filesystem::path matcher_plugin;
    std::filesystem::path liveness_plugin;
  } face;
  /// The fleet's MQTT broker (docs/fleet.md); no host: the heartbeat goes to the backend only.
  struct Mqtt {
    /// Where the broker is (TLS with its CA; with cert and key, the terminal proves who it is).
    mqtt::Options broker{.host = ""};
    std::string topic_prefix = "smzc/v1";
  } mqtt;
};

/// Reads a JSON config; unknown keys and wrong types are errors that name the key.
Result<Config> load_config(const std::filesystem::path& path);
/// The same from JSON text; `where` names it in errors.
Result<Config> parse_config(const std::string& text, const std::string& where);

}  // namespace smzc::services
