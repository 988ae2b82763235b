// Printers reached over IPP through libcups: a CUPS queue or an IPP Everywhere printer.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "drivers/device.h"
#include "drivers/printer/reasons.h"

namespace smzc::printer {

/// What the printer says about itself (printer-state, printer-state-reasons, ...).
/// A consumable the printer reports: IPP Everywhere's printer-supply (with
/// printer-supply-description), or a CUPS queue's marker-* attributes.
struct Supply {
  std::string name;       ///< e.g. "Black Toner", "Ribbon"
  std::string type;       ///< toner, ink, ribbonWax, wasteToner, ...
  int level = -1;         ///< percent of capacity; -1 when the printer does not know
  bool fills_up = false;  ///< a receptacle that fills (waste toner), not a supply used up
  int low = 10;           ///< percent at which a supply counts as low (a receptacle: 100 - low)
  /// Low: time to bring a new one. Out: the printer cannot go on.
  bool is_low() const { return level >= 0 && (fills_up ? level >= 100 - low : level <= low); }
  bool is_out() const { return level >= 0 && (fills_up ? level >= 100 : level == 0); }
  bool operator==(const Supply&) const = default;
};

struct PrinterStatus {
  DeviceState state = DeviceState::kOffline;
  std::string ipp_state;             ///< "idle", "processing", "stopped"
  std::vector<Reason> reasons;       ///< printer-state-reasons, "none" left out
  std::vector<std::string> formats;  ///< document-format-supported
  std::vector<std::string> media_ready;
  std::vector<int> raster_dpi;            ///< pwg-raster-document-resolution-supported
  std::vector<std::string> raster_types;  ///< pwg-raster-document-type-supported
  std::string message;                    ///< printer-state-message
  std::vector<Supply> supplies;
  MediaState media = MediaState::kPaperOk;
  bool cover_open = false;

  /// Nothing stops a job from printing now.
  bool can_print() const {
    return state != DeviceState::kHardwareError && !blocking_reason(reasons);
  }
  /// The keyword of the first reason that stops printing ("media-jam"), empty when none.
  std::string blocking_keyword() const;
  /// Every reason, for the technician.
  std::string technician_message() const;
};

/// IPP's job-state (RFC 8011 §5.3.7); strings only at the IPP and JSON edges.
enum class JobState {
  kUnknown,
  kPending,
  kPendingHeld,
  kProcessing,
  kProcessingStopped,
  kCanceled,
  kAborted,
  kCompleted,
};
/// The IPP keyword: "pending-held", "completed", ...
const char* to_string(JobState state);
JobState job_state_from_string(std::string_view keyword);
std::ostream& operator<<(std::ostream& out, JobState state);

/// Where a job stands (job-state and job-state-reasons).
struct JobStatus {
  int job_id = 0;
  JobState state = JobState::kUnknown;
  std::vector<std::string> reasons;
  /// The printer's blocking reasons seen while the job ran (jam, paper out, cover open, ...).
  std::vector<Reason> printer_reasons;
  bool final() const {
    return state == JobState::kCompleted || state == JobState::kAborted ||
           state == JobState::kCanceled;
  }
  /// What went wrong, for a technician: the printer's reasons, then the job's own (all but
  /// "none" and "job-completed-successfully"), comma-separated; empty when nothing did.
  std::string problems() const;
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

/// A certificate or receipt printer. Media state: kPaperOk, kPaperLow, kPaperOut or kPaperJammed;
/// cover_open when a cover or door is open.
class Printer : public Device {
 public:
  explicit Printer(std::string id) : Device(std::move(id), DeviceKind::kPrinter) {}

  /// Asks the printer for its state now (and publishes it as the device's status).
  virtual Result<PrinterStatus> query() = 0;
  /// Sends a PDF as one job and returns its job id. kTimeout means the request went out but no
  /// answer came: whether a job exists is unknown. `known`: the printer's status as the caller
  /// just asked for it, to spare a second query.
  virtual Result<int> submit(const std::filesystem::path& pdf, const std::string& job_name,
                             const PrintOptions& options = {},
                             const PrinterStatus* known = nullptr) = 0;
  virtual Result<JobStatus> job_status(int job_id) = 0;
  virtual Status cancel_job(int job_id) = 0;
  /// Forgets a finished job: the printer deletes its document and its record. A CUPS queue keeps
  /// both for a day unless told (PreserveJobFiles), and the document is a citizen's certificate.
  /// Called once the job's outcome is recorded, since afterwards jobs_named() no longer finds it.
  /// A printer that keeps neither may refuse (client-error-not-possible), which is harmless.
  virtual Status purge_job(int job_id) = 0;
  /// Every job the printer still knows whose job-name is `name`, oldest first (the engine names
  /// jobs after the certificate serial, so recovery finds a job whose id was never recorded).
  virtual Result<std::vector<JobStatus>> jobs_named(const std::string& name) = 0;
  /// Follows the job until it reaches a final state, `deadline` passes (kTimeout) or `stop` is
  /// requested (kCanceled; the job is left as it is). When the printer reports a reason that
  /// stops printing while the job is unfinished, `policy` decides: kCancel cancels it and
  /// returns at once (state "canceled" once the printer confirms, or the job's state so far),
  /// kHold returns the unfinished job. Either way printer_reasons says what went wrong. A CUPS
  /// queue's "completed" while it reports a fault from its printer is an error (kHardwareError):
  /// whether the page came out is unknown.
  virtual Result<JobStatus> wait_for_job(int job_id, Deadline deadline, FaultPolicy policy,
                                         std::stop_token stop) = 0;
  /// The consumables as last queried (toner, ink, ribbon, waste); none when the printer reports
  /// none. Never blocks; any thread.
  virtual std::vector<Supply> supplies() const { return {}; }
};

/// One IPP printer, by URI: ipp://host:port/ipp/print, ipps://..., or ipp://localhost/printers/Q
/// for a CUPS queue. Each call opens its own connection, so one object may serve several threads.
/// Its device status follows every query (status, submit, job waits), and poll().
class IppPrinter final : public Printer {
 public:
  explicit IppPrinter(std::string uri, std::string id = "printer", std::string user = "kiosk");

  const std::string& uri() const { return uri_; }
  std::string address() const override { return uri_; }
  std::vector<std::string> capabilities() const override;
  Status self_test(Deadline deadline, std::stop_token stop) override;
  void poll(Deadline deadline) override;
  Result<PrinterStatus> query() override;
  Result<int> submit(const std::filesystem::path& pdf, const std::string& job_name,
                     const PrintOptions& options = {},
                     const PrinterStatus* known = nullptr) override;
  Result<JobStatus> job_status(int job_id) override;
  Status cancel_job(int job_id) override;
  Status purge_job(int job_id) override;
  Result<std::vector<JobStatus>> jobs_named(const std::string& name) override;
  Result<JobStatus> wait_for_job(int job_id, Deadline deadline, FaultPolicy policy,
                                 std::stop_token stop) override;
  /// The same, with a timeout from now and nobody to stop it (technicians' tools, tests).
  Result<JobStatus> wait_for_job(int job_id, std::chrono::milliseconds timeout,
                                 FaultPolicy policy = FaultPolicy::kCancel) {
    return wait_for_job(job_id, after(timeout), policy, {});
  }

  std::vector<Supply> supplies() const override;

 private:
  Result<PrinterStatus> ask_status() const;
  mutable std::mutex supplies_mutex_;
  std::vector<Supply> supplies_;  // as the last query found them
  std::string uri_;
  std::string user_;
  bool cups_queue_;  // uri_ is a CUPS queue's, not the printer's own
};

}  // namespace smzc::printer
