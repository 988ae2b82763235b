#include "backend/application_store.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "base/sqlite_statement.h"
#include "certs/signing.h"

namespace smzc::backend {

std::string ApplicationStore::applicant_index(std::string_view id_number) const {
  return certs::to_hex(certs::hmac_sm3(key_.derive("smzc applicant index v1"), id_number));
}

Result<std::pair<std::string, std::string>> ApplicationStore::seal(const Application& a) const {
  auto request = key_.seal(a.request_body, "request:" + a.id);
  if (!request) return request.error();
  auto certificate = seal_certificate(a.id, a.certificate);
  if (!certificate) return certificate.error();
  return std::pair{request.value(), certificate.value()};
}

Result<std::string> ApplicationStore::seal_certificate(const std::string& id,
                                                       const std::string& certificate) const {
  if (certificate.empty()) return std::string();
  return key_.seal(certificate, "certificate:" + id);
}

std::vector<Result<Application>> ApplicationStore::insert_or_get_all(
    std::vector<NewApplication>& batch) {
  const auto all_failed = [&](const Error& e) {
    return std::vector<Result<Application>>(batch.size(), e);
  };
  std::vector<std::pair<std::string, std::string>> sealed;
  for (const auto& one : batch) {
    auto s = seal(*one.app);
    if (!s) return all_failed(s.error());
    sealed.push_back(std::move(s.value()));
  }
  // Rows are written in the order of their keys and then anchors in the order of their owners,
  // so two instances' transactions on one PostgreSQL database take their row locks in one order
  // and cannot deadlock.
  std::vector<size_t> order(batch.size());
  std::iota(order.begin(), order.end(), 0);
  const auto key_of = [&](size_t i) { return owned_key(batch[i].app->owner, batch[i].app->key); };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key_of(a) < key_of(b); });
  if (auto s = begin(); !s) return all_failed(s.error());
  const auto failed = [&](const Error& e) {
    rollback();
    return all_failed(e);
  };
  std::vector<std::optional<Application>> kept(batch.size());
  for (size_t i : order) {
    auto row = insert_sealed(*batch[i].app, sealed[i]);
    if (!row) return failed(row.error());
    kept[i] = std::move(row.value());
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return batch[a].app->owner < batch[b].app->owner; });
  for (size_t i : order) {
    if (kept[i]->id != batch[i].app->id || !batch[i].anchor) continue;
    auto anchored = record_anchor(*batch[i].anchor);
    if (!anchored) return failed(anchored.error());
    batch[i].anchor_went_back = !anchored.value();
  }
  if (auto s = commit(); !s) return failed(s.error());
  std::vector<Result<Application>> answers;
  for (auto& row : kept) answers.emplace_back(std::move(*row));
  return answers;
}

Application ApplicationStore::opened(Application a) const {
  if (const auto nl = a.key.find('\n'); nl != std::string::npos) a.key.erase(0, nl + 1);
  auto request = key_.open(a.request_body, "request:" + a.id);
  a.request_body = request ? request.value() : "";
  if (!a.certificate.empty()) {
    auto cert = key_.open(a.certificate, "certificate:" + a.id);
    a.certificate = cert ? cert.value() : "";
  }
  return a;
}

namespace {

// One backend's store in a SQLite file.
class SqliteApplicationStore final : public ApplicationStore {
 public:
  SqliteApplicationStore(sqlite3* db, certs::DataKey key)
      : ApplicationStore(std::move(key)), db_(db) {}
  ~SqliteApplicationStore() override { sqlite3_close(db_); }

  Status begin() override { return exec("BEGIN IMMEDIATE"); }
  Status commit() override { return exec("COMMIT"); }
  void rollback() override { (void)exec("ROLLBACK"); }

