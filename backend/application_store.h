// Where the reference backend keeps applications: SQLite, so they outlive a restart and an
// Idempotency-Key keeps its first answer for good. The applicant's data (request, certificate,
// notification targets) is sealed with the backend's data key; only digests and statuses are
// stored in the clear.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "certs/sealing.h"

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
  /// terminal may read it, confirm its print or find it by key. A terminal where the applicant
  /// collects the certificate (POST …/collect) takes it over.
  std::string owner;
  /// The applicant's index (ApplicationStore::applicant_index of their ID number): how their
  /// applications are found for them, without their number kept in the clear.
  std::string applicant;
  int64_t submitted_ms = 0;  ///< when it arrived (Unix ms)
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

/// Where applications, notices, heartbeats and anchors are kept: SQLite (a file, or ":memory:")
/// for one backend, or PostgreSQL ("postgresql://…") for several behind a load balancer. The
/// applicant's data is sealed the same way in both. Not thread-safe: a backend serialises its
/// calls; several backends on one PostgreSQL database are kept apart by its constraints and
/// transactions (insert_or_get), never by a lock in memory.
class ApplicationStore {
 public:
  /// `database`: a SQLite file, ":memory:" (nothing kept after the process ends), or a
  /// PostgreSQL connection URI (postgresql://user@host:port/db).
  static Result<std::unique_ptr<ApplicationStore>> open(const std::string& database,
                                                        certs::DataKey key);
  virtual ~ApplicationStore() = default;
  /// The application `owner` made with this Idempotency-Key: keys are each terminal's own, so
  /// another terminal's key never answers (nor collides).
  std::optional<Application> by_key(const std::string& owner, const std::string& key) const {
    return find("key", owned_key(owner, key));
  }
  std::optional<Application> by_id(const std::string& id) const { return find("id", id); }
  /// The applicant index of `id_number`: HMAC-SM3 under a key derived from the data key, hex. The
  /// same number always gives the same index; without the key, no index can be tried against
  /// numbers.
  std::string applicant_index(std::string_view id_number) const;
  /// The applications of the applicant with this index, newest first, at most `limit`.
  virtual std::vector<Application> by_applicant(const std::string& applicant,
                                                size_t limit) const = 0;
  /// Hands the application to another terminal (its applicant collects it there).
  virtual Status set_owner(const std::string& id, const std::string& owner) = 0;
  /// Keeps `app` unless its owner already has an application under its key (made by another
  /// backend instance racing on the same key, say); returns the one kept, which is then not
  /// `app` (compare ids).
  Result<Application> insert_or_get(const Application& app) {
    std::vector<NewApplication> one{{&app, std::nullopt, false}};
    return std::move(insert_or_get_all(one).front());
  }
  /// An application to keep, and the journal head its terminal sent with it, which becomes the
  /// terminal's anchor (record_anchor) if the application is new.
  struct NewApplication {
    const Application* app;
    std::optional<JournalAnchor> anchor;
    bool anchor_went_back = false;  ///< set when `anchor` was older than the one kept
  };
  /// insert_or_get for each of `batch`, and its anchor, in one transaction, so they reach the
  /// disk with one flush (group commit); the answers are in the same order. If the transaction
  /// fails, nothing is kept and every answer is the error.
  std::vector<Result<Application>> insert_or_get_all(std::vector<NewApplication>& batch);
  virtual Status set_print_state(const std::string& id, const std::string& state) = 0;
  /// A reviewer's decision on a submitted application: its status, the answer status queries
  /// give from now on, and the document it issued (if any).
  virtual Status decide(const std::string& id, const std::string& status,
                        const std::string& response, const std::string& certificate) = 0;
  virtual size_t count() const = 0;
  virtual Status add_notification(const Notification& n) = 0;
  virtual std::vector<Notification> notifications(const std::string& application_id) const = 0;
  virtual Status record_heartbeat(const TerminalSeen& seen) = 0;
  /// Keeps `anchor` as its owner's latest, unless it is older (a lower seq) than the one kept:
  /// then nothing changes and the answer is false (a journal that went back).
  virtual Result<bool> record_anchor(const JournalAnchor& anchor) = 0;
  virtual std::optional<JournalAnchor> anchor(const std::string& owner) const = 0;
  virtual std::vector<TerminalSeen> terminals() const = 0;

 protected:
  explicit ApplicationStore(certs::DataKey key) : key_(std::move(key)) {}
  /// The sealed request and certificate of a row about to be written.
  Result<std::pair<std::string, std::string>> seal(const Application& app) const;
  Result<std::string> seal_certificate(const std::string& id, const std::string& certificate) const;
  /// A row as read: opened, or empty where it does not open (another key, tampering), never
  /// someone else's data. The key column holds the owner and the terminal's key together.
  Application opened(Application row) const;
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  /// Within a transaction: writes `app`'s row (its request and certificate as sealed) unless
  /// its owner's key is taken; the row kept.
  virtual Result<Application> insert_sealed(const Application& app,
                                            const std::pair<std::string, std::string>& sealed) = 0;
  /// The row whose `column` ("id" or "key") holds `value`, opened.
  virtual std::optional<Application> find(const char* column, const std::string& value) const = 0;
  /// The key column: owner and key together, unique per terminal.
  static std::string owned_key(const std::string& owner, const std::string& key) {
    return owner + "\n" + key;
  }

 private:
  certs::DataKey key_;
};

/// The PostgreSQL store (backend/postgres_store.cpp).
Result<std::unique_ptr<ApplicationStore>> open_postgres_store(const std::string& uri,
                                                              certs::DataKey key);

}  // namespace smzc::backend
