#include "services/conformance.h"

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/protocol_errors.h"
#include "certs/signing.h"
#include "certs/verify_code.h"
#include "services/backend_replies.h"
#include "services/catalogue.h"

namespace smzc::services {
namespace {

using nlohmann::json;
using Reply = BackendClient::Reply;

class Suite {
 public:
  Suite(const BackendClient& client, const BackendClient::Options& client_options,
        const ConformanceOptions& options)
      : client_(client), client_options_(client_options), options_(options) {}

  std::vector<ConformanceCheck> run();

 private:
  // Adds a check: `body` returns an empty string when the rule holds, else what was seen.
  template <typename Body>
  bool check(const std::string& name, const std::string& rule, Body body) {
    ConformanceCheck c{name, rule, false, false, {}};
    try {
      c.detail = body();
      c.passed = c.detail.empty();
      if (c.detail == kSkipped) {
        c.skipped = true;
        c.passed = true;
        c.detail = "does not apply here";
      }
    } catch (const std::exception& e) {
      c.detail = std::string("malformed answer: ") + e.what();
    }
    if (c.passed && c.detail.empty()) c.detail = "ok";
    checks_.push_back(c);
    return c.passed;
  }

  Result<Reply> send(const std::string& method, const std::string& path,
                     const std::string& body = {}, const std::vector<std::string>& headers = {}) {
    return client_.exchange(method, path, body, headers);
  }

  static std::string seen(const Result<Reply>& r) {
    if (!r) return "no answer: " + r.error().message;
    return "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 160);
  }

  // The documented error body with `code`, and the status that goes with the code.
  static std::string refused_with(const Result<Reply>& r, ProtocolError code) {
    if (!r) return seen(r);
    const auto& expected = info(code);
    if (r->status != expected.status)
      return "expected " + std::to_string(expected.status) + " " + std::string(expected.code) +
             ", got " + seen(r);
    const json j = parse_json(r->body);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object() ||
        !j["error"].value("message", json()).is_string())
      return "the error body is not {\"error\": {\"code\", \"message\"}}: " + seen(r);
    if (error_code_of(r->body) != code)
      return "expected code " + std::string(expected.code) + ", got " + seen(r);
    return {};
  }

  std::string application_body(const std::string& item) const {
    return client_.application_body(item, options_.citizen);
  }
  std::string key(const std::string& what) const { return options_.run_id + "/" + what; }

  // The citizen session the backend grants for the test citizen's face (asked once); empty
  // without a face, or when none is granted.
  std::string citizen_session() {
    if (session_ || options_.citizen_face.empty()) return session_.value_or("");
    const auto& c = options_.citizen;
    auto verified = client_.verify_identity(
        {c.id_number, c.name, c.valid_to, c.birth_date, {}, {}, {}, {}}, options_.citizen_face);
    session_ = verified ? verified->citizen_session : std::string();
    return *session_;
  }

  static constexpr const char* kSkipped = "\x01skipped";