  Result<Application> insert_sealed(const Application& a,
                                    const std::pair<std::string, std::string>& sealed) override {
    Statement s(db_,
                "INSERT INTO applications(id, key, item_code, request_digest, request, response, "
                "status, certificate, owner, applicant, submitted_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING");
    s.bind(1, a.id).bind(2, owned_key(a.owner, a.key)).bind(3, a.item_code);
    s.bind(4, a.request_digest).bind(5, sealed.first).bind(6, a.response_body).bind(7, a.status);
    s.bind(8, sealed.second).bind(9, a.owner).bind(10, a.applicant).bind(11, a.submitted_ms);
    if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
    if (sqlite3_changes(db_) == 1) return a;
    auto kept = by_key(a.owner, a.key);
    if (!kept) return Error{Completion::kHardwareError, "application store: the kept row is gone"};
    return kept.value();
  }

  Status set_print_state(const std::string& id, const std::string& state) override {
    Statement s(db_, "UPDATE applications SET print_state = ? WHERE id = ?");
    s.bind(1, state).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
    return ok_status();
  }

  Status set_owner(const std::string& id, const std::string& owner) override {
    Statement s(db_, "UPDATE applications SET owner = ? WHERE id = ?");
    s.bind(1, owner).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
    return ok_status();
  }

  std::vector<Application> by_applicant(const std::string& applicant, size_t limit) const override {
    Statement s(db_, std::string(kColumns) +
                         " FROM applications WHERE applicant = ? AND applicant != '' "
                         "ORDER BY submitted_ms DESC, rowid DESC LIMIT ?");
    s.bind(1, applicant).bind(2, static_cast<int64_t>(limit));
    std::vector<Application> out;
    while (s.step() == SQLITE_ROW) out.push_back(row(s));
    return out;
  }

  Status decide(const std::string& id, const std::string& status, const std::string& response,
                const std::string& certificate) override {
    auto sealed = seal_certificate(id, certificate);
    if (!sealed) return sealed.error();
    Statement s(db_,
                "UPDATE applications SET status = ?, response = ?, certificate = ? WHERE id = ?");
    s.bind(1, status).bind(2, response).bind(3, sealed.value()).bind(4, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
    return ok_status();
  }

  size_t count() const override {
    Statement s(db_, "SELECT COUNT(*) FROM applications");
    return s.step() == SQLITE_ROW ? static_cast<size_t>(s.integer(0)) : 0;
  }

  Status add_notification(const Notification& n) override {
    Statement s(db_,
                "INSERT INTO notifications(application_id, channel, target, message) "
                "VALUES (?, ?, ?, ?)");
    s.bind(1, n.application_id).bind(2, n.channel).bind(3, n.masked_target).bind(4, n.message);
    if (s.step() != SQLITE_DONE) return db_error(db_, "notification write");
    return ok_status();
  }

  std::vector<Notification> notifications(const std::string& application_id) const override {
    Statement s(db_,
                "SELECT application_id, channel, target, message FROM notifications "
                "WHERE application_id = ? ORDER BY rowid");
    s.bind(1, application_id);
    std::vector<Notification> out;
    while (s.step() == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
    return out;
  }

  Status record_heartbeat(const TerminalSeen& seen) override {
    Statement s(db_,
                "INSERT OR REPLACE INTO terminals(terminal_id, at_ms, report) VALUES (?, ?, ?)");
    s.bind(1, seen.terminal_id).bind(2, seen.at_ms).bind(3, seen.report);
    if (s.step() != SQLITE_DONE) return db_error(db_, "heartbeat write");
    return ok_status();
  }

  std::vector<TerminalSeen> terminals() const override {
    Statement s(db_, "SELECT terminal_id, at_ms, report FROM terminals ORDER BY terminal_id");
    std::vector<TerminalSeen> out;
    while (s.step() == SQLITE_ROW) out.push_back({s.text(0), s.integer(1), s.text(2)});
    return out;
  }

  Result<bool> record_anchor(const JournalAnchor& a) override {
    // Never back: the row changes only for a sequence number at least the one kept.
    Statement s(db_,
                "INSERT INTO journal_anchors(owner, terminal_id, seq, hash, at_ms) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(owner) DO UPDATE SET "
                "terminal_id = excluded.terminal_id, seq = excluded.seq, hash = excluded.hash, "
                "at_ms = excluded.at_ms WHERE journal_anchors.seq <= excluded.seq");
    s.bind(1, a.owner).bind(2, a.terminal_id).bind(3, a.seq).bind(4, a.hash).bind(5, a.at_ms);
    if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
    return sqlite3_changes(db_) == 1;
  }

  std::optional<JournalAnchor> anchor(const std::string& owner) const override {
    Statement s(db_,
                "SELECT owner, terminal_id, seq, hash, at_ms FROM journal_anchors WHERE owner = ?");
    s.bind(1, owner);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return JournalAnchor{s.text(0), s.text(1), s.integer(2), s.text(3), s.integer(4)};
  }

 private:
  static constexpr const char* kColumns =
      "SELECT id, key, request_digest, request, response, status, certificate, print_state, "
      "item_code, owner, applicant, submitted_ms";
  Application row(Statement& s) const {
    return opened({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6),
                   s.text(7), s.text(8), s.text(9), s.text(10), s.integer(11)});
  }

  std::optional<Application> find(const char* column, const std::string& value) const override {
    Statement s(db_, std::string(kColumns) + " FROM applications WHERE " + column + " = ?");
    s.bind(1, value);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return row(s);
  }

  Status exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      return db_error(db_, "application store transaction");
    return ok_status();
  }

