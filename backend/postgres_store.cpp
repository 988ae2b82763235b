// The application store on PostgreSQL, for several reference backends behind a load balancer:
// the same tables and sealing as the SQLite store; an Idempotency-Key is held once across every
// instance by the key column's unique constraint (INSERT … ON CONFLICT DO NOTHING), and a journal
// anchor never goes back by the condition on its upsert.
#include <libpq-fe.h>

#include <map>
#include <memory>

#include "backend/application_store.h"

namespace smzc::backend {
namespace {

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

class PostgresApplicationStore final : public ApplicationStore {
 public:
  PostgresApplicationStore(PGconn* db, certs::DataKey key)
      : ApplicationStore(std::move(key)), db_(db) {}
  ~PostgresApplicationStore() override { PQfinish(db_); }

  // Runs one statement with text parameters; a dropped connection is reset and the statement
  // tried once more (every statement here is idempotent or guarded by a constraint), except
  // inside a transaction, which the dropped connection took with it. Each statement is prepared
  // once per connection: the server then neither parses nor plans it again.
  Result<PgResult> run(const char* sql, std::initializer_list<std::string> params) const {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    for (int attempt = 0;; ++attempt) {
      PgResult r;
      if (const std::string* name = prepared(sql, static_cast<int>(values.size())))
        r.reset(PQexecPrepared(db_, name->c_str(), static_cast<int>(values.size()), values.data(),
                               nullptr, nullptr, 0));
      const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
      if (attempt == 0 && !in_transaction_ && PQstatus(db_) == CONNECTION_BAD) {
        PQreset(db_);
        statements_.clear();  // a new session has none
        continue;
      }
      return Error{Completion::kHardwareError,
                   std::string("application store (PostgreSQL): ") + PQerrorMessage(db_)};
    }
  }
  // The name `sql` is prepared under on this connection, or null if it cannot be prepared.
  const std::string* prepared(const char* sql, int parameters) const {
    auto [at, fresh] = statements_.try_emplace(sql, "s" + std::to_string(statements_.size()));
    if (fresh) {
      PgResult p(PQprepare(db_, at->second.c_str(), sql, parameters, nullptr));
      if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) {
        statements_.erase(at);
        return nullptr;
      }
    }
    return &at->second;
  }

  static std::string text(const PgResult& r, int row, int column) {
    return PQgetvalue(r.get(), row, column);
  }
  static int64_t integer(const PgResult& r, int row, int column) {
    return std::stoll(PQgetvalue(r.get(), row, column));
  }
  static bool changed(const PgResult& r) { return std::string(PQcmdTuples(r.get())) == "1"; }

  Status begin() override {
    auto r = run("BEGIN", {});
    in_transaction_ = r.ok();
    return r ? ok_status() : Status(r.error());
  }
  Status commit() override {
    auto r = run("COMMIT", {});
    in_transaction_ = false;
    return r ? ok_status() : Status(r.error());
  }
  void rollback() override {
    in_transaction_ = false;
    (void)run("ROLLBACK", {});
  }

  Result<Application> insert_sealed(const Application& a,
                                    const std::pair<std::string, std::string>& sealed) override {
    auto r = run(
        "INSERT INTO applications(id, key, item_code, request_digest, request, response, status, "
        "certificate, owner, applicant, submitted_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (key) DO NOTHING",
        {a.id, owned_key(a.owner, a.key), a.item_code, a.request_digest, sealed.first,
         a.response_body, a.status, sealed.second, a.owner, a.applicant,
         std::to_string(a.submitted_ms)});
    if (!r) return r.error();
    if (changed(r.value())) return a;
    auto kept = by_key(a.owner, a.key);
    if (!kept) return Error{Completion::kHardwareError, "application store: the kept row is gone"};
    return kept.value();
  }

