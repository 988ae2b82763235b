// Scanners through SANE (libsane): flatbed pages and document-feeder batches for the materials a
// citizen brings on paper. SANE's statuses (jammed, cover open, no documents, busy, I/O error)
// become the common device status, so the UI words them like any other device's.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

#include "drivers/device.h"

namespace smzc::scanner {

/// What to scan.
struct ScanSettings {
  std::string mode = "Color";  ///< SANE's names: Color, Gray, Lineart
  int dpi = 150;
  bool feeder = false;  ///< take every page from the document feeder (ADF)
  /// The area in millimetres from the top-left corner: left, top, right, bottom; none: all.
  std::optional<std::array<double, 4>> area;
  int max_pages = 50;  ///< a feeder batch stops here
};

/// One scanned page: 8-bit grey or BGR pixels.
struct ScannedPage {
  cv::Mat image;
  int dpi = 0;
};

/// A scanner's interface. One scan at a time; a scan in progress is cancelled by `stop` or its
/// deadline (the device is told to stop, and the pages so far are dropped).
class Scanner : public Device {
 public:
  using Device::Device;
  /// Scans one page (flatbed), or every page in the feeder. A feeder that runs out after at
  /// least one page ends the batch normally; an empty feeder is kUserError "no documents".
  virtual Result<std::vector<ScannedPage>> scan(const ScanSettings& settings, Deadline deadline,
                                                std::stop_token stop) = 0;
};

/// A scanner SANE knows.
struct SaneDeviceInfo {
  std::string name;  ///< SANE's device name, e.g. "test:0", "genesys:libusb:001:004"
  std::string vendor, model, type;
};

/// Every scanner SANE finds now (local devices only: no network scanner is a terminal's).
Result<std::vector<SaneDeviceInfo>> list_sane_devices();

/// A scanner by its SANE device name. SANE is not safe across threads, so every SANE call in the
/// process is made under one lock; the device stays closed between scans.
class SaneScanner final : public Scanner {
 public:
  /// `backend_options` are SANE options set before each scan (name → value as scanimage takes
  /// them), for a model's own settings — and for the test backend's forced faults.
  SaneScanner(std::string id, std::string device_name,
              std::map<std::string, std::string> backend_options = {});
  ~SaneScanner() override;

  std::vector<std::string> capabilities() const override;
  std::string address() const override { return device_name_; }
  /// Opens the device and reads its options.
  Status self_test(Deadline deadline, std::stop_token stop) override;
  /// Whether SANE still lists the device.
  void poll(Deadline deadline) override;
  Result<std::vector<ScannedPage>> scan(const ScanSettings& settings, Deadline deadline,
                                        std::stop_token stop) override;

  /// Sets (or, with an empty value, forgets) one backend option for the scans that follow.
  void set_backend_option(const std::string& name, const std::string& value);

 private:
  const std::string device_name_;
  std::mutex mutex_;  // guards backend_options_
  std::map<std::string, std::string> backend_options_;
};

}  // namespace smzc::scanner
