// A prepared SQLite statement that finalises itself, for every SQLite store (journal, print
// ledger, the reference backend). Header-only: link SQLite::SQLite3 where it is included.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/status.h"

namespace smzc {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  std::string text(int i) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? p : "";
  }
  int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

inline Error db_error(sqlite3* db, const std::string& what) {
  return Error{Completion::kHardwareError, what + ": " + sqlite3_errmsg(db)};
}

/// Opens `path` (creating its folder) in WAL mode with synchronous=FULL and brings `component`'s
/// tables to the newest schema version: `migrations[i]` takes them from version i to i + 1, and
/// `migrations[0]` makes them in a new file. Versions are kept per component in the file's
/// schema_versions table, since components share files (the journal and the print ledger).
/// Files from before versions were kept are version 0 and already hold the tables of version 1,
/// so every statement of `migrations[0]` says IF NOT EXISTS. Migrations run in one transaction:
/// a failed one leaves the file as it was. A file newer than this program knows (a downgrade)
/// is refused and left untouched. The caller owns the handle on success.
inline Result<sqlite3*> open_database(const std::filesystem::path& path, const char* component,
                                      std::initializer_list<const char*> migrations) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Error e = db_error(db, std::string("cannot open ") + component + " " + path.string());
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 5000);
  const auto failed = [&](Error e) -> Result<sqlite3*> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return e;
  };
  const auto exec = [&](const char* sql) -> std::string {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK) return "";
    std::string message = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return message.empty() ? "failed" : message;
  };
  const std::string where = std::string(component) + " " + path.string();
  // Every write reaches the disk before it returns: a power cut loses nothing that was said done.
  if (auto e = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    "CREATE TABLE IF NOT EXISTS schema_versions ("
                    "  component TEXT PRIMARY KEY, version INTEGER NOT NULL);");
      !e.empty())
    return failed({Completion::kHardwareError, where + ": " + e});
  const auto version_now = [&] {
    Statement s(db, "SELECT version FROM schema_versions WHERE component = ?");
    s.bind(1, std::string(component));
    return s.step() == SQLITE_ROW ? s.integer(0) : int64_t{0};
  };
  const auto newest = static_cast<int64_t>(migrations.size());
  const auto too_new = [&](int64_t version) {
    return failed({Completion::kUnsupported,
                   where + " has schema version " + std::to_string(version) +
                       ", newer than this release's " + std::to_string(newest) +
                       ": it was written by a newer release; install that release again (a "
                       "downgrade would lose what it keeps)"});
  };
  // Read first: a file already at this release's version (every open but the first after an
  // upgrade) takes no write lock, so readers such as `kioskctl status` never wait on the kiosk.
  int64_t version = version_now();
  if (version == newest) return db;
  if (version > newest) return too_new(version);
  // Then again under the write lock: another process may have migrated it meanwhile.
  if (auto e = exec("BEGIN IMMEDIATE"); !e.empty())
    return failed({Completion::kHardwareError, where + ": " + e});
  version = version_now();
  if (version > newest) return too_new(version);
  for (int64_t v = version; v < newest; ++v)
    if (auto e = exec(migrations.begin()[v]); !e.empty())
      return failed({Completion::kHardwareError,
                     where + ": upgrade to schema version " + std::to_string(v + 1) + ": " + e});
  if (version != newest) {
    Statement s(db, "INSERT OR REPLACE INTO schema_versions(component, version) VALUES (?, ?)");
    s.bind(1, std::string(component)).bind(2, newest);
    if (s.step() != SQLITE_DONE) return failed(db_error(db, where + ": schema version"));
  }
  if (auto e = exec("COMMIT"); !e.empty())
    return failed({Completion::kHardwareError, where + ": " + e});
  return db;
}

}  // namespace smzc