  Status set_print_state(const std::string& id, const std::string& state) override {
    auto r = run("UPDATE applications SET print_state = $1 WHERE id = $2", {state, id});
    return r ? ok_status() : Status(r.error());
  }

  Status set_owner(const std::string& id, const std::string& owner) override {
    auto r = run("UPDATE applications SET owner = $1 WHERE id = $2", {owner, id});
    return r ? ok_status() : Status(r.error());
  }

  std::vector<Application> by_applicant(const std::string& applicant, size_t limit) const override {
    std::vector<Application> out;
    auto r =
        run((std::string(kColumns) + " FROM applications WHERE applicant = $1 AND applicant != '' "
                                     "ORDER BY submitted_ms DESC, id DESC LIMIT $2")
                .c_str(),
            {applicant, std::to_string(limit)});
    if (!r) return out;
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(row(r.value(), i));
    return out;
  }

  Status decide(const std::string& id, const std::string& status, const std::string& response,
                const std::string& certificate) override {
    auto sealed = seal_certificate(id, certificate);
    if (!sealed) return sealed.error();
    auto r =
        run("UPDATE applications SET status = $1, response = $2, certificate = $3 WHERE id = $4",
            {status, response, sealed.value(), id});
    return r ? ok_status() : Status(r.error());
  }

  size_t count() const override {
    auto r = run("SELECT COUNT(*) FROM applications", {});
    return r ? static_cast<size_t>(integer(r.value(), 0, 0)) : 0;
  }

  Status add_notification(const Notification& n) override {
    auto r =
        run("INSERT INTO notifications(application_id, channel, target, message) "
            "VALUES ($1, $2, $3, $4)",
            {n.application_id, n.channel, n.masked_target, n.message});
    return r ? ok_status() : Status(r.error());
  }

  std::vector<Notification> notifications(const std::string& application_id) const override {
    std::vector<Notification> out;
    auto r =
        run("SELECT application_id, channel, target, message FROM notifications "
            "WHERE application_id = $1 ORDER BY n",
            {application_id});
    if (!r) return out;
    for (int i = 0; i < PQntuples(r->get()); ++i)
      out.push_back({text(r.value(), i, 0), text(r.value(), i, 1), text(r.value(), i, 2),
                     text(r.value(), i, 3)});
    return out;
  }

  Status record_heartbeat(const TerminalSeen& seen) override {
    auto r = run(
        "INSERT INTO terminals(terminal_id, at_ms, report) VALUES ($1, $2, $3) "
        "ON CONFLICT (terminal_id) DO UPDATE SET at_ms = excluded.at_ms, report = excluded.report",
        {seen.terminal_id, std::to_string(seen.at_ms), seen.report});
    return r ? ok_status() : Status(r.error());
  }

  std::vector<TerminalSeen> terminals() const override {
    std::vector<TerminalSeen> out;
    auto r = run("SELECT terminal_id, at_ms, report FROM terminals ORDER BY terminal_id", {});
    if (!r) return out;
    for (int i = 0; i < PQntuples(r->get()); ++i)
      out.push_back({text(r.value(), i, 0), integer(r.value(), i, 1), text(r.value(), i, 2)});
    return out;
  }

  Result<bool> record_anchor(const JournalAnchor& a) override {
    auto r =
        run("INSERT INTO journal_anchors(owner, terminal_id, seq, hash, at_ms) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner) DO UPDATE SET "
            "terminal_id = excluded.terminal_id, seq = excluded.seq, hash = excluded.hash, "
            "at_ms = excluded.at_ms WHERE journal_anchors.seq <= excluded.seq",
            {a.owner, a.terminal_id, std::to_string(a.seq), a.hash, std::to_string(a.at_ms)});
    if (!r) return r.error();
    return changed(r.value());
  }

