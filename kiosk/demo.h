// Demo mode: the kiosk on simulated devices — the reader simulator on a pty, CUPS's ippeveprinter
// and the reference backend — started for the demo and stopped after.
#pragma once

#include <filesystem>
#include <memory>

#include "base/process.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/config.h"

namespace smzc::kiosk {

class DemoEnvironment {
 public:
  /// Starts every simulated part; writes logs and the printer spool below `out_dir`.
  static Result<std::unique_ptr<DemoEnvironment>> start(const std::filesystem::path& out_dir);

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
