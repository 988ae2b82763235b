// The electronic journal: every step of every transaction, written (and synced) to SQLite before
// the step's side effect happens. Append-only and hash-chained with SM3, so tampering shows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

struct sqlite3;

namespace smzc::services {

struct JournalEntry {
  int64_t seq = 0;
  std::string transaction_id;
  std::string step;    ///< e.g. "apply.begin", "apply.done"
  std::string detail;  ///< JSON; never a full ID number, name or address
  int64_t at_ms = 0;   ///< Unix time in milliseconds
  std::string hash;    ///< hex SM3 over the previous hash and this entry
};

/// One journal file. Not thread-safe: one engine owns it.
class Journal {
 public:
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// A new transaction id (time-ordered, unique on this terminal).
  std::string new_transaction_id();
  /// Called after each entry is on disk (diagnostics; the crash tests stop the process here).
  using Observer = std::function<void(const JournalEntry&)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  /// Appends one entry and syncs it to disk before returning.
  Status append(const std::string& transaction_id, const std::string& step,
                const std::string& detail_json);
  Result<std::vector<JournalEntry>> entries(const std::string& transaction_id) const;
  /// Every transaction id, oldest first.
  Result<std::vector<std::string>> transaction_ids() const;
  /// Transactions whose last entry is STEP.begin: a step was started and the process stopped
  /// before it could say how it ended. Returns (transaction id, that begin entry).
  Result<std::vector<JournalEntry>> interrupted_steps() const;
  /// Recomputes the chain; an error names the first entry that does not match.
  Result<size_t> verify_chain() const;

 private:
  explicit Journal(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::string last_hash_;
  Observer observer_;
  uint32_t id_counter_ = 0;
};

/// The chain link: SM3 over the previous hash and the entry's fields, as lowercase hex.
std::string chain_hash(const std::string& previous_hash, const JournalEntry& entry);

}  // namespace smzc::services
