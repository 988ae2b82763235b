// The terminal's side of the backend protocol (docs/backend-protocol.md), over libcurl.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <filesystem>
#include <optional>
#include <stop_token>

#include "base/status.h"
#include "certs/certificate.h"
#include "certs/verify_code.h"
#include "services/catalogue.h"

namespace smzc::services {

/// The applicant as sent to the backend. The backend is the government's own system and gets the
/// full data; nothing here is logged unmasked.
struct Applicant {
  std::string id_number;
  std::string name;
  std::string valid_to;
  std::string birth_date;  ///< YYYYMMDD, from the card
  /// Names of materials that come along besides `scans` (whose names are sent too).
  std::vector<std::string> materials;
  std::map<std::string, std::string> form;       ///< the item's form, by field name
  std::map<std::string, std::string> elicenses;  ///< material name → e-licence reference
  std::map<std::string, std::string> scans;      ///< material name → scanned image (bytes)

  /// Overwrites every personal field (the session ended).
  void wipe();
};

/// What the backend said of a citizen's identity.
struct IdentityCheck {
  bool verified = false;
  /// not-given | matched | not-matched | unusable | no-register-photo (and, from platforms that
  /// check only that the picture is usable, accepted)
  std::string face;
  /// The platform's comparison of the face with the register photo, when it made one: its
  /// score (a distance: lower is more alike, for the reference backend's model) and the
  /// threshold it decided by. Never shown to the citizen.
  std::optional<double> face_score;
  std::optional<double> face_threshold;
  /// The citizen session the platform granted once it verified the face: what the citizen's
  /// records are asked within (X-Citizen-Session); empty when none was granted.
  std::string citizen_session;
  std::vector<std::string> reasons;
  /// Identified by an e-ID code: who it stands for (id_number, name, valid_to); else empty.
  Applicant holder;
};

/// One of a citizen's applications as 办理进度 lists them (POST /v1/applicants/applications).
struct ApplicationSummary {
  std::string application_id;
  std::string item_code;
  std::string status;  ///< approved | rejected | submitted | pending
  int64_t submitted_ms = 0;
  bool certificate = false;  ///< a certificate was issued
  std::string print_state;   ///< how its print ended ("completed"); empty before any
  std::string region_code;   ///< whose backend has it (set by the engine; empty: the home one)
  /// Whether the applicant may collect its certificate now: issued, and not printed yet.
  bool collectable() const { return certificate && print_state != "completed"; }
};

struct Decision {
  std::string application_id;
  std::string status;    ///< approved | rejected | submitted (manual items)
  std::string delivery;  ///< for submitted items: sms | mail
  std::vector<std::string> reasons;
};

class BackendClient {
 public:
  struct Options {
    std::chrono::milliseconds timeout{5000};
    std::string terminal_id = "SMZC-DEV-0001";
    int attempts = 3;  ///< tries per request when the backend is unreachable, times out or 5xx
    std::chrono::milliseconds backoff{100};  ///< before the 2nd try; doubles for each next one
    /// HTTPS: the CA that signed the backend's certificate, and this terminal's own certificate
    /// and key for mutual TLS. Empty: the system's CAs, no client certificate.
    std::filesystem::path ca_file;
    std::filesystem::path client_cert;
    std::filesystem::path client_key;
    /// The local address requests leave from (a terminal on a dedicated government network
    /// beside others); empty: the system chooses.
    std::string source_address;
  };

  BackendClient(std::string base_url, Options options);
  explicit BackendClient(std::string base_url) : BackendClient(std::move(base_url), Options{}) {}

