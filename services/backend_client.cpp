#include "services/backend_client.h"
#include "services/backend_replies.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/deadline.h"
#include "base/json.h"
#include "base/paths.h"
#include "base/privacy.h"
#include "base/text.h"
#include "certs/signing.h"

namespace smzc::services {
namespace {

// An answer nests at most this deep and is at most this large; anything else is refused before
// it is parsed (nothing recursive meets a hostile document).
constexpr size_t kMaxReplyBytes = 8 << 20;

using nlohmann::json;

size_t collect_etag(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "etag:";
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    std::string value(line.substr(kName.size()));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    *static_cast<std::string*>(user) = value;
  }
  return size * count;
}

// A cache that cannot be read (missing, not a file, too large) is no cache.
std::string read_text(const std::filesystem::path& path) {
  auto text = read_file(path);
  return text ? std::move(text.value()) : std::string();
}

// Written beside and renamed over, so a power cut never leaves half a cache.
void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const auto tmp = path.string() + ".new";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return;
  }
  std::filesystem::rename(tmp, path, ec);
}

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxReplyBytes) return 0;  // ends the transfer
  body->append(data, size * count);
  return size * count;
}

struct CurlCloser {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistCloser {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// Runs one transfer on the handle's own multi handle, so a stop from another thread wakes it at
// once. Returns libcurl's result for the transfer, or kCanceled.
Result<CURLcode> perform(CURL* easy, CURLM* multi, std::stop_token stop) {
  if (curl_multi_add_handle(multi, easy) != CURLM_OK)
    return Error{Completion::kHardwareError, "curl_multi_add_handle failed"};
  std::stop_callback wake(stop, [multi] { curl_multi_wakeup(multi); });
  CURLcode result = CURLE_OK;
  bool finished = false, stopped = false;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left))
      if (msg->msg == CURLMSG_DONE) {
        result = msg->data.result;
        finished = true;
      }
    if (finished || running == 0) break;
    if (stop.stop_requested()) {
      stopped = true;
      break;
    }
    // The transfer's own timeout (CURLOPT_TIMEOUT_MS) ends it; this only bounds one wait.
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  // Removing an unfinished transfer closes its connection: nothing half-read is reused.
  curl_multi_remove_handle(multi, easy);
  if (stopped) return Error{Completion::kCanceled, "request canceled"};
  if (!finished) return Error{Completion::kHardwareError, "curl_multi_perform failed"};
  return result;
}

}  // namespace

// libcurl does not support sharing connections between threads; so each request borrows an idle
// handle pair and gives it back, two threads never hold the same one, and only DNS and TLS
// sessions are shared (under locks). Each easy handle runs inside a multi handle of its own,
// which keeps its connection open between requests and lets another thread wake the transfer
// (curl_multi_wakeup) when the caller's stop token is requested.
struct BackendClient::ConnectionPool {
  struct Handle {
    CURL* easy = nullptr;
    CURLM* multi = nullptr;
  };
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
  std::mutex idle_mutex;
  std::vector<Handle> idle;

  Handle acquire() {
    {
      std::lock_guard lock(idle_mutex);
      if (!idle.empty()) {
        Handle h = idle.back();
        idle.pop_back();
        curl_easy_reset(h.easy);  // options go; the live connection and TLS session stay
        return h;
      }
    }
    Handle h{curl_easy_init(), curl_multi_init()};
    if (!h.easy || !h.multi) {
      if (h.easy) curl_easy_cleanup(h.easy);
      if (h.multi) curl_multi_cleanup(h.multi);
      return {};
    }
    return h;
  }
  void release(Handle h) {
    std::lock_guard lock(idle_mutex);
    idle.push_back(h);
  }

