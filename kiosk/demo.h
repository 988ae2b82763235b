// Demo mode: the kiosk on simulated devices — the reader simulator on a pty, CUPS's ippeveprinter
// and the reference backend — started for the demo and stopped after.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/process.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/config.h"

namespace smzc::kiosk {

/// A backend the demo uses instead of starting its own (a packaged one, started by its unit).
/// It must have been started with --public-key-out `issuer_key` and --demo-eid-for the demo
/// resident with --demo-eid-out `eid_code`, and trust the CA of `pki`, whose terminal.pem names
/// the demo terminal (SMZC-DEMO-0001), as packaging/make-dev-pki.sh makes it.
struct ExternalBackend {
  std::string url;
  std::filesystem::path pki;  ///< ca.pem, terminal.pem, terminal.key
  std::filesystem::path issuer_key;
  std::filesystem::path eid_code;
};

/// The seed the demo terminal draws its face-check challenges from, so that the recorded person
/// at the simulated camera can follow them (a real terminal draws them at random).
inline constexpr unsigned kDemoChallengeSeed = 11;

class DemoEnvironment {
 public:
  /// Starts every simulated part, and the reference backend unless `external` names one; writes
  /// logs and the printer spool below `out_dir`.
  /// `impostor`: someone else than the card's holder stands at the face camera.
  static Result<std::unique_ptr<DemoEnvironment>> start(
      const std::filesystem::path& out_dir, const std::optional<ExternalBackend>& external = {},
      bool impostor = false);

  /// A config that points the kiosk at the simulated parts.
  const services::Config& config() const { return config_; }
  idcard::ReaderSimulator& reader() { return *reader_; }
  printer::IppEvePrinter& printer() { return *printer_; }
  /// The demo citizen's card (drivers/idcard/sim/cards/resident.json).
  const idcard::IdentityCard& card() const { return card_; }

 private:
  DemoEnvironment() = default;
  services::Config config_;
  idcard::IdentityCard card_;
  std::unique_ptr<idcard::ReaderSimulator> reader_;
  std::unique_ptr<printer::IppEvePrinter> printer_;
  std::optional<ChildProcess> backend_;
  std::string face_source_;
};

}  // namespace smzc::kiosk
