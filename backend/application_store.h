// Where the reference backend keeps applications: SQLite, so they outlive a restart and an
// Idempotency-Key keeps its first answer for good.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "drivers/common/status.h"

struct sqlite3;

namespace smzc::backend {

struct Application {
  std::string id;
  std::string key;            ///< Idempotency-Key
  std::string request_body;   ///< for replay checks: the same key must come with the same body
  std::string response_body;  ///< the first answer, returned again on replay
  std::string status;         ///< approved | rejected | submitted
  std::string certificate;    ///< JSON (unsigned; signed when served), when one was issued
  std::string print_state;    ///< from the terminal's print confirmation
};

/// Not thread-safe: the backend serialises calls.
class ApplicationStore {
 public:
  /// ":memory:" keeps nothing after the process ends.
  static Result<std::unique_ptr<ApplicationStore>> open(const std::filesystem::path& path);
  ~ApplicationStore();

  std::optional<Application> by_key(const std::string& key) const;
  std::optional<Application> by_id(const std::string& id) const;
  Status insert(const Application& app);
  Status set_print_state(const std::string& id, const std::string& state);
  size_t count() const;

 private:
  explicit ApplicationStore(sqlite3* db) : db_(db) {}
  std::optional<Application> find(const char* column, const std::string& value) const;
  sqlite3* db_;
};

}  // namespace smzc::backend
