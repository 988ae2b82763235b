// Where the reference backend keeps applications: SQLite, so they outlive a restart and an
// Idempotency-Key keeps its first answer for good. The applicant's data (request, certificate,
// notification targets) is sealed with the backend's data key; only digests and statuses are
// stored in the clear.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/sealing.h"

struct sqlite3;

namespace smzc::backend {

struct Application {
  std::string id;
  std::string key;             ///< Idempotency-Key
  std::string request_digest;  ///< SM3 of the request body: the same key must come with the same
  std::string request_body;    ///< sealed at rest
  std::string response_body;   ///< the first answer, returned again on replay
  std::string status;          ///< approved | rejected | submitted | pending
  std::string certificate;     ///< JSON (unsigned; signed when served), when one was issued
  std::string print_state;     ///< from the terminal's print confirmation
  std::string item_code;
  /// The terminal that made it (requester(): its client certificate's fingerprint); only that
  /// terminal may read it, confirm its print or find it by key.
  std::string owner;
};

/// A message to the citizen about a decision (SMS or mail); the gateway is the integrator's.
struct Notification {
  std::string application_id;
  std::string channel;        ///< sms | mail
  std::string masked_target;  ///< 138****5678 or a masked address
  std::string message;
};

/// A terminal's last heartbeat.
struct TerminalSeen {
  std::string terminal_id;
  int64_t at_ms = 0;
  std::string report;  ///< the heartbeat body (JSON, no personal data)
};

/// The head of a terminal's journal as it last reported it (with an application or a heartbeat):
/// a journal that later lacks this entry, or holds another hash there, was truncated or rewritten.
struct JournalAnchor {
  std::string owner;  ///< requester(): the terminal's client certificate
  std::string terminal_id;
  int64_t seq = 0;
  std::string hash;
  int64_t at_ms = 0;
};

/// Not thread-safe: the backend serialises calls.
class ApplicationStore {
 public:
  /// ":memory:" keeps nothing after the process ends.
  static Result<std::unique_ptr<ApplicationStore>> open(const std::filesystem::path& path,
                                                        certs::DataKey key);
  ~ApplicationStore();

  /// The application `owner` made with this Idempotency-Key: keys are each terminal's own, so
  /// another terminal's key never answers (nor collides).
  std::optional<Application> by_key(const std::string& owner, const std::string& key) const;
  std::optional<Application> by_id(const std::string& id) const;
  Status insert(const Application& app);
  Status set_print_state(const std::string& id, const std::string& state);
  /// A reviewer's decision on a submitted application: its status, the answer status queries
  /// give from now on, and the document it issued (if any).
  Status decide(const std::string& id, const std::string& status, const std::string& response,
                const std::string& certificate);
  size_t count() const;

  Status add_notification(const Notification& n);
  std::vector<Notification> notifications(const std::string& application_id) const;
  Status record_heartbeat(const TerminalSeen& seen);
  /// Keeps `anchor` as its owner's latest, unless it is older (a lower seq) than the one kept:
  /// then nothing changes and the answer is false (a journal that went back).
  Result<bool> record_anchor(const JournalAnchor& anchor);
  std::optional<JournalAnchor> anchor(const std::string& owner) const;
  std::vector<TerminalSeen> terminals() const;

 private:
  ApplicationStore(sqlite3* db, certs::DataKey key) : db_(db), key_(std::move(key)) {}
  std::optional<Application> find(const char* column, const std::string& value) const;
  sqlite3* db_;
  certs::DataKey key_;
};

}  // namespace smzc::backend