  ConnectionPool() {
    share = curl_share_init();
    if (!share) return;
    curl_share_setopt(
        share, CURLSHOPT_LOCKFUNC, +[](CURL*, curl_lock_data d, curl_lock_access, void* p) {
          static_cast<ConnectionPool*>(p)->locks[d].lock();
        });
    curl_share_setopt(
        share, CURLSHOPT_UNLOCKFUNC, +[](CURL*, curl_lock_data d, void* p) {
          static_cast<ConnectionPool*>(p)->locks[d].unlock();
        });
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    for (auto data : {CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_DNS})
      curl_share_setopt(share, CURLSHOPT_SHARE, data);
  }
  ~ConnectionPool() {
    for (Handle h : idle) {
      curl_multi_cleanup(h.multi);
      curl_easy_cleanup(h.easy);
    }
    if (share) curl_share_cleanup(share);
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
};

BackendClient::BackendClient(std::string base_url, Options options)
    : base_url_(std::move(base_url)), options_(std::move(options)) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  pool_ = std::make_shared<ConnectionPool>();
}

Result<BackendClient::Reply> BackendClient::request(const std::string& method,
                                                    const std::string& path,
                                                    const std::string& body,
                                                    const std::vector<std::string>& headers) const {
  if (stop_.stop_requested()) return Error{Completion::kCanceled, "canceled before " + path};
  struct Borrowed {
    ConnectionPool& pool;
    ConnectionPool::Handle handle;
    ~Borrowed() {
      if (handle.easy) pool.release(handle);
    }
  } curl{*pool_, pool_->acquire()};
  if (!curl.handle.easy) return Error{Completion::kHardwareError, "curl_easy_init failed"};
  std::unique_ptr<curl_slist, SlistCloser> list;
  auto add_header = [&list](const std::string& h) {
    if (curl_slist* longer = curl_slist_append(list.get(), h.c_str())) {
      (void)list.release();
      list.reset(longer);
    }
  };
  add_header("Accept: application/json");
  add_header("X-Terminal-Id: " + options_.terminal_id);
  for (const auto& h : headers) add_header(h);
  Reply reply;
  const std::string url = base_url_ + path;
  CURL* c = curl.handle.easy;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (pool_->share) curl_easy_setopt(c, CURLOPT_SHARE, pool_->share);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_etag);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply.etag);
  if (method == "POST") {
    add_header("Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  } else if (method == "DELETE") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  const std::string source = "host!" + options_.source_address;
  if (!options_.source_address.empty()) curl_easy_setopt(c, CURLOPT_INTERFACE, source.c_str());
  if (!options_.client_cert.empty()) {
    curl_easy_setopt(c, CURLOPT_SSLCERT, options_.client_cert.c_str());
    curl_easy_setopt(c, CURLOPT_SSLKEY, options_.client_key.c_str());
  }
  auto done = perform(curl.handle.easy, curl.handle.multi, stop_);
  if (!done) return Error{done.code(), done.error().message + " (" + url + ")"};
  const CURLcode rc = done.value();
  if (rc == CURLE_WRITE_ERROR)
    return Error{Completion::kInvalidData, "the answer to " + path + " is larger than " +
                                               std::to_string(kMaxReplyBytes) + " bytes"};
  if (rc != CURLE_OK) {
    const Completion code =
        rc == CURLE_OPERATION_TIMEDOUT ? Completion::kTimeout : Completion::kDeviceNotReady;
    return Error{code, "backend unreachable (" + url + "): " + curl_easy_strerror(rc)};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Error BackendClient::http_error(const std::string& method, const std::string& path,
                                const Reply& reply) {
  const std::string message = describe_http_error(reply.status, reply.body);
  // 408 and 429 say "not now", like a 5xx; any other 4xx is a refusal of the request itself.
  const bool not_now = reply.status >= 500 || reply.status == 408 || reply.status == 429;
  const Completion code = not_now ? Completion::kDeviceNotReady : Completion::kInvalidData;
  return Error{code, method + " " + path + " -> " + message};
}

Result<BackendClient::Reply> BackendClient::request_with_retries(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::string>& headers) const {
  // Every request that changes state carries an idempotency key or is idempotent by nature, so a
  // retry after a lost answer changes nothing twice.
  auto backoff = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    auto reply = request(method, path, body, headers);
    const bool transient =
        reply
            ? (reply->status >= 500 || reply->status == 408 || reply->status == 429)
            : (reply.code() == Completion::kDeviceNotReady || reply.code() == Completion::kTimeout);
    if (!transient || attempt >= options_.attempts) return reply;
    if (!sleep_until(after(backoff), stop_)) return Error{Completion::kCanceled, "canceled"};
    backoff *= 2;
  }
}

Result<std::string> BackendClient::request_ok(const std::string& method, const std::string& path,
                                              const std::string& body,
                                              const std::vector<std::string>& headers) const {
  auto reply = request_with_retries(method, path, body, headers);
  if (!reply) return reply.error();
  if (reply->status >= 200 && reply->status < 300) return std::move(reply->body);
  return http_error(method, path, reply.value());
}

// A signed document kept in `cache`: an unchanged one (ETag) is not sent again, an older one
// than the copy in use is a replay and is refused, and when the backend cannot be reached the
// cached copy serves (marked offline by the caller's `offline`).
template <typename T, typename FromText, typename Older, typename Offline>
Result<T> BackendClient::fetch_signed(const std::string& path, const std::filesystem::path& cache,
                                      FromText from_text, Older older, Offline offline) const {
  std::string cached, cached_etag;
  if (!cache.empty()) {
    cached = read_text(cache);
    cached_etag = read_text(cache.string() + ".etag");
  }
  std::vector<std::string> headers;
  if (!cached.empty() && !cached_etag.empty()) headers.push_back("If-None-Match: " + cached_etag);
  auto reply = request_with_retries("GET", path, "", headers);
  if (reply && reply->status == 304 && !cached.empty()) return from_text(cached);
  if (reply && reply->status == 200) {
    Result<T> fresh = from_text(reply->body);
    if (fresh && !cached.empty()) {
      Result<T> last = from_text(cached);
      if (last && older(fresh.value(), last.value())) {
        spdlog::warn("{} refused: older than the copy already in use", path);
        return last;
      }
    }
    if (fresh && !cache.empty()) {
      write_text_atomically(cache, reply->body);
      write_text_atomically(cache.string() + ".etag", reply->etag);
    }
    return fresh;
  }
  const Error error = reply ? http_error("GET", path, reply.value()) : reply.error();
  // Unreachable or failing: the last good copy keeps the terminal serving.
  if (error.code == Completion::kDeviceNotReady || error.code == Completion::kTimeout) {
    if (!cached.empty()) {
      Result<T> last = from_text(cached);
      if (last) {
        offline(last.value());
        return last;
      }
    }
  }
  return error;
}

Result<Catalogue> BackendClient::catalogue(const certs::Sm2Key& issuer,
                                           const std::filesystem::path& cache) const {
  return fetch_signed<Catalogue>(
      "/v1/catalogue", cache,
      [&issuer](const std::string& text) { return verified_catalogue(text, issuer); },
      [](const Catalogue& fresh, const Catalogue& last) {
        return compare_versions(fresh.version, last.version) < 0;
      },
      [](Catalogue& last) { last.offline = true; });
}

Result<certs::Keyring> BackendClient::keyring(const certs::Sm2Key& anchor,
                                              const std::filesystem::path& cache,
                                              const std::vector<std::string>& regions) const {
  return fetch_signed<certs::Keyring>(
      "/v1/keyring", cache,
      [&](const std::string& text) {
        return certs::Keyring::from_signed_json(text, anchor, regions);
      },
      // A keyring from before a revocation would bring a revoked key back.
      [](const certs::Keyring& fresh, const certs::Keyring& last) {
        return compare_versions(fresh.version(), last.version()) < 0;
      },
      [](certs::Keyring&) {});
}

Status BackendClient::request_reprint(const std::string& application_id,
                                      const std::string& reason) const {
  auto text = request_ok("POST", "/v1/applications/" + application_id + "/reprint",
                         json{{"reason", reason}}.dump());
  if (!text) return text.error();
  return ok_status();
}

void Applicant::wipe() {
  for (auto* s : {&id_number, &name, &valid_to, &birth_date}) smzc::wipe(*s);
  for (auto* m : {&form, &elicenses, &scans}) {
    for (auto& [k, v] : *m) smzc::wipe(v);
    m->clear();
  }
  materials.clear();
}

Result<IdentityCheck> BackendClient::verify_identity(const Applicant& applicant,
                                                     const std::string& face_image) const {
  json body = {{"id_number", applicant.id_number},
               {"name", applicant.name},
               {"valid_to", applicant.valid_to}};
  if (!face_image.empty()) body["face_image"] = certs::base64_encode(face_image);
  auto text = request_ok("POST", "/v1/identity/verify", body.dump());
  if (!text) return text.error();
  return parse_identity_check(text.value(), false);
}

Result<IdentityCheck> BackendClient::verify_eid_code(const std::string& code) const {
  auto text = request_ok("POST", "/v1/identity/verify", json{{"eid_code", code}}.dump());
  if (!text) return text.error();
  return parse_identity_check(text.value(), true);
}

Result<std::optional<std::string>> BackendClient::lookup_elicense(
    const std::string& id_number, const std::string& material) const {
  const std::string path = "/v1/elicenses/lookup";
  auto reply = request_with_retries(
      "POST", path, json{{"id_number", id_number}, {"material", material}}.dump(), {});
  if (!reply) return reply.error();
  if (reply->status == 404) return std::optional<std::string>();
  if (reply->status != 200) return http_error("POST", path, reply.value());
  auto reference = parse_elicense_reference(reply->body);
  if (!reference) return reference.error();
  return std::optional<std::string>(std::move(reference.value()));
}

std::string BackendClient::application_body(const std::string& item_code,
                                            const Applicant& applicant) const {
  // Every scan is a material sent along: its name is listed with the named ones.
  json scans = json::object();
  std::vector<std::string> materials = applicant.materials;
  for (const auto& [name, bytes] : applicant.scans) {
    scans[name] = certs::base64_encode(bytes);
    if (std::find(materials.begin(), materials.end(), name) == materials.end())
      materials.push_back(name);
  }
  json body = {{"item_code", item_code},
               {"terminal_id", options_.terminal_id},
               {"applicant",
                {{"id_number", applicant.id_number},
                 {"name", applicant.name},
                 {"valid_to", applicant.valid_to},
                 {"birth_date", applicant.birth_date},
                 {"materials", materials},
                 {"form", applicant.form},
                 {"elicenses", applicant.elicenses},
                 {"scans", scans}}}};
  return body.dump();
}

Result<Decision> BackendClient::submit(const std::string& item_code, const Applicant& applicant,
                                       const std::string& idempotency_key,
                                       const std::string& journal_head) const {
  std::string body = application_body(item_code, applicant);
  auto decision = submit_body(body, idempotency_key, journal_head);
  wipe(body);
  return decision;
}

Result<Decision> BackendClient::submit_body(const std::string& body,
                                            const std::string& idempotency_key,
                                            const std::string& journal_head) const {
  std::vector<std::string> headers = {"Idempotency-Key: " + idempotency_key};
  if (!journal_head.empty()) headers.push_back("X-Journal-Head: " + journal_head);
  auto text = request_ok("POST", "/v1/applications", body, headers);
  if (!text) return text.error();
  return parse_decision(text.value());
}

Result<std::optional<Decision>> BackendClient::application_by_key(
    const std::string& idempotency_key) const {
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  char* escaped = curl ? curl_easy_escape(curl.get(), idempotency_key.c_str(),
                                          static_cast<int>(idempotency_key.size()))
                       : nullptr;
  if (!escaped) return Error{Completion::kHardwareError, "cannot encode the idempotency key"};
  const std::string path = std::string("/v1/applications?idempotency_key=") + escaped;
  curl_free(escaped);
  auto reply = request_with_retries("GET", path, "", {});
  if (!reply) return reply.error();
  if (reply->status == 404) return std::optional<Decision>();
  if (reply->status != 200) return http_error("GET", path, reply.value());
  auto decision = parse_decision(reply->body);
  if (!decision) return decision.error();
  return std::optional<Decision>(std::move(decision.value()));
}

Result<Decision> BackendClient::application(const std::string& application_id) const {
  auto text = request_ok("GET", "/v1/applications/" + application_id);
  if (!text) return text.error();
  return parse_decision(text.value());
}

Result<std::vector<ApplicationSummary>> BackendClient::applications_of(
    const std::string& id_number, const std::string& session) const {
  auto text = request_ok("POST", "/v1/applicants/applications",
                         json{{"id_number", id_number}}.dump(), {"X-Citizen-Session: " + session});
  if (!text) return text.error();
  return parse_applicant_applications(text.value());
}

Result<ApplicationSummary> BackendClient::application_progress(
    const std::string& application_id) const {
  auto text = request_ok("GET", "/v1/applications/" + application_id + "/progress");
  if (!text) return text.error();
  return parse_application_progress(text.value());
}

Status BackendClient::collect_certificate(const std::string& application_id,
                                          const std::string& id_number,
                                          const std::string& session) const {
  auto text = request_ok("POST", "/v1/applications/" + application_id + "/collect",
                         json{{"id_number", id_number}}.dump(), {"X-Citizen-Session: " + session});
  if (!text) return text.error();
  return ok_status();
}

Status BackendClient::end_citizen_session(const std::string& session) const {
  auto reply =
      request("DELETE", "/v1/citizen-sessions/current", {}, {"X-Citizen-Session: " + session});
  if (!reply) return reply.error();
  if (reply->status == 204 || reply->status == 401) return ok_status();
  return http_error("DELETE", "/v1/citizen-sessions/current", reply.value());
}

Result<std::string> BackendClient::certificate_json(const std::string& application_id) const {
  return request_ok("GET", "/v1/applications/" + application_id + "/certificate");
}

Result<certs::Certificate> BackendClient::certificate(const std::string& application_id,
                                                      const certs::Keyring& keyring) const {
  auto text = certificate_json(application_id);
  if (!text) return text.error();
  certs::Certificate checked;
  const auto verdict = certs::verify_certificate_json(text.value(), keyring, &checked);
  wipe(text.value());
  if (!verdict.genuine)
    return Error{Completion::kInvalidData,
                 "certificate " + verdict.reason + ": " + verdict.message};
  return checked;
}

Result<std::optional<BackendClient::JournalAnchor>> BackendClient::journal_anchor() const {
  auto reply = request_with_retries("GET", "/v1/journal-anchor", "", {});
  if (!reply) return reply.error();
  if (reply->status == 404) return std::optional<JournalAnchor>();
  if (reply->status != 200) return http_error("GET", "/v1/journal-anchor", reply.value());
  auto anchor = parse_journal_anchor(reply->body);
  if (!anchor) return anchor.error();
  return std::optional<JournalAnchor>(std::move(anchor.value()));
}

Status BackendClient::heartbeat(const std::string& report_json) const {
  auto reply =
      request("POST", "/v1/terminals/" + options_.terminal_id + "/heartbeat", report_json, {});
  if (!reply) return reply.error();
  if (reply->status != 200) return http_error("POST", "/v1/terminals/.../heartbeat", reply.value());
  return ok_status();
}

Status BackendClient::confirm_print(const std::string& application_id, int job_id,
                                    const std::string& job_state) const {
  auto text = request_ok("POST", "/v1/applications/" + application_id + "/print-confirmation",
                         json{{"job_id", job_id}, {"job_state", job_state}}.dump());
  if (!text) return text.error();
  return ok_status();
}

}  // namespace smzc::services
