// Printers reached over IPP through libcups: a CUPS queue or an IPP Everywhere printer.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "drivers/common/status.h"

namespace smzc::printer {

/// What the printer says about itself (printer-state and printer-state-reasons).
struct PrinterStatus {
  DeviceState state = DeviceState::kOffline;
  std::string ipp_state;             ///< "idle", "processing", "stopped"
  std::vector<std::string> reasons;  ///< printer-state-reasons, "none" removed
  std::vector<std::string> formats;  ///< document-format-supported
  std::string message;               ///< printer-state-message
};

/// Where a job stands (job-state and job-state-reasons).
struct JobStatus {
  int job_id = 0;
  std::string state;  ///< "pending", "processing", "completed", "aborted", "canceled", ...
  std::vector<std::string> reasons;
  bool final() const { return state == "completed" || state == "aborted" || state == "canceled"; }
};

/// One IPP printer, by URI: ipp://host:port/ipp/print, ipps://..., or ipp://localhost/printers/Q
/// for a CUPS queue. Each call opens its own connection, so one object may serve several threads.
class IppPrinter {
 public:
  explicit IppPrinter(std::string uri, std::string user = "kiosk");

  const std::string& uri() const { return uri_; }
  Result<PrinterStatus> status() const;
  /// Sends a PDF as one job (Print-Job) and returns its job id.
  Result<int> submit(const std::filesystem::path& pdf, const std::string& job_name) const;
  Result<JobStatus> job_status(int job_id) const;
  /// Polls the job until it reaches a final state or `timeout` passes.
  Result<JobStatus> wait_for_job(int job_id, std::chrono::milliseconds timeout) const;

 private:
  std::string uri_;
  std::string user_;
};

}  // namespace smzc::printer