  sqlite3* db_;
};

Result<std::unique_ptr<ApplicationStore>> open_sqlite_store(const std::filesystem::path& path,
                                                            certs::DataKey key) {
  auto db = open_database(
      path, "application store",
      {"CREATE TABLE IF NOT EXISTS applications ("
       "  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, item_code TEXT NOT NULL DEFAULT '',"
       "  request_digest TEXT NOT NULL, request TEXT NOT NULL, response TEXT NOT NULL,"
       "  status TEXT NOT NULL, certificate TEXT NOT NULL, print_state TEXT NOT NULL DEFAULT '');"
       "CREATE TABLE IF NOT EXISTS notifications ("
       "  application_id TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,"
       "  message TEXT NOT NULL);"
       "CREATE TABLE IF NOT EXISTS terminals ("
       "  terminal_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, report TEXT NOT NULL);"
       "CREATE TABLE IF NOT EXISTS journal_anchors ("
       "  owner TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL,"
       "  hash TEXT NOT NULL, at_ms INTEGER NOT NULL);"});
  if (!db) return db.error();
  // Stores from before a column gain it: rows from before owners belong to nobody, and rows
  // from before applicant indexes are found by no applicant.
  std::set<std::string> columns;
  {
    Statement info(db.value(), "PRAGMA table_info(applications)");
    while (info.step() == SQLITE_ROW) columns.insert(info.text(1));
  }
  for (const auto& [column, type] : {std::pair{"owner", "TEXT NOT NULL DEFAULT ''"},
                                     std::pair{"applicant", "TEXT NOT NULL DEFAULT ''"},
                                     std::pair{"submitted_ms", "INTEGER NOT NULL DEFAULT 0"}}) {
    if (columns.count(column)) continue;
    Statement add(db.value(),
                  std::string("ALTER TABLE applications ADD COLUMN ") + column + " " + type);
    if (add.step() != SQLITE_DONE) {
      auto e = db_error(db.value(), "application store upgrade");
      sqlite3_close(db.value());
      return e;
    }
  }
  if (Statement index(db.value(),
                      "CREATE INDEX IF NOT EXISTS applications_of ON applications(applicant)");
      index.step() != SQLITE_DONE) {
    auto e = db_error(db.value(), "application store upgrade");
    sqlite3_close(db.value());
    return e;
  }
  return std::unique_ptr<ApplicationStore>(new SqliteApplicationStore(db.value(), std::move(key)));
}

}  // namespace

Result<std::unique_ptr<ApplicationStore>> ApplicationStore::open(const std::string& database,
                                                                 certs::DataKey key) {
  if (key.empty()) return Error{Completion::kUnsupported, "the application store needs a data key"};
  if (database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0)
    return open_postgres_store(database, std::move(key));
  return open_sqlite_store(database, std::move(key));
}

}  // namespace smzc::backend
