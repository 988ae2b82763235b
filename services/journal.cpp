#include "services/journal.h"

#include <cstdio>
#include <random>

#include "base/clock.h"
#include "base/sqlite_statement.h"
#include "certs/signing.h"

namespace smzc::services {
namespace {

JournalEntry read_entry(const Statement& s) {
  return JournalEntry{s.integer(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.text(5)};
}

constexpr const char* kSelect = "SELECT seq, txn, step, detail, at_ms, hash FROM journal ";

}  // namespace

std::string chain_hash(const std::string& previous_hash, const JournalEntry& e) {
  const std::string material = previous_hash + '\n' + std::to_string(e.seq) + '\n' +
                               e.transaction_id + '\n' + e.step + '\n' + e.detail + '\n' +
                               std::to_string(e.at_ms);
  return certs::sm3_hex(material);
}

Result<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& path) {
  auto db = open_database(path, "journal",
                          "CREATE TABLE IF NOT EXISTS journal ("
                          "  seq INTEGER PRIMARY KEY, txn TEXT NOT NULL, step TEXT NOT NULL,"
                          "  detail TEXT NOT NULL, at_ms INTEGER NOT NULL, hash TEXT NOT NULL);"
                          "CREATE INDEX IF NOT EXISTS journal_txn ON journal(txn);"
                          // Append-only: the database itself refuses edits and deletions.
                          "CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal "
                          "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
                          "CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal "
                          "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;");
  if (!db) return db.error();
  std::unique_ptr<Journal> journal(new Journal(db.value()));
  Statement last(db.value(), "SELECT hash FROM journal ORDER BY seq DESC LIMIT 1");
  if (last.step() == SQLITE_ROW) journal->last_hash_ = last.text(0);
  return journal;
}

Journal::~Journal() {
  sqlite3_close(db_);
}

std::string Journal::new_transaction_id() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  char id[48];
  std::snprintf(id, sizeof id, "T%013lld-%04x%04x", static_cast<long long>(unix_time_ms()),
                ++id_counter_ & 0xFFFF, static_cast<unsigned>(rng() & 0xFFFF));
  return id;
}

Status Journal::append(const std::string& txn, const std::string& step,
                       const std::string& detail_json) {
  Statement max(db_, "SELECT COALESCE(MAX(seq), 0) FROM journal");
  if (max.step() != SQLITE_ROW) return db_error(db_, "journal read");
  JournalEntry e{max.integer(0) + 1, txn, step, detail_json, unix_time_ms(), {}};
  e.hash = chain_hash(last_hash_, e);
  Statement insert(db_,
                   "INSERT INTO journal(seq, txn, step, detail, at_ms, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, e.seq).bind(2, e.transaction_id).bind(3, e.step).bind(4, e.detail);
  insert.bind(5, e.at_ms).bind(6, e.hash);
  if (insert.step() != SQLITE_DONE) return db_error(db_, "journal write");
  last_hash_ = e.hash;
  if (observer_) observer_(e);
  return ok_status();
}

Result<std::vector<JournalEntry>> Journal::entries(const std::string& txn) const {
  Statement s(db_, std::string(kSelect) + "WHERE txn = ? ORDER BY seq");
  s.bind(1, txn);
  std::vector<JournalEntry> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_entry(s));
  if (rc != SQLITE_DONE) return db_error(db_, "journal read");
  return out;
}

Result<std::vector<std::string>> Journal::transaction_ids() const {
  Statement s(db_, "SELECT txn FROM journal GROUP BY txn ORDER BY MIN(seq)");
  std::vector<std::string> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.text(0));
  if (rc != SQLITE_DONE) return db_error(db_, "journal read");
  return out;
}

Result<std::vector<JournalEntry>> Journal::interrupted_steps() const {
  // The last entry of each transaction, when it is a begin with nothing after it.
  Statement s(db_, std::string(kSelect) +
                       "WHERE seq IN (SELECT MAX(seq) FROM journal GROUP BY txn) "
                       "AND step LIKE '%.begin' ORDER BY seq");
  std::vector<JournalEntry> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_entry(s));
  if (rc != SQLITE_DONE) return db_error(db_, "journal read");
  return out;
}

Result<size_t> Journal::verify_chain() const {
  Statement s(db_, std::string(kSelect) + "ORDER BY seq");
  std::string previous;
  size_t count = 0;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    JournalEntry e = read_entry(s);
    if (chain_hash(previous, e) != e.hash)
      return Error{Completion::kInvalidData,
                   "journal entry " + std::to_string(e.seq) + " does not match its hash"};
    previous = e.hash;
    ++count;
  }
  if (rc != SQLITE_DONE) return db_error(db_, "journal read");
  return count;
}

}  // namespace smzc::services
