// Printers reached over IPP through libcups: a CUPS queue or an IPP Everywhere printer.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "drivers/common/status.h"
#include "drivers/printer/reasons.h"

namespace smzc::printer {

/// What the printer says about itself (printer-state, printer-state-reasons, ...).
struct PrinterStatus {
  DeviceState state = DeviceState::kOffline;
  std::string ipp_state;             ///< "idle", "processing", "stopped"
  std::vector<Reason> reasons;       ///< printer-state-reasons, "none" left out
  std::vector<std::string> formats;  ///< document-format-supported
  std::vector<std::string> media_ready;
  std::vector<int> raster_dpi;            ///< pwg-raster-document-resolution-supported
  std::vector<std::string> raster_types;  ///< pwg-raster-document-type-supported
  std::string message;                    ///< printer-state-message
  MediaState media = MediaState::kOk;
  bool cover_open = false;

  /// Nothing stops a job from printing now.
  bool can_print() const {
    return state != DeviceState::kHardwareError && !blocking_reason(reasons);
  }
  /// Why it cannot print, for the citizen; empty when it can.
  std::string citizen_message() const;
  /// Every reason, for the technician.
  std::string technician_message() const;
};

/// Where a job stands (job-state and job-state-reasons).
struct JobStatus {
  int job_id = 0;
  std::string state;  ///< "pending", "pending-held", "processing", "processing-stopped",
                      ///< "canceled", "aborted", "completed"
  std::vector<std::string> reasons;
  /// The printer's blocking reasons seen while the job ran (jam, paper out, cover open, ...).
  std::vector<Reason> printer_reasons;
  bool final() const { return state == "completed" || state == "aborted" || state == "canceled"; }
};

/// How a job is to be printed.
struct PrintOptions {
  int copies = 1;
  std::string media = "iso_a4_210x297mm";  ///< a PWG media name; a receipt roll is e.g.
                                           ///< "roll_max_80x3276mm"
  bool landscape = false;
};

/// What to do with a job when the printer stops mid-job (jam, paper out, cover open).
enum class FaultPolicy {
  kCancel,  ///< cancel it: the certificate was not printed, a later retry prints it whole
  kHold,    ///< leave it with the printer, to finish once a technician clears the fault
  kWait,    ///< keep waiting for a final state whatever the printer reports (reconciliation)
};

/// One IPP printer, by URI: ipp://host:port/ipp/print, ipps://..., or ipp://localhost/printers/Q
/// for a CUPS queue. Each call opens its own connection, so one object may serve several threads.
class IppPrinter {
 public:
  explicit IppPrinter(std::string uri, std::string user = "kiosk");

  const std::string& uri() const { return uri_; }
  Result<PrinterStatus> status() const;
  /// Sends a PDF as one job (Print-Job) and returns its job id. The document format follows the
  /// printer's document-format-supported: the PDF itself, or else PWG raster rendered from it;
  /// a printer that takes neither is refused before anything is sent.
  /// kTimeout means the request went out but no answer came: whether a job exists is unknown.
  /// `known`: the printer's status as the caller just asked for it, to spare a second query.
  Result<int> submit(const std::filesystem::path& pdf, const std::string& job_name,
                     const PrintOptions& options = {}, const PrinterStatus* known = nullptr) const;
  Result<JobStatus> job_status(int job_id) const;
  Status cancel_job(int job_id) const;
  /// Every job the printer still knows whose job-name is `name` (the engine names jobs after the
  /// certificate serial, so recovery can find a job whose id was never recorded), oldest first.
  Result<std::vector<JobStatus>> jobs_named(const std::string& name) const;
  /// Polls the job until it reaches a final state or `timeout` passes. When the printer reports a
  /// reason that stops printing while the job is unfinished, `policy` decides: kCancel cancels it
  /// and returns at once (state "canceled" once the printer confirms, or the job's state so far),
  /// kHold returns the unfinished job. Either way printer_reasons says what went wrong.
  Result<JobStatus> wait_for_job(int job_id, std::chrono::milliseconds timeout,
                                 FaultPolicy policy = FaultPolicy::kCancel) const;

 private:
  std::string uri_;
  std::string user_;
};

}  // namespace smzc::printer
