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
constexpr const char* kKeyedPrefix = "k1:";

}  // namespace

std::string chain_hash(const std::string& previous_hash, const JournalEntry& e,
                       const std::string& key) {
  const std::string material = previous_hash + '\n' + std::to_string(e.seq) + '\n' +
                               e.transaction_id + '\n' + e.step + '\n' + e.detail + '\n' +
                               std::to_string(e.at_ms);
  if (key.empty()) return certs::sm3_hex(material);
  return kKeyedPrefix + certs::to_hex(certs::hmac_sm3(key, material));
}

Result<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& path,
                                               std::string chain_key) {
  auto db =
      open_database(path, "journal",
                    {"CREATE TABLE IF NOT EXISTS journal ("
                     "  seq INTEGER PRIMARY KEY, txn TEXT NOT NULL, step TEXT NOT NULL,"
                     "  detail TEXT NOT NULL, at_ms INTEGER NOT NULL, hash TEXT NOT NULL);"
                     "CREATE INDEX IF NOT EXISTS journal_txn ON journal(txn);"
                     // Append-only: the database itself refuses edits and deletions.
                     "CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal "
                     "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
                     "CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal "
                     "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
                     "CREATE TABLE IF NOT EXISTS journal_meta ("
                     "  name TEXT PRIMARY KEY, value TEXT NOT NULL);"});
  if (!db) return db.error();
  std::unique_ptr<Journal> journal(new Journal(db.value(), std::move(chain_key)));
  Statement last(db.value(), "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  if (last.step() == SQLITE_ROW) {
    journal->last_seq_ = last.integer(0);
    journal->last_hash_ = last.text(1);
  }
  return journal;
}

Result<JournalCounts> count_journal(const std::filesystem::path& path) {
  JournalCounts counts;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return counts;
  sqlite3* db = nullptr;
  const std::string uri = path.string();
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Error e = db_error(db, "journal " + uri);
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 2000);  // a writer's commit is short
  {
    Statement txns(db, "SELECT count(DISTINCT txn) FROM journal");
    if (txns.step() == SQLITE_ROW) counts.transactions = txns.integer(0);
    Statement steps(db, "SELECT step, count(*) FROM journal GROUP BY step");
    while (steps.step() == SQLITE_ROW) counts.steps[steps.text(0)] = steps.integer(1);
  }
  sqlite3_close(db);
  return counts;
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
  if (!key_.empty() && last_hash_.rfind(kKeyedPrefix, 0) != 0)
    if (auto s = record_plain_prefix(); !s) return s;
  Statement max(db_, "SELECT COALESCE(MAX(seq), 0) FROM journal");
  if (max.step() != SQLITE_ROW) return db_error(db_, "journal read");
  JournalEntry e{max.integer(0) + 1, txn, step, detail_json, unix_time_ms(), {}};
  {
    std::lock_guard lock(head_mutex_);
    e.hash = chain_hash(last_hash_, e, key_);
  }
  Statement insert(db_,
                   "INSERT INTO journal(seq, txn, step, detail, at_ms, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, e.seq).bind(2, e.transaction_id).bind(3, e.step).bind(4, e.detail);
  insert.bind(5, e.at_ms).bind(6, e.hash);
  if (insert.step() != SQLITE_DONE) return db_error(db_, "journal write");
  {
    std::lock_guard lock(head_mutex_);
    last_seq_ = e.seq;
    last_hash_ = e.hash;
  }
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

Result<ChainReport> Journal::verify() const {
  Statement s(db_, std::string(kSelect) + "ORDER BY seq");
  std::string previous;
  ChainReport report;
  bool keyed_seen = false;
  // How far plain links may go: the key's record of the older journal, when it checks out.
  int64_t plain_until = 0;
  std::string plain_until_hash;
  if (!key_.empty()) {
    Statement marker(db_, "SELECT value FROM journal_meta WHERE name = 'plain_prefix'");
    if (marker.step() == SQLITE_ROW) {
      const std::string value = marker.text(0);
      const auto last = value.rfind(':');
      const std::string record = last == std::string::npos ? "" : value.substr(0, last);
      if (last != std::string::npos && value.substr(last + 1) == prefix_mac(record).substr(3)) {
        const auto colon = record.find(':');
        plain_until = std::stoll(record.substr(0, colon));
        plain_until_hash = record.substr(colon + 1);
      }
    }
  }
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    JournalEntry e = read_entry(s);
    const std::string where = "journal entry " + std::to_string(e.seq);
    const bool keyed = e.hash.rfind(kKeyedPrefix, 0) == 0;
    if (keyed && key_.empty())
      return Error{Completion::kUnsupported, where + " is keyed: checking it needs the data key"};
    // Plain links are only the older journal's, before keying began: one after a keyed link is
    // a rewrite by someone without the key.
    if (!keyed && keyed_seen)
      return Error{Completion::kInvalidData, where + " is not keyed, after keyed entries"};
    if (!keyed && !key_.empty() && (e.seq > plain_until || plain_until == 0))
      return Error{Completion::kInvalidData,
                   where + " is not keyed, and the key recorded no older journal up to it"};
    if (chain_hash(previous, e, keyed ? key_ : std::string()) != e.hash)
      return Error{Completion::kInvalidData, where + " does not match its hash"};
    if (!keyed && e.seq == plain_until && e.hash != plain_until_hash)
      return Error{Completion::kInvalidData,
                   where + " is not the older journal's last entry the key recorded"};
    keyed_seen = keyed_seen || keyed;
    if (!keyed) ++report.unkeyed;
    previous = e.hash;
    report.head_seq = e.seq;
    ++report.entries;
  }
  if (rc != SQLITE_DONE) return db_error(db_, "journal read");
  report.head_hash = previous;
  return report;
}

// Before the first keyed entry, the key's record of the plain links before it (how many, the last
// one's hash; none for a new journal) is kept beside the journal: later, plain links are accepted
// only up to there, so rewriting the journal with plain links does not pass. (Someone who also
// deletes the record and lets the terminal write again gets past this check; not past the anchor
// the backend keeps.)
Status Journal::record_plain_prefix() {
  Statement keyed(db_, "SELECT COUNT(*) FROM journal WHERE hash LIKE 'k1:%'");
  Statement marker(db_, "SELECT value FROM journal_meta WHERE name = 'plain_prefix'");
  if (keyed.step() != SQLITE_ROW) return db_error(db_, "journal read");
  if (keyed.integer(0) > 0 || marker.step() == SQLITE_ROW) return ok_status();
  const std::string record = std::to_string(last_seq_) + ":" + last_hash_;
  Statement insert(db_, "INSERT INTO journal_meta(name, value) VALUES ('plain_prefix', ?)");
  insert.bind(1, record + ":" + prefix_mac(record).substr(3));
  if (insert.step() != SQLITE_DONE) return db_error(db_, "journal write");
  return ok_status();
}

std::string Journal::prefix_mac(const std::string& record) const {
  return chain_hash("plain_prefix", JournalEntry{0, record, "", "", 0, {}}, key_);
}

Result<size_t> Journal::verify_chain() const {
  auto report = verify();
  if (!report) return report.error();
  return report->entries;
}

std::pair<int64_t, std::string> Journal::head() const {
  std::lock_guard lock(head_mutex_);
  return {last_seq_, last_hash_};
}

std::optional<std::string> Journal::hash_at(int64_t seq) const {
  Statement s(db_, "SELECT hash FROM journal WHERE seq = ?");
  s.bind(1, seq);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return s.text(0);
}

}  // namespace smzc::services
