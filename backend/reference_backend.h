// The reference government backend: the backend protocol (docs/backend-protocol.md) served over
// HTTP on loopback, for demos, tests and integrators who put an adapter for a real platform
// behind the same protocol.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <vector>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "backend/application_store.h"
#include "backend/citizen_sessions.h"
#include "backend/connection_gate.h"
#include "backend/face_register.h"
#include "base/clock.h"
#include "base/status.h"
#include "certs/signing.h"
#include "certs/verify_code.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace smzc::backend {

/// backend/data/catalogue.json in the source tree (or SMZC_DATA_DIR, or /usr/share/smzc).
std::filesystem::path default_catalogue_path();

class ReferenceBackend {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  ///< 0: any free port
    /// The regions (行政区划代码) whose items this backend owns; empty: every region in the file.
    std::vector<std::string> regions;
    /// The catalogue file (backend/data/catalogue.json); its items carry their rules.
    std::filesystem::path catalogue_path = default_catalogue_path();
    /// Read on every use (expiry, ages, serials, issue times); none: the system clock.
    const Clock* clock = nullptr;
    /// How long the signed catalogue is valid from when it is loaded (terminals refuse it after).
    std::chrono::hours catalogue_validity{24 * 30};
    /// SM2 private key that signs the catalogue, the keyring and e-ID codes: the key terminals
    /// are configured with. Empty: a fresh one for this run.
    std::string signing_key_pem;
    /// Each region's issuing key (SM2 private key PEM) that signs its certificates; a region
    /// without one gets a fresh key for this run. The keyring (GET /v1/keyring) lists them.
    std::map<std::string, std::string> issuer_key_pems;
    bool fault_switches = false;  ///< serve POST /v1/_faults (never in production)
    /// The SQLite file that keeps applications; ":memory:" keeps them only while running.
    std::filesystem::path database = ":memory:";
    /// The key that seals applicants' data in the database (32 bytes, made when missing). Empty:
    /// a fresh key for this run, so a database file it wrote cannot be read by another run.
    std::filesystem::path data_key;
    /// HTTPS: the server's certificate and key (PEM). With client_ca set too, only terminals
    /// holding a certificate from that CA are served (mutual TLS). Empty: plain HTTP.
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;
    std::filesystem::path client_ca;
    /// What one peer address may hold open, and how long a started request may go unanswered
    /// (backend/connection_gate.h).
    ConnectionGate::Limits connection_limits;
    /// The register photos faces are compared with (backend/face_register.h).
    FaceRegister::Options face_register;
    /// The citizen sessions granted once the person at a terminal is verified
    /// (backend/citizen_sessions.h).
    CitizenSessions::Options citizen_sessions;
  };

  /// Misbehaviour on demand, for tests of the terminal's side (also POST /v1/_faults when the
  /// program runs with --fault-switches).
  struct Faults {
    int latency_ms = 0;             ///< every answer comes this much later
    int fail_every = 0;             ///< every Nth request answers 503 (0: never)
    bool drop_connections = false;  ///< answers are cut off halfway
    bool corrupt_bodies = false;    ///< answers are not JSON
    bool hostile_bodies = false;    ///< answers are JSON arrays nested 100,000 deep
    bool bad_signatures = false;    ///< certificates are signed by another key
    /// Decisions take time: each application answers "pending" to this many status queries
    /// before it gives its decision.
    int pending_polls = 0;
  };
  void set_faults(const Faults& faults);

  explicit ReferenceBackend(Options options);
  ~ReferenceBackend();
  ReferenceBackend(const ReferenceBackend&) = delete;
  ReferenceBackend& operator=(const ReferenceBackend&) = delete;

  /// Binds and starts serving on a thread of its own; returns the port.
  Result<int> start();
  void stop();
  /// http(s)://HOST:PORT
  std::string base_url() const;
  /// Applications stored so far (one per idempotency key).
  size_t application_count() const;
  /// e-ID codes issued and not yet forgotten (expired ones go at the next issue).
  size_t eid_codes_outstanding() const;
  /// Citizen sessions alive now.
  size_t citizen_sessions() const;
  /// Waits until the backend has received `count` requests in all (tests that act while a
  /// request is in flight); false when `timeout` passed first.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout);
  /// Requests received so far.
  size_t requests_received() const;
  /// Connections the front door accepted, refused and cut so far.
  ConnectionGate::Counters connection_counters() const { return gate_.counters(); }
  /// The public half of the key that signs certificates (PEM), for the terminals' configuration.
  std::string public_key_pem() const;
  const certs::Sm2Key& signing_key() const { return key_; }
  /// The key that signs certificates of `region_code` (empty when the backend does not own it).
  const certs::Sm2Key& issuer_key(const std::string& region_code) const;
  /// The keyring document as served (signed with signing_key()).
  std::string signed_keyring() const;
  /// Revokes the region's issuing key: it stays in the keyring, marked revoked, and a fresh key
  /// signs the region's certificates from now on.
  Status revoke_issuer_key(const std::string& region_code);
  /// Issues a reprint (补打) of an application's certificate: the same content with the reprint
  /// count raised and a fresh verification code; `reason` is recorded. Also
  /// POST /v1/applications/{id}/reprint.
  Result<std::string> reprint(const std::string& application_id, const std::string& reason);
  /// Items this backend serves.
  size_t catalogue_size() const;
  /// The SMS and mail notices sent about an application (the gateway's log).
  std::vector<Notification> notifications(const std::string& application_id) const;
  /// Issues an e-ID code (电子身份码) for a citizen of the register, as the province's app shows
  /// one on a phone (the reference backend stands in for that platform too; POST /v1/_eid). The
  /// code carries no personal data: a random token, its expiry, under this backend's SM2
  /// signature (docs/backend-protocol.md). It identifies once, within `validity`.
  Result<std::string> issue_eid(const nlohmann::json& identity,
                                std::chrono::seconds validity = std::chrono::seconds(300));
  /// Terminals that sent a heartbeat, with their last report.
  std::vector<TerminalSeen> terminals() const;
  /// A reviewer's decision on a submitted (manual) application: "approved" or "rejected" (with
  /// reasons). The citizen is notified by SMS or mail as the item says.
  Status review(const std::string& application_id, const std::string& decision,
                const std::vector<std::string>& reasons = {});

 private:
  const Clock& clock() const { return options_.clock ? *options_.clock : system_clock(); }
  void install_routes();
  void load_catalogue();
  const nlohmann::json* find_item(const std::string& code) const;
  // Applies the fault switches to a request; true when the answer was replaced.
  bool misbehave(httplib::Response& res);
  std::string decide(const std::string& body, Application& app);
  void install_applicant_routes();
  void install_terminal_routes();
  void anchor_journal(const httplib::Request& req, const std::string& terminal_id, int64_t seq,
                      const std::string& hash);
  std::string issue_document(const nlohmann::json& item, const nlohmann::json& applicant,
                             const Application& app, bool at_counter);
  std::string with_verify_code(nlohmann::json certificate) const;

  Options options_;
  ConnectionGate gate_;
  certs::Sm2Key key_;
  nlohmann::json catalogue_;
  std::string signed_catalogue_;
  std::string catalogue_etag_;
  std::string catalogue_error_;
  certs::Sm2Key rogue_key_;  // signs certificates when bad_signatures is on
  // Document type → the fields its template puts into the verification code; read once, not
  // from disk for every application.
  std::map<std::string, std::vector<std::string>> key_fields_;
  // Region → its current issuing key. Requests sign with these outside mutex_, so the map has a
  // lock of its own, and a key replaced by revocation lives on (retired_keys_) for any signature
  // still being made with it.
  mutable std::mutex keys_mutex_;
  std::map<std::string, std::shared_ptr<const certs::Sm2Key>> issuer_keys_;
  std::vector<std::shared_ptr<const certs::Sm2Key>> retired_keys_;
  std::vector<certs::IssuerKey> keyring_;  // every issuing key, revoked ones too
  std::string keyring_version_;
  void add_issuer_key(const std::string& region, certs::Sm2Key key);
  void make_issuer_keys();
  // The fault switches and the request count have a lock of their own: every request reads
  // them, and must not wait behind mutex_ while the store writes to disk.
  mutable std::mutex faults_mutex_;
  Faults faults_;
  size_t requests_ = 0;
  bool stopping_ = false;
  Faults faults() const;
  std::condition_variable requests_cv_;      // a request arrived, or the server stops
  std::map<std::string, int> status_polls_;  // application id → status queries answered
  struct Eid {
    nlohmann::json identity;
    int64_t expires_ms = 0;
    bool used = false;
  };
  std::unique_ptr<FaceRegister> faces_;        // loaded by start()
  std::unique_ptr<CitizenSessions> sessions_;  // made by start()
  std::map<std::string, Eid> eids_;            // token → the identity it stands for
  static constexpr size_t kMaxEids = 10000;    // codes outstanding at once
  static constexpr size_t kMaxEidField = 128;  // bytes of a name, number or date
  // The identity an e-ID code stands for (and marks it used), or why not, in the citizen's words.
  Result<nlohmann::json> redeem_eid(const std::string& code);
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::unique_ptr<ApplicationStore> store_;  // opened by start()
  // Group commit: applications that arrive while a batch is being written wait and go to disk
  // together in the next one, so one flush serves many requests.
  struct PendingInsert {
    ApplicationStore::NewApplication application;
    std::optional<Result<Application>> kept;
  };
  std::mutex commit_mutex_;
  std::condition_variable commit_cv_;
  std::vector<PendingInsert*> commit_queue_;
  bool committing_ = false;
  /// store_->insert_or_get, with the terminal's journal anchor, batched with whatever else is
  /// waiting.
  Result<Application> keep(ApplicationStore::NewApplication& application);
};

}  // namespace smzc::backend