  const BackendClient& client_;
  const BackendClient::Options& client_options_;
  const ConformanceOptions& options_;
  std::vector<ConformanceCheck> checks_;
  certs::Sm2Key backend_key_;
  std::optional<Catalogue> catalogue_;
  std::optional<certs::Keyring> keyring_;
  std::string item_;
  std::optional<Decision> decision_;
  std::optional<std::string> session_;  // the test citizen's, once asked
};

std::vector<ConformanceCheck> Suite::run() {
  check("health", "GET /v1/health answers 200 {\"status\": \"ok\"}", [&]() -> std::string {
    auto r = send("GET", "/v1/health");
    if (!r || r->status != 200 || parse_json(r->body).value("status", "") != "ok") return seen(r);
    return {};
  });

  check("backend-key", "GET /v1/keys serves an SM2 key whose key_id is SM3 of its DER",
        [&]() -> std::string {
          auto r = send("GET", "/v1/keys");
          if (!r || r->status != 200) return seen(r);
          const json j = parse_json(r->body);
          auto served = certs::Sm2Key::from_pem(j.value("public_key_pem", ""));
          if (!served) return "public_key_pem is not an SM2 key";
          if (j.value("key_id", "") != served->key_id())
            return "key_id " + j.value("key_id", "") + " is not " + served->key_id();
          if (options_.backend_key_pem.empty()) {
            backend_key_ = std::move(served.value());
            return {};
          }
          auto configured = certs::Sm2Key::from_pem(options_.backend_key_pem);
          if (!configured) return "the configured backend key is not an SM2 key";
          backend_key_ = std::move(configured.value());
          if (backend_key_.key_id() != served->key_id())
            return "serves key " + served->key_id() + ", terminals are configured with " +
                   backend_key_.key_id();
          return {};
        });

  std::string etag;
  check("catalogue-signature",
        "GET /v1/catalogue is signed with the backend's key, parses, and carries an ETag",
        [&]() -> std::string {
          auto r = send("GET", "/v1/catalogue");
          if (!r || r->status != 200) return seen(r);
          if (r->etag.empty()) return "no ETag";
          etag = r->etag;
          auto document = certs::verify_signed_json(r->body, backend_key_);
          if (!document) return document.error().message;
          auto parsed = parse_catalogue(document.value());
          if (!parsed) return parsed.error().message;
          if (parsed->items.empty()) return "the catalogue has no items";
          catalogue_ = std::move(parsed.value());
          return {};
        });

  check("catalogue-conditional",
        "If-None-Match (exact, weak, in a list, *) answers 304 with the ETag; another tag 200",
        [&]() -> std::string {
          if (etag.empty()) return "no ETag to send";
          for (const std::string& sent :
               {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
            auto r = send("GET", "/v1/catalogue", {}, {"If-None-Match: " + sent});
            if (!r || r->status != 304) return "If-None-Match: " + sent + " -> " + seen(r);
            if (r->etag != etag) return "the 304 for " + sent + " carries ETag " + r->etag;
          }
          auto other = send("GET", "/v1/catalogue", {}, {"If-None-Match: \"not-this-one\""});
          if (!other || other->status != 200) return "another tag -> " + seen(other);
          return {};
        });

  check("keyring-signature",
        "GET /v1/keyring is signed with the backend's key, lists issuing keys, answers 304 "
        "to its ETag",
        [&]() -> std::string {
          auto r = send("GET", "/v1/keyring");
          if (!r || r->status != 200) return seen(r);
          auto ring = certs::Keyring::from_signed_json(r->body, backend_key_, {});
          if (!ring) return ring.error().message;
          keyring_ = std::move(ring.value());
          if (r->etag.empty()) return "no ETag";
          auto again = send("GET", "/v1/keyring", {}, {"If-None-Match: " + r->etag});
          if (!again || again->status != 304) return "its ETag -> " + seen(again);
          return {};
        });

  check(
      "identity-verify",
      "POST /v1/identity/verify verifies a valid record and refuses a wrong check digit with "
      "reasons",
      [&]() -> std::string {
        const auto& c = options_.citizen;
        auto r = send(
            "POST", "/v1/identity/verify",
            json{{"id_number", c.id_number}, {"name", c.name}, {"valid_to", c.valid_to}}.dump());
        if (!r || r->status != 200) return seen(r);
        auto ok = parse_identity_check(r->body, false);
        if (!ok || !ok->verified) return "the valid record: " + seen(r);
        std::string wrong = c.id_number;
        wrong.back() = wrong.back() == '0' ? '1' : '0';
        auto bad =
            send("POST", "/v1/identity/verify",
                 json{{"id_number", wrong}, {"name", c.name}, {"valid_to", c.valid_to}}.dump());
        auto refused =
            bad ? parse_identity_check(bad->body, false) : Result<IdentityCheck>(bad.error());
        if (!bad || bad->status != 200 || !refused || refused->verified || refused->reasons.empty())
          return "a wrong check digit: " + seen(bad);
        return {};
      });

  check("identity-verify-face",
        "POST /v1/identity/verify with a face_image that holds no face answers face \"unusable\" "
        "and verified false; with the citizen's own face (when one is given), face \"matched\" "
        "with the score and the threshold it was decided by",
        [&]() -> std::string {
          const auto& c = options_.citizen;
          // A picture of 96×96 grey pixels: a real image, but nobody's face.
          static const std::string kNoFace = [] {
            std::string png;
            const unsigned char bytes[] = {
                0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x60, 0x08, 0x00,
                0x00, 0x00, 0x00, 0xc7, 0xf3, 0x28, 0xe4, 0x00, 0x00, 0x00, 0x3b, 0x49, 0x44,
                0x41, 0x54, 0x78, 0xda, 0xed, 0xcd, 0x31, 0x0d, 0x00, 0x00, 0x0c, 0x03, 0xa0,
                0x4a, 0xaf, 0xf4, 0xaa, 0xd8, 0xb1, 0x04, 0x0c, 0x90, 0x1e, 0x8b, 0x40, 0x20,
                0x10, 0x08, 0x04, 0x02, 0x81, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x81, 0x40,
                0x20, 0x10, 0x08, 0x04, 0x02, 0x81, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x81,
                0x40, 0x20, 0xf8, 0x1a, 0x0c, 0x54, 0x1d, 0x01, 0x0f, 0x0b, 0xd4, 0x42, 0xf1,
                0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
            return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
          }();
          auto r = client_.verify_identity(
              {c.id_number, c.name, c.valid_to, c.birth_date, {}, {}, {}, {}}, kNoFace);
          if (!r) return "no face: " + r.error().message;
          if (r->verified || r->face != "unusable")
            return "a picture without a face: verified " + std::to_string(r->verified) + ", face " +
                   r->face;
          if (options_.citizen_face.empty()) return {};
          auto own = client_.verify_identity(
              {c.id_number, c.name, c.valid_to, c.birth_date, {}, {}, {}, {}},
              options_.citizen_face);
          if (!own) return "the citizen's face: " + own.error().message;
          if (!own->verified || own->face != "matched")
            return "the citizen's own face: face " + own->face;
          if (!own->face_score || !own->face_threshold)
            return "a comparison without face_score and face_threshold";
          return {};
        });

  check("citizen-session",
        "a citizen's records (POST /v1/applicants/applications) are refused 401 "
        "citizen-session-required on an ID number alone; a face verified at this terminal grants "
        "a citizen session they are served within, until DELETE /v1/citizen-sessions/current ends "
        "it",
        [&]() -> std::string {
          const auto& c = options_.citizen;
          auto alone =
              send("POST", "/v1/applicants/applications", json{{"id_number", c.id_number}}.dump());
          if (auto refused = refused_with(alone, ProtocolError::kCitizenSessionRequired);
              !refused.empty())
            return "an ID number alone: " + refused;
          if (options_.citizen_face.empty()) return {};
          auto verified = client_.verify_identity(
              {c.id_number, c.name, c.valid_to, c.birth_date, {}, {}, {}, {}},
              options_.citizen_face);
          if (!verified) return "the citizen's face: " + verified.error().message;
          if (verified->citizen_session.empty()) return "a matched face granted no citizen session";
          const std::string header = "X-Citizen-Session: " + verified->citizen_session;
          auto listed = send("POST", "/v1/applicants/applications",
                             json{{"id_number", c.id_number}}.dump(), {header});
          if (!listed || listed->status != 200) return "within the session: " + seen(listed);
          auto ended = send("DELETE", "/v1/citizen-sessions/current", {}, {header});
          if (!ended || ended->status != 204) return "ending the session: " + seen(ended);
          auto after = send("POST", "/v1/applicants/applications",
                            json{{"id_number", c.id_number}}.dump(), {header});
          if (auto refused = refused_with(after, ProtocolError::kCitizenSessionRequired);
              !refused.empty())
            return "after it ended: " + refused;
          return {};
        });

  // The item to apply for: the one asked for, or the first instant item issuing a certificate.
  if (catalogue_) {
    for (const auto& item : catalogue_->items)
      if (options_.item_code.empty() ? item.approval == "instant" && item.output == "certificate" &&
                                           item.form.empty() && item.materials.empty()
                                     : item.code == options_.item_code) {
        item_ = item.code;
        break;
      }
  }
  const std::string body = application_body(item_);
  check("apply-decides",
        "POST /v1/applications decides an instant item at once: 201 with an application id and "
        "a status",
        [&]() -> std::string {
          if (item_.empty()) return "no instant certificate item in the catalogue to apply for";
          auto r = send("POST", "/v1/applications", body, {"Idempotency-Key: " + key("apply")});
          if (!r || (r->status != 201 && r->status != 200)) return seen(r);
          auto d = parse_decision(r->body);
          if (!d) return d.error().message;
          if (d->status != "approved")
            return item_ + " for the test citizen was not approved: " + seen(r);
          decision_ = d.value();
          return {};
        });

  check(
      "idempotent-retry", "the same Idempotency-Key and body return the first answer",
      [&]() -> std::string {
        if (!decision_) return "no application to retry";
        auto r = send("POST", "/v1/applications", body, {"Idempotency-Key: " + key("apply")});
        if (!r || r->status / 100 != 2) return seen(r);
        auto d = parse_decision(r->body);
        if (!d || d->application_id != decision_->application_id || d->status != decision_->status)
          return "a second answer: " + seen(r);
        return {};
      });

  check("key-reuse-refused",
        "the same Idempotency-Key with another body is refused 422 idempotency-key-reused",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          Applicant other = options_.citizen;
          other.form["note"] = "another body";
          return refused_with(
              send("POST", "/v1/applications", client_.application_body(item_, other),
                   {"Idempotency-Key: " + key("apply")}),
              ProtocolError::kIdempotencyKeyReused);
        });

  check("recovery-by-key",
        "GET /v1/applications?idempotency_key= finds the application; an unused key is 404",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          auto r = send("GET", "/v1/applications?idempotency_key=" + key("apply"));
          auto d = r && r->status == 200 ? parse_decision(r->body) : Result<Decision>(Error{});
          if (!d || d->application_id != decision_->application_id) return seen(r);
          return refused_with(send("GET", "/v1/applications?idempotency_key=" + key("never-used")),
                              ProtocolError::kNoSuchApplication);
        });

  check("application-status",
        "GET /v1/applications/{id} reports the application (pending until decided)",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          // A backend that takes time answers "pending" first: ask a bounded number of times.
          for (int polls = 0; polls < 50; ++polls) {
            auto r = send("GET", "/v1/applications/" + decision_->application_id);
            if (!r || r->status != 200) return seen(r);
            auto d = parse_decision(r->body);
            if (!d || d->application_id != decision_->application_id) return seen(r);
            if (d->status == "pending") continue;
            return d->status == decision_->status ? std::string() : "now " + d->status;
          }
          return "still pending after 50 polls";
        });

