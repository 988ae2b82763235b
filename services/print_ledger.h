// The print ledger: certificate serial → job → final state, so a certificate prints exactly once.
// A reprint is an explicit, authorised act (authorise_reprint), never a retry's side effect.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct sqlite3;

namespace smzc::services {

/// Where one certificate's printing stands. Stored as the spelling to_string() gives.
enum class PrintState {
  kClaimed,            ///< the right to print taken; nothing has gone to the printer
  kSending,            ///< the job is on its way: from here a page may come out
  kSubmitted,          ///< the printer has job_id
  kCompleted,          ///< printed
  kNotPrinted,         ///< the attempt ended without paper: a retry may print
  kUnknown,            ///< contact was lost mid-job: only an authorised reprint may print again
  kReprintAuthorised,  ///< a technician allowed one more print
};
const char* to_string(PrintState state);
std::optional<PrintState> print_state_from_string(std::string_view name);
std::ostream& operator<<(std::ostream& out, PrintState state);

/// What the ledger knows of one certificate's printing.
struct LedgerEntry {
  std::string serial;
  std::string transaction_id;
  std::string printer_uri;
  int job_id = 0;  ///< 0 until the printer accepted a job
  PrintState state = PrintState::kClaimed;
  int attempts = 0;
  std::string note;
};

class PrintLedger {
 public:
  static Result<std::unique_ptr<PrintLedger>> open(const std::filesystem::path& path);
  ~PrintLedger();
  PrintLedger(const PrintLedger&) = delete;
  PrintLedger& operator=(const PrintLedger&) = delete;

  Result<std::optional<LedgerEntry>> find(const std::string& serial) const;
  /// Takes the right to print `serial` now. Refused (kUserError, saying why) when it printed
  /// already, when an earlier attempt's fate is unknown, or when another attempt is under way.
  Status claim(const std::string& serial, const std::string& transaction_id,
               const std::string& printer_uri);
  /// The job is about to go out (written before Print-Job is sent): an attempt that dies from
  /// here on may have printed, so recovery that finds no job calls it unknown, not not-printed.
  Status mark_sending(const std::string& serial);
  Status record_job(const std::string& serial, int job_id);
  /// Ends the current attempt: kCompleted, kNotPrinted or kUnknown.
  Status finish(const std::string& serial, PrintState state, const std::string& note);
  /// Lets a certificate that printed (or whose fate is unknown) print once more.
  Status authorise_reprint(const std::string& serial, const std::string& who,
                           const std::string& why);
  /// Attempts that never ended (claimed, sending or submitted): what start-up recovery
  /// reconciles.
  Result<std::vector<LedgerEntry>> unfinished() const;
  /// Certificates whose print is unknown: what a technician may authorise to print again.
  Result<std::vector<LedgerEntry>> unknown() const;

 private:
  explicit PrintLedger(sqlite3* db) : db_(db) {}
  // Entries matching a fixed SQL condition (never outside input), by serial.
  Result<std::vector<LedgerEntry>> where(const char* condition) const;
  Status set_state(const std::string& serial, PrintState state, const std::string& note,
                   const char* allowed_from);
  sqlite3* db_;
};

}  // namespace smzc::services
