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

/// Opens `path` (creating its folder) in WAL mode with synchronous=FULL, runs `schema`; the
/// caller owns the handle on success.
inline Result<sqlite3*> open_database(const std::filesystem::path& path, const char* what,
                                      const char* schema) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Error e = db_error(db, std::string("cannot open ") + what + " " + path.string());
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 5000);
  // Every write reaches the disk before it returns: a power cut loses nothing that was said done.
  const std::string sql = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") + schema;
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e{Completion::kHardwareError, std::string(what) + " schema: " + (err ? err : "")};
    sqlite3_free(err);
    sqlite3_close(db);
    return e;
  }
  return db;
}

}  // namespace smzc