  check("certificate-verifies",
        "the approved application's certificate is signed by its region's key in the keyring and "
        "its code matches",
        [&]() -> std::string {
          if (!decision_ || !keyring_) return "no application or no keyring";
          auto r = send("GET", "/v1/applications/" + decision_->application_id + "/certificate");
          if (!r || r->status != 200) return seen(r);
          const auto verdict = certs::verify_certificate_json(r->body, *keyring_);
          if (!verdict.genuine) return verdict.reason + ": " + verdict.message;
          return {};
        });

  check("print-confirmation", "POST /v1/applications/{id}/print-confirmation records the print",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          auto r =
              send("POST", "/v1/applications/" + decision_->application_id + "/print-confirmation",
                   json{{"job_id", 1}, {"job_state", "completed"}}.dump());
          return r && r->status == 200 ? std::string() : seen(r);
        });

  // 办理进度: the applicant's list, and collecting refused to anyone else and once printed.
  const std::string someone_else = "110101199003070011";
  check("applicant-applications",
        "POST /v1/applicants/applications lists the applicant's applications with their "
        "certificate and print, within their citizen session; another number is refused 403 "
        "citizen-session-mismatch within it (needs the citizen's face)",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          const std::string session = citizen_session();
          if (session.empty()) return options_.citizen_face.empty() ? kSkipped : "no session";
          const auto listed_for = [&](const std::string& number) {
            auto r = send("POST", "/v1/applicants/applications", json{{"id_number", number}}.dump(),
                          {"X-Citizen-Session: " + session});
            if (!r || r->status != 200)
              return Result<std::vector<ApplicationSummary>>(
                  Error{Completion::kInvalidData, seen(r)});
            return parse_applicant_applications(r->body);
          };
          const auto find = [&](const std::vector<ApplicationSummary>& list) {
            return std::find_if(list.begin(), list.end(), [&](const auto& a) {
              return a.application_id == decision_->application_id;
            });
          };
          auto mine = listed_for(options_.citizen.id_number);
          if (!mine) return mine.error().message;
          const auto it = find(mine.value());
          if (it == mine->end()) return "the application just made is not listed";
          if (!it->certificate || it->print_state != "completed")
            return "listed without its certificate or its confirmed print";
          return refused_with(
              send("POST", "/v1/applicants/applications", json{{"id_number", someone_else}}.dump(),
                   {"X-Citizen-Session: " + session}),
              ProtocolError::kCitizenSessionMismatch);
        });
  check("application-progress",
        "GET /v1/applications/{id}/progress tells where it stands by the number alone; an "
        "unknown number is 404",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          auto r = send("GET", "/v1/applications/" + decision_->application_id + "/progress");
          if (!r || r->status != 200) return seen(r);
          auto p = parse_application_progress(r->body);
          if (!p) return p.error().message;
          if (p->application_id != decision_->application_id || p->item_code != item_)
            return "another application: " + seen(r);
          if (r->body.find(options_.citizen.id_number) != std::string::npos ||
              r->body.find(options_.citizen.name) != std::string::npos)
            return "it names the applicant";
          return refused_with(send("GET", "/v1/applications/A0000000000000000/progress"),
                              ProtocolError::kNoSuchApplication);
        });
  check("collect-refused",
        "POST /v1/applications/{id}/collect is 401 without a citizen session, 403 for another "
        "number within the applicant's, 409 once printed (needs the citizen's face)",
        [&]() -> std::string {
          if (!decision_) return "no application made";
          const std::string path = "/v1/applications/" + decision_->application_id + "/collect";
          const json mine = {{"id_number", options_.citizen.id_number}};
          if (auto e = refused_with(send("POST", path, mine.dump()),
                                    ProtocolError::kCitizenSessionRequired);
              !e.empty())
            return "without a session: " + e;
          const std::string session = citizen_session();
          if (session.empty()) return options_.citizen_face.empty() ? kSkipped : "no session";
          const std::string header = "X-Citizen-Session: " + session;
          if (auto e = refused_with(
                  send("POST", path, json{{"id_number", someone_else}}.dump(), {header}),
                  ProtocolError::kCitizenSessionMismatch);
              !e.empty())
            return "another number: " + e;
          if (auto e = refused_with(send("POST", path, mine.dump(), {header}),
                                    ProtocolError::kNotApproved);
              !e.empty())
            return "printed already: " + e;
          return {};
        });

  check("unknown-application", "an unknown application id is 404 no-such-application",
        [&]() -> std::string {
          return refused_with(send("GET", "/v1/applications/A0000000000000000"),
                              ProtocolError::kNoSuchApplication);
        });

  check("heartbeat-anchor",
        "a heartbeat is received, and the journal head it carries is the terminal's anchor",
        [&]() -> std::string {
          auto before = send("GET", "/v1/journal-anchor");
          int64_t seq = 1;
          if (before && before->status == 200)
            seq = whole_number<int64_t>(parse_json(before->body), "seq", 0).value_or(0) + 1;
          const std::string hash = "k1:" + certs::sm3_hex(options_.run_id);
          auto r = send(
              "POST", "/v1/terminals/" + client_options_.terminal_id + "/heartbeat",
              json{{"queue_waiting", 0}, {"journal_head", {{"seq", seq}, {"hash", hash}}}}.dump());
          if (!r || r->status != 200) return seen(r);
          auto anchor = send("GET", "/v1/journal-anchor");
          auto a = anchor && anchor->status == 200 ? parse_journal_anchor(anchor->body)
                                                   : Result<BackendClient::JournalAnchor>(Error{});
          if (!a || a->seq != seq || a->hash != hash) return "the anchor: " + seen(anchor);
          return {};
        });

  check("error-bad-json", "a body that is not JSON is 400 bad-json", [&]() -> std::string {
    return refused_with(
        send("POST", "/v1/applications", "not json", {"Idempotency-Key: " + key("bad-json")}),
        ProtocolError::kBadJson);
  });
  check("error-too-deep", "a body nested 40 deep is 400 too-deep", [&]() -> std::string {
    return refused_with(
        send("POST", "/v1/applications", std::string(40, '[') + std::string(40, ']'),
             {"Idempotency-Key: " + key("too-deep")}),
        ProtocolError::kTooDeep);
  });
  check("error-no-idempotency-key", "an application without Idempotency-Key is 400",
        [&]() -> std::string {
          return refused_with(send("POST", "/v1/applications", body),
                              ProtocolError::kNoIdempotencyKey);
        });
  check("error-unknown-item", "an item outside the catalogue is 422 unknown-item",
        [&]() -> std::string {
          return refused_with(send("POST", "/v1/applications", application_body("NO-SUCH-ITEM"),
                                   {"Idempotency-Key: " + key("unknown-item")}),
                              ProtocolError::kUnknownItem);
        });
  check("error-too-large", "a 5 MiB body is 413 too-large", [&]() -> std::string {
    return refused_with(send("POST", "/v1/applications", std::string(5 << 20, ' '),
                             {"Idempotency-Key: " + key("too-large")}),
                        ProtocolError::kTooLarge);
  });
  check("error-not-found", "an unknown operation is 404 not-found", [&]() -> std::string {
    return refused_with(send("GET", "/v1/no-such-operation"), ProtocolError::kNotFound);
  });
  check("terminal-mismatch",
        "under mutual TLS, an X-Terminal-Id other than the certificate's is 403 terminal-mismatch",
        [&]() -> std::string {
          if (client_options_.client_cert.empty()) return kSkipped;
          BackendClient::Options impostor = client_options_;
          impostor.terminal_id = client_options_.terminal_id + "-OTHER";
          return refused_with(
              BackendClient(client_.base_url(), impostor).exchange("GET", "/v1/health"),
              ProtocolError::kTerminalMismatch);
        });
  return checks_;
}

}  // namespace

std::vector<ConformanceCheck> run_conformance(const BackendClient& client,
                                              const BackendClient::Options& client_options,
                                              const ConformanceOptions& options) {
  return Suite(client, client_options, options).run();
}

}  // namespace smzc::services