  std::optional<JournalAnchor> anchor(const std::string& owner) const override {
    auto r =
        run("SELECT owner, terminal_id, seq, hash, at_ms FROM journal_anchors WHERE owner = $1",
            {owner});
    if (!r || PQntuples(r->get()) != 1) return std::nullopt;
    return JournalAnchor{text(r.value(), 0, 0), text(r.value(), 0, 1), integer(r.value(), 0, 2),
                         text(r.value(), 0, 3), integer(r.value(), 0, 4)};
  }

 private:
  static constexpr const char* kColumns =
      "SELECT id, key, request_digest, request, response, status, certificate, print_state, "
      "item_code, owner, applicant, submitted_ms";
  Application row(const PgResult& r, int i) const {
    return opened({text(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4),
                   text(r, i, 5), text(r, i, 6), text(r, i, 7), text(r, i, 8), text(r, i, 9),
                   text(r, i, 10), integer(r, i, 11)});
  }

  std::optional<Application> find(const char* column, const std::string& value) const override {
    auto r = run((std::string(kColumns) + " FROM applications WHERE " + column + " = $1").c_str(),
                 {value});
    if (!r || PQntuples(r->get()) != 1) return std::nullopt;
    return row(r.value(), 0);
  }

  PGconn* db_;
  bool in_transaction_ = false;  // a dropped connection then fails the statement: no retry
  mutable std::map<std::string, std::string> statements_;  // SQL → its prepared name
};

}  // namespace

Result<std::unique_ptr<ApplicationStore>> open_postgres_store(const std::string& uri,
                                                              certs::DataKey key) {
  PGconn* db = PQconnectdb(uri.c_str());
  if (!db || PQstatus(db) != CONNECTION_OK) {
    const std::string why = db ? PQerrorMessage(db) : "out of memory";
    PQfinish(db);
    return Error{Completion::kDeviceNotReady, "cannot reach the PostgreSQL database: " + why};
  }
  std::unique_ptr<PostgresApplicationStore> store(new PostgresApplicationStore(db, std::move(key)));
  // Every instance may create the schema at once: IF NOT EXISTS, under an advisory lock so the
  // catalogue's own race between two CREATEs cannot fail one of them.
  PgResult made(PQexec(
      db,
      "SELECT pg_advisory_lock(7461201);"
      "CREATE TABLE IF NOT EXISTS applications ("
      "  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, item_code TEXT NOT NULL DEFAULT '',"
      "  request_digest TEXT NOT NULL, request TEXT NOT NULL, response TEXT NOT NULL,"
      "  status TEXT NOT NULL, certificate TEXT NOT NULL, print_state TEXT NOT NULL DEFAULT '',"
      "  owner TEXT NOT NULL DEFAULT '');"
      // Databases from before applicant indexes: their rows are found by no applicant.
      "ALTER TABLE applications ADD COLUMN IF NOT EXISTS applicant TEXT NOT NULL DEFAULT '';"
      "ALTER TABLE applications ADD COLUMN IF NOT EXISTS submitted_ms BIGINT NOT NULL DEFAULT 0;"
      "CREATE INDEX IF NOT EXISTS applications_of ON applications(applicant);"
      "CREATE TABLE IF NOT EXISTS notifications (n BIGSERIAL PRIMARY KEY,"
      "  application_id TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,"
      "  message TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS notifications_of ON notifications(application_id);"
      "CREATE TABLE IF NOT EXISTS terminals ("
      "  terminal_id TEXT PRIMARY KEY, at_ms BIGINT NOT NULL, report TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS journal_anchors ("
      "  owner TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL,"
      "  hash TEXT NOT NULL, at_ms BIGINT NOT NULL);"
      "SELECT pg_advisory_unlock(7461201);"));
  if (!made || PQresultStatus(made.get()) != PGRES_TUPLES_OK)
    return Error{
        Completion::kHardwareError,
        std::string("cannot create the application store's tables: ") + PQerrorMessage(db)};
  return std::unique_ptr<ApplicationStore>(std::move(store));
}

}  // namespace smzc::backend
