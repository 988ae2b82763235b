// The electronic journal: every step of every transaction, written (and synced) to SQLite before
// the step's side effect happens. Append-only and chained with HMAC-SM3 under a key derived from
// the terminal's data key, so an entry cannot be rewritten without the key (recomputing plain
// hashes no longer passes); the head is anchored at the backend, so a truncated or rewritten
// journal shows against the anchor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
  std::string hash;    ///< "k1:" + hex HMAC-SM3 over the previous hash and this entry (keyed);
                       ///< plain hex SM3 in journals written before the chain was keyed
};

/// What verify() found: how many entries, how many of them (a prefix) were written unkeyed
/// before the chain was keyed, and the head.
struct ChainReport {
  size_t entries = 0;
  size_t unkeyed = 0;
  int64_t head_seq = 0;
  std::string head_hash;
};

/// How much a journal holds: its transactions and its entries by step.
struct JournalCounts {
  int64_t transactions = 0;
  std::map<std::string, int64_t> steps;  ///< e.g. {"print.done": 12}
};
/// Counts the journal file at `path` over a read-only connection of its own, so any thread may
/// (the heartbeat's, while the engine writes). A missing file counts nothing.
Result<JournalCounts> count_journal(const std::filesystem::path& path);

/// One journal file. Not thread-safe: one engine owns it.
class Journal {
 public:
  /// `chain_key`: the secret the chain is keyed with (DataKey::derive(kJournalKeyPurpose)); empty
  /// writes plain SM3 links (tools and tests that have no key).
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& path,
                                               std::string chain_key = {});
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
  /// Recomputes the chain; an error names the first entry that does not match. An unkeyed link
  /// after a keyed one, or a keyed one without the key, is an error too.
  Result<ChainReport> verify() const;
  Result<size_t> verify_chain() const;
  /// The last entry's sequence number and hash (0 and "" when empty). Safe from any thread (the
  /// heartbeat reads it while a session appends).
  std::pair<int64_t, std::string> head() const;
  /// The hash of entry `seq`, or nothing when the journal has no such entry.
  std::optional<std::string> hash_at(int64_t seq) const;

 private:
  Journal(sqlite3* db, std::string key) : db_(db), key_(std::move(key)) {}
  Status record_plain_prefix();
  std::string prefix_mac(const std::string& record) const;
  sqlite3* db_;
  std::string key_;
  mutable std::mutex head_mutex_;  // guards last_seq_ and last_hash_
  int64_t last_seq_ = 0;
  std::string last_hash_;
  Observer observer_;
  uint32_t id_counter_ = 0;
};

/// What the journal's chain key is derived for (DataKey::derive).
inline constexpr const char* kJournalKeyPurpose = "smzc journal chain v1";

/// The chain link over the previous hash and the entry's fields: "k1:" + hex HMAC-SM3 under
/// `key`, or plain hex SM3 when `key` is empty.
std::string chain_hash(const std::string& previous_hash, const JournalEntry& entry,
                       const std::string& key = {});

}  // namespace smzc::services