  /// The catalogue, its signature checked against `issuer`. With a `cache` file the last good
  /// copy is kept there: an unchanged catalogue (ETag) is not sent again, and when the backend
  /// cannot be reached the cached copy is used, marked offline.
  Result<Catalogue> catalogue(const certs::Sm2Key& issuer,
                              const std::filesystem::path& cache = {}) const;
  /// Checks the card's record and, when the terminal took one, a face image (JPEG or PNG bytes).
  Result<IdentityCheck> verify_identity(const Applicant& applicant,
                                        const std::string& face_image = {}) const;
  /// Checks an e-ID code (电子身份码) read from a citizen's phone: verified, it says who the
  /// citizen is (IdentityCheck::holder).
  Result<IdentityCheck> verify_eid_code(const std::string& code) const;
  /// Finds a material in the e-licence library (免证办): its reference, or nothing when the
  /// library has none for this citizen.
  Result<std::optional<std::string>> lookup_elicense(const std::string& id_number,
                                                     const std::string& material) const;
  /// The request body of an application, as submit() sends it (and the store-and-forward
  /// queue keeps it, sealed).
  std::string application_body(const std::string& item_code, const Applicant& applicant) const;
  /// Sends an application body made by application_body().
  /// `journal_head` ("SEQ:HASH", optional) anchors the terminal's journal head at the backend.
  Result<Decision> submit_body(const std::string& body, const std::string& idempotency_key,
                               const std::string& journal_head = {}) const;
  /// Submits an application. The same `idempotency_key` with the same body returns the first
  /// answer, so a retry after a lost reply never makes a second application.
  Result<Decision> submit(const std::string& item_code, const Applicant& applicant,
                          const std::string& idempotency_key,
                          const std::string& journal_head = {}) const;
  Result<Decision> application(const std::string& application_id) const;
  /// The application made with `idempotency_key`, if the backend has one (start-up recovery).
  Result<std::optional<Decision>> application_by_key(const std::string& idempotency_key) const;
  /// The issuing keys this backend vouches for (GET /v1/keyring), signed with `anchor` (the key
  /// the terminal is configured with); entries outside `regions` (when given) are refused. Kept
  /// in `cache` like the catalogue; an older keyring than the cached one is refused.
  Result<certs::Keyring> keyring(const certs::Sm2Key& anchor,
                                 const std::filesystem::path& cache = {},
                                 const std::vector<std::string>& regions = {}) const;
  /// Asks the issuing backend for a reprint (补打) of an application's certificate: the next
  /// certificate_json() carries the raised reprint count and a fresh code.
  Status request_reprint(const std::string& application_id, const std::string& reason) const;
  /// The certificate of an approved application, checked against `keyring`: signed by its
  /// region's issuing key, its code genuine and matching its content.
  Result<certs::Certificate> certificate(const std::string& application_id,
                                         const certs::Keyring& keyring) const;
  /// The certificate as the backend sent it, unchecked.
  Result<std::string> certificate_json(const std::string& application_id) const;
  Status confirm_print(const std::string& application_id, int job_id,
                       const std::string& job_state) const;
  /// The applications of the citizen with `id_number`, made at any terminal, newest first (the
  /// backend lists at most 20).
  Result<std::vector<ApplicationSummary>> applications_of(const std::string& id_number,
                                                          const std::string& session) const;
  /// Where the application `application_id` stands, by its number alone (any terminal may ask;
  /// the answer holds nothing of whose it is).
  Result<ApplicationSummary> application_progress(const std::string& application_id) const;
  /// Collects the certificate of `application_id` for its applicant (`id_number`): this terminal
  /// takes the application over, so certificate_json() and confirm_print() then serve it here.
  Status collect_certificate(const std::string& application_id, const std::string& id_number,
                             const std::string& session) const;
  /// Ends a citizen session (the citizen left); a session already gone is no error.
  Status end_citizen_session(const std::string& session) const;
  /// Tells the backend this terminal is alive, with a report of its devices and queue (JSON
  /// object, no personal data). Sent once, without retries: the next beat is the retry.
  Status heartbeat(const std::string& report_json) const;
  /// The journal head this terminal last anchored at the backend (with an application or a
  /// heartbeat); nothing when it anchored none.
  struct JournalAnchor {
    int64_t seq = 0;
    std::string hash;
    int64_t at_ms = 0;
  };
  Result<std::optional<JournalAnchor>> journal_anchor() const;

  const std::string& base_url() const { return base_url_; }
  /// This client (sharing its connections) with every request ended as soon as `stop` is
  /// requested (kCanceled): a citizen's session binds its backend calls to its stop token.
  BackendClient with_stop(std::stop_token stop) const {
    BackendClient bound = *this;
    bound.stop_ = std::move(stop);
    return bound;
  }

  /// An answer as it came.
  struct Reply {
    long status = 0;
    std::string body;
    std::string etag;
  };
  /// One request exactly as given: sent once, without retries, its answer as it came. For tools
  /// that check a backend (the conformance suite), not for the citizen's flow.
  Result<Reply> exchange(const std::string& method, const std::string& path,
                         const std::string& body = {},
                         const std::vector<std::string>& headers = {}) const {
    return request(method, path, body, headers);
  }

 private:
  template <typename T, typename FromText, typename Older, typename Offline>
  Result<T> fetch_signed(const std::string& path, const std::filesystem::path& cache,
                         FromText from_text, Older older, Offline offline) const;
  Result<Reply> request(const std::string& method, const std::string& path, const std::string& body,
                        const std::vector<std::string>& headers) const;
  Result<std::string> request_ok(const std::string& method, const std::string& path,
                                 const std::string& body = {},
                                 const std::vector<std::string>& headers = {}) const;
  // Tries again when the backend is unreachable, times out or answers 5xx.
  Result<Reply> request_with_retries(const std::string& method, const std::string& path,
                                     const std::string& body,
                                     const std::vector<std::string>& headers) const;
  static Error http_error(const std::string& method, const std::string& path, const Reply& reply);

  std::string base_url_;
  Options options_;
  // Connections (and TLS sessions) kept open between requests and shared by copies of this
  // client: a mutual-TLS handshake per request would cost more than the request itself.
  struct ConnectionPool;
  std::shared_ptr<ConnectionPool> pool_;
  std::stop_token stop_;
};

}  // namespace smzc::services
