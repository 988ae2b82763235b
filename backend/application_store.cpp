#include "backend/application_store.h"

#include "base/sqlite_statement.h"

namespace smzc::backend {

Result<std::unique_ptr<ApplicationStore>> ApplicationStore::open(const std::filesystem::path& path,
                                                                 certs::DataKey key) {
  if (key.empty()) return Error{Completion::kUnsupported, "the application store needs a data key"};
  auto db = open_database(
      path, "application store",
      "CREATE TABLE IF NOT EXISTS applications ("
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
      "  hash TEXT NOT NULL, at_ms INTEGER NOT NULL);");
  if (!db) return db.error();
  // Stores from before applications had owners gain the column; their rows belong to nobody.
  bool has_owner = false;
  {
    Statement columns(db.value(), "PRAGMA table_info(applications)");
    while (columns.step() == SQLITE_ROW) has_owner = has_owner || columns.text(1) == "owner";
  }
  if (!has_owner) {
    Statement add(db.value(), "ALTER TABLE applications ADD COLUMN owner TEXT NOT NULL DEFAULT ''");
    if (add.step() != SQLITE_DONE) {
      auto e = db_error(db.value(), "application store upgrade");
      sqlite3_close(db.value());
      return e;
    }
  }
  return std::unique_ptr<ApplicationStore>(new ApplicationStore(db.value(), std::move(key)));
}

ApplicationStore::~ApplicationStore() {
  sqlite3_close(db_);
}

std::optional<Application> ApplicationStore::find(const char* column,
                                                  const std::string& value) const {
  Statement s(db_,
              std::string("SELECT id, key, request_digest, request, response, status, "
                          "certificate, print_state, item_code, owner FROM applications WHERE ") +
                  column + " = ?");
  s.bind(1, value);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  Application a{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4),
                s.text(5), s.text(6), s.text(7), s.text(8), s.text(9)};
  if (const auto nl = a.key.find('\n'); nl != std::string::npos) a.key.erase(0, nl + 1);
  // A row that does not open (another key, tampering) reads as empty, never as someone else's.
  auto request = key_.open(a.request_body, "request:" + a.id);
  a.request_body = request ? request.value() : "";
  if (!a.certificate.empty()) {
    auto cert = key_.open(a.certificate, "certificate:" + a.id);
    a.certificate = cert ? cert.value() : "";
  }
  return a;
}

// The key column holds the owner and the terminal's key together, so that it stays unique per
// terminal without a new constraint.
std::optional<Application> ApplicationStore::by_key(const std::string& owner,
                                                    const std::string& key) const {
  return find("key", owner + "\n" + key);
}

std::optional<Application> ApplicationStore::by_id(const std::string& id) const {
  return find("id", id);
}

Status ApplicationStore::insert(const Application& a) {
  auto request = key_.seal(a.request_body, "request:" + a.id);
  if (!request) return request.error();
  std::string certificate;
  if (!a.certificate.empty()) {
    auto sealed = key_.seal(a.certificate, "certificate:" + a.id);
    if (!sealed) return sealed.error();
    certificate = sealed.value();
  }
  Statement s(db_,
              "INSERT INTO applications(id, key, item_code, request_digest, request, response, "
              "status, certificate, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, a.id).bind(2, a.owner + "\n" + a.key).bind(3, a.item_code).bind(4, a.request_digest);
  s.bind(5, request.value()).bind(6, a.response_body).bind(7, a.status).bind(8, certificate);
  s.bind(9, a.owner);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return ok_status();
}

Status ApplicationStore::set_print_state(const std::string& id, const std::string& state) {
  Statement s(db_, "UPDATE applications SET print_state = ? WHERE id = ?");
  s.bind(1, state).bind(2, id);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return ok_status();
}

Status ApplicationStore::decide(const std::string& id, const std::string& status,
                                const std::string& response, const std::string& certificate) {
  std::string sealed;
  if (!certificate.empty()) {
    auto s = key_.seal(certificate, "certificate:" + id);
    if (!s) return s.error();
    sealed = s.value();
  }
  Statement s(db_,
              "UPDATE applications SET status = ?, response = ?, certificate = ? WHERE id = ?");
  s.bind(1, status).bind(2, response).bind(3, sealed).bind(4, id);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return ok_status();
}

size_t ApplicationStore::count() const {
  Statement s(db_, "SELECT COUNT(*) FROM applications");
  return s.step() == SQLITE_ROW ? static_cast<size_t>(s.integer(0)) : 0;
}

Status ApplicationStore::add_notification(const Notification& n) {
  Statement s(db_,
              "INSERT INTO notifications(application_id, channel, target, message) "
              "VALUES (?, ?, ?, ?)");
  s.bind(1, n.application_id).bind(2, n.channel).bind(3, n.masked_target).bind(4, n.message);
  if (s.step() != SQLITE_DONE) return db_error(db_, "notification write");
  return ok_status();
}

std::vector<Notification> ApplicationStore::notifications(const std::string& application_id) const {
  Statement s(db_,
              "SELECT application_id, channel, target, message FROM notifications "
              "WHERE application_id = ? ORDER BY rowid");
  s.bind(1, application_id);
  std::vector<Notification> out;
  while (s.step() == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

Status ApplicationStore::record_heartbeat(const TerminalSeen& seen) {
  Statement s(db_, "INSERT OR REPLACE INTO terminals(terminal_id, at_ms, report) VALUES (?, ?, ?)");
  s.bind(1, seen.terminal_id).bind(2, seen.at_ms).bind(3, seen.report);
  if (s.step() != SQLITE_DONE) return db_error(db_, "heartbeat write");
  return ok_status();
}

std::vector<TerminalSeen> ApplicationStore::terminals() const {
  Statement s(db_, "SELECT terminal_id, at_ms, report FROM terminals ORDER BY terminal_id");
  std::vector<TerminalSeen> out;
  while (s.step() == SQLITE_ROW) out.push_back({s.text(0), s.integer(1), s.text(2)});
  return out;
}

Result<bool> ApplicationStore::record_anchor(const JournalAnchor& a) {
  if (auto kept = anchor(a.owner); kept && kept->seq > a.seq) return false;
  Statement s(db_,
              "INSERT OR REPLACE INTO journal_anchors(owner, terminal_id, seq, hash, at_ms) "
              "VALUES (?, ?, ?, ?, ?)");
  s.bind(1, a.owner).bind(2, a.terminal_id).bind(3, a.seq).bind(4, a.hash).bind(5, a.at_ms);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return true;
}

std::optional<JournalAnchor> ApplicationStore::anchor(const std::string& owner) const {
  Statement s(db_,
              "SELECT owner, terminal_id, seq, hash, at_ms FROM journal_anchors WHERE owner = ?");
  s.bind(1, owner);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return JournalAnchor{s.text(0), s.text(1), s.integer(2), s.text(3), s.integer(4)};
}

}  // namespace smzc::backend
