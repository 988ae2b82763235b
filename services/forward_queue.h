// Store and forward: applications for items that allow it (store_and_forward in the catalogue)
// wait here while the backend cannot be reached, and are sent, with their first idempotency key,
// when the link returns. The request (the applicant's whole data) is sealed at rest and wiped
// once the backend has it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "certs/sealing.h"

struct sqlite3;

namespace smzc::services {

class BackendClient;

/// What draining the queue did.
struct DrainReport {
  int sent = 0;     ///< the backend has them now
  int refused = 0;  ///< the backend turned them down for good (a technician looks)
  int waiting = 0;  ///< still queued: their backend is still unreachable
  int parked = 0;   ///< kept, sealed, for a technician: their sealed request does not open
};

/// Where a queued application stands. Stored as the spelling to_string() gives.
enum class QueueState {
  kQueued,   ///< waiting to be sent
  kSending,  ///< claimed by a drain
  kSent,     ///< the backend has it
  kRefused,  ///< the backend turned it down and does not have it
  kParked,   ///< the sealed request does not open with this key: kept for a technician
};
const char* to_string(QueueState state);
std::optional<QueueState> queue_state_from_string(std::string_view name);
std::ostream& operator<<(std::ostream& out, QueueState state);

struct QueuedApplication {
  std::string idempotency_key;  ///< the key the first attempt used; the backend dedupes by it
  std::string transaction_id;
  std::string item_code;
  std::string region_code;  ///< routes it to the owning region's backend
  QueueState state = QueueState::kQueued;
  std::string application_id;  ///< once sent
  std::string status;          ///< the backend's answer once sent: submitted | approved | rejected
  std::string note;            ///< the last attempt's error, or why it was refused
  int attempts = 0;
  int64_t queued_at_ms = 0;
};

/// Thread-safe: the UI's worker adds, the idle loop drains. Several processes may drain the same
/// file (the kiosk and kioskctl): each entry is claimed before it is sent.
class ForwardQueue {
 public:
  static Result<std::unique_ptr<ForwardQueue>> open(const std::filesystem::path& path,
                                                    certs::DataKey key);
  ~ForwardQueue();
  ForwardQueue(const ForwardQueue&) = delete;
  ForwardQueue& operator=(const ForwardQueue&) = delete;

  /// Keeps `request_body` (sealed) under `entry.idempotency_key`; adding the same key again
  /// changes nothing.
  Status enqueue(const QueuedApplication& entry, const std::string& request_body);
  /// Entries in `state` (all when none), oldest first.
  Result<std::vector<QueuedApplication>> list(std::optional<QueueState> state = {}) const;
  /// Claims a queued entry for sending; false when it is not queued (another drain has it, or
  /// it was settled).
  Result<bool> claim(const std::string& idempotency_key);
  /// The request of an entry, unsealed. A value that does not open is invalidData.
  Result<std::string> request(const std::string& idempotency_key) const;
  /// The claimed entry reached the backend: the sealed request is deleted.
  Status mark_sent(const std::string& idempotency_key, const std::string& application_id,
                   const std::string& status);
  /// The backend refused the claimed entry for good and does not have it: the sealed request is
  /// deleted, the reason kept.
  Status mark_refused(const std::string& idempotency_key, const std::string& reason);
  /// The claimed entry did not get through; it is queued again.
  Status note_attempt(const std::string& idempotency_key, const std::string& error);
  /// The claimed entry's sealed request does not open: kept as it is, for a technician.
  Status park(const std::string& idempotency_key, const std::string& reason);
  /// A parked (or refused, if its request is still there) entry is queued again, once its key
  /// is put right.
  Status requeue(const std::string& idempotency_key);
  /// How many wait to be sent.
  size_t waiting() const;
  /// Sends every queued application, oldest first, with its first idempotency key, to the
  /// backend `backend_for` gives for its region; a region whose backend is still unreachable is
  /// not tried again in this round.
  /// `journal_head`, when given, says the terminal's journal head ("SEQ:HASH") as each is sent, to
  /// be anchored at the backend with it.
  using BackendFor = std::function<const BackendClient&(const std::string& region_code)>;
  Result<DrainReport> drain(const BackendFor& backend_for,
                            const std::function<std::string()>& journal_head = {});

 private:
  ForwardQueue(sqlite3* db, certs::DataKey key) : db_(db), key_(std::move(key)) {}
  // Moves `key` to state `to` if `from_condition` (SQL) holds; true when it moved.
  Result<bool> move(const std::string& key, const std::string& from_condition, QueueState to);
  // Settles a claimed entry; `wipe` deletes its sealed request.
  Status settle(const std::string& key, QueueState state, const std::string& application_id,
                const std::string& status, const std::string& note, bool wipe);
  mutable std::mutex mutex_;
  sqlite3* db_;
  certs::DataKey key_;
};

}  // namespace smzc::services
