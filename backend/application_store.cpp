#include "backend/application_store.h"

#include "drivers/common/sqlite_statement.h"

namespace smzc::backend {

Result<std::unique_ptr<ApplicationStore>> ApplicationStore::open(
    const std::filesystem::path& path) {
  auto db = open_database(path, "application store",
                          "CREATE TABLE IF NOT EXISTS applications ("
                          "  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
                          "  request TEXT NOT NULL, response TEXT NOT NULL, status TEXT NOT NULL,"
                          "  certificate TEXT NOT NULL, print_state TEXT NOT NULL DEFAULT '');");
  if (!db) return db.error();
  return std::unique_ptr<ApplicationStore>(new ApplicationStore(db.value()));
}

ApplicationStore::~ApplicationStore() {
  sqlite3_close(db_);
}

std::optional<Application> ApplicationStore::find(const char* column,
                                                  const std::string& value) const {
  Statement s(db_, std::string("SELECT id, key, request, response, status, certificate, "
                               "print_state FROM applications WHERE ") +
                       column + " = ?");
  s.bind(1, value);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return Application{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
}

std::optional<Application> ApplicationStore::by_key(const std::string& key) const {
  return find("key", key);
}

std::optional<Application> ApplicationStore::by_id(const std::string& id) const {
  return find("id", id);
}

Status ApplicationStore::insert(const Application& a) {
  Statement s(db_,
              "INSERT INTO applications(id, key, request, response, status, certificate) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, a.id).bind(2, a.key).bind(3, a.request_body).bind(4, a.response_body);
  s.bind(5, a.status).bind(6, a.certificate);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return ok_status();
}

Status ApplicationStore::set_print_state(const std::string& id, const std::string& state) {
  Statement s(db_, "UPDATE applications SET print_state = ? WHERE id = ?");
  s.bind(1, state).bind(2, id);
  if (s.step() != SQLITE_DONE) return db_error(db_, "application store write");
  return ok_status();
}

size_t ApplicationStore::count() const {
  Statement s(db_, "SELECT COUNT(*) FROM applications");
  return s.step() == SQLITE_ROW ? static_cast<size_t>(s.integer(0)) : 0;
}

}  // namespace smzc::backend
