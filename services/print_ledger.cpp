#include "services/print_ledger.h"

#include "base/sqlite_statement.h"

#include <ostream>

namespace smzc::services {
namespace {

constexpr const char* kColumns =
    "SELECT serial, txn, printer_uri, job_id, state, attempts, note FROM print_ledger ";

constexpr PrintState kStates[] = {PrintState::kClaimed,          PrintState::kSending,
                                  PrintState::kSubmitted,        PrintState::kCompleted,
                                  PrintState::kNotPrinted,       PrintState::kUnknown,
                                  PrintState::kReprintAuthorised};

LedgerEntry read_entry(const Statement& s) {
  // A state this build does not know (a newer one wrote it) is treated as unknown: never
  // printed again without a technician.
  return LedgerEntry{s.text(0),
                     s.text(1),
                     s.text(2),
                     static_cast<int>(s.integer(3)),
                     print_state_from_string(s.text(4)).value_or(PrintState::kUnknown),
                     static_cast<int>(s.integer(5)),
                     s.text(6)};
}

}  // namespace

const char* to_string(PrintState state) {
  switch (state) {
    case PrintState::kClaimed:
      return "claimed";
    case PrintState::kSending:
      return "sending";
    case PrintState::kSubmitted:
      return "submitted";
    case PrintState::kCompleted:
      return "completed";
    case PrintState::kNotPrinted:
      return "not-printed";
    case PrintState::kUnknown:
      return "unknown";
    case PrintState::kReprintAuthorised:
      return "reprint-authorised";
  }
  return "unknown";
}

std::optional<PrintState> print_state_from_string(std::string_view name) {
  return from_string(name, kStates);
}

std::ostream& operator<<(std::ostream& out, PrintState state) {
  return out << to_string(state);
}

Result<std::unique_ptr<PrintLedger>> PrintLedger::open(const std::filesystem::path& path) {
  auto db =
      open_database(path, "print ledger",
                    {"CREATE TABLE IF NOT EXISTS print_ledger ("
                     "  serial TEXT PRIMARY KEY, txn TEXT NOT NULL, printer_uri TEXT NOT NULL,"
                     "  job_id INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,"
                     "  attempts INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',"
                     "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()));"});
  if (!db) return db.error();
  return std::unique_ptr<PrintLedger>(new PrintLedger(db.value()));
}

PrintLedger::~PrintLedger() {
  sqlite3_close(db_);
}

Result<std::optional<LedgerEntry>> PrintLedger::find(const std::string& serial) const {
  Statement s(db_, std::string(kColumns) + "WHERE serial = ?");
  s.bind(1, serial);
  int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<LedgerEntry>(read_entry(s));
  if (rc == SQLITE_DONE) return std::optional<LedgerEntry>();
  return db_error(db_, "print ledger read");
}

Status PrintLedger::claim(const std::string& serial, const std::string& txn,
                          const std::string& printer_uri) {
  // One statement decides, so two terminals' processes cannot both claim the same serial.
  Statement s(db_,
              "INSERT INTO print_ledger(serial, txn, printer_uri, state, attempts) "
              "VALUES (?, ?, ?, 'claimed', 1) "
              "ON CONFLICT(serial) DO UPDATE SET txn = excluded.txn, "
              "  printer_uri = excluded.printer_uri, state = 'claimed', job_id = 0, "
              "  attempts = attempts + 1, note = '', updated_at = unixepoch() "
              "WHERE state IN ('not-printed', 'reprint-authorised')");
  s.bind(1, serial).bind(2, txn).bind(3, printer_uri);
  if (s.step() != SQLITE_DONE) return db_error(db_, "print ledger write");
  if (sqlite3_changes(db_) == 1) return ok_status();
  auto existing = find(serial);
  if (!existing) return existing.error();
  const PrintState state = existing.value() ? existing.value()->state : PrintState::kClaimed;
  if (state == PrintState::kCompleted)
    return Error{Completion::kUserError, "certificate " + serial + " was printed already"};
  if (state == PrintState::kUnknown)
    return Error{Completion::kUserError, "certificate " + serial +
                                             ": an earlier print's outcome is unknown; a "
                                             "technician must authorise a reprint"};
  return Error{Completion::kUserError,
               "certificate " + serial + " is being printed (" + to_string(state) + ")"};
}

Status PrintLedger::set_state(const std::string& serial, PrintState state, const std::string& note,
                              const char* allowed_from) {
  Statement s(db_, std::string("UPDATE print_ledger SET state = ?, note = ?, "
                               "updated_at = unixepoch() WHERE serial = ? AND state IN (") +
                       allowed_from + ")");
  s.bind(1, to_string(state)).bind(2, note).bind(3, serial);
  if (s.step() != SQLITE_DONE) return db_error(db_, "print ledger write");
  if (sqlite3_changes(db_) != 1)
    return Error{Completion::kInvalidData, "certificate " + serial + " cannot become " +
                                               to_string(state) + " from its state"};
  return ok_status();
}

Status PrintLedger::mark_sending(const std::string& serial) {
  return set_state(serial, PrintState::kSending, "", "'claimed'");
}

Status PrintLedger::record_job(const std::string& serial, int job_id) {
  Statement s(db_,
              "UPDATE print_ledger SET state = 'submitted', job_id = ?, updated_at = unixepoch() "
              "WHERE serial = ? AND state IN ('claimed', 'sending')");
  s.bind(1, job_id).bind(2, serial);
  if (s.step() != SQLITE_DONE) return db_error(db_, "print ledger write");
  if (sqlite3_changes(db_) != 1)
    return Error{Completion::kInvalidData, "certificate " + serial + " was not claimed"};
  return ok_status();
}

Status PrintLedger::finish(const std::string& serial, PrintState state, const std::string& note) {
  if (state != PrintState::kCompleted && state != PrintState::kNotPrinted &&
      state != PrintState::kUnknown)
    return Error{Completion::kInvalidData,
                 std::string("not a final print state: ") + to_string(state)};
  return set_state(serial, state, note, "'claimed', 'sending', 'submitted'");
}

Status PrintLedger::authorise_reprint(const std::string& serial, const std::string& who,
                                      const std::string& why) {
  if (who.empty() || why.empty())
    return Error{Completion::kInvalidData, "a reprint needs who authorised it and why"};
  return set_state(serial, PrintState::kReprintAuthorised, "reprint by " + who + ": " + why,
                   "'completed', 'unknown'");
}

Result<std::vector<LedgerEntry>> PrintLedger::unfinished() const {
  return where("state IN ('claimed', 'sending', 'submitted')");
}

Result<std::vector<LedgerEntry>> PrintLedger::unknown() const {
  return where("state = 'unknown'");
}

Result<std::vector<LedgerEntry>> PrintLedger::where(const char* condition) const {
  Statement s(db_, std::string(kColumns) + "WHERE " + condition + " ORDER BY serial");
  std::vector<LedgerEntry> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_entry(s));
  if (rc != SQLITE_DONE) return db_error(db_, "print ledger read");
  return out;
}

}  // namespace smzc::services
