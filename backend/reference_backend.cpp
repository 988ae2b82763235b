#include "backend/reference_backend.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "backend/documents.h"
#include "backend/request_validator.h"
#include "backend/rules.h"
#include "base/clock.h"
#include "base/identity.h"
#include "base/json.h"
#include "base/paths.h"
#include "base/privacy.h"
#include "base/protocol_errors.h"
#include "base/text.h"
#include "certs/certificate.h"
#include "certs/template.h"

namespace smzc::backend {
namespace {

using nlohmann::json;

// Limits on what a terminal may send (docs/backend-protocol.md).
constexpr size_t kMaxBodyBytes = 4 << 20;  // an application with its scanned materials
constexpr size_t kMaxHeartbeatBytes = 16 << 10;
// Workers, and how long one waits on a silent peer. cpp-httplib gives each connection a worker;
// the gate in front (connection_gate.h) keeps one address to its share and cuts trickled
// requests, and 256 workers served 1,000 terminals at once best on two cores (smzc_bench
// BackendUnderLoad: more workers only contend).
constexpr size_t kWorkerThreads = 256;
// Connections waiting to be accepted: a fleet reconnecting at once.
constexpr int kListenBacklog = 1024;
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kKeepAliveSeconds = 5;

// Every refusal: the status that goes with the code, and the documented body.
void reply_error(httplib::Response& res, ProtocolError error, const std::string& message) {
  res.status = info(error).status;
  res.set_content(
      json{{"error", {{"code", std::string(info(error).code)}, {"message", message}}}}.dump(),
      "application/json");
}

// Sends the whole answer and then ends the connection. The shared cpp-httplib decides keep-alive
// without asking the handlers; a body whose provider reports failure after writing everything is
// the one signal it takes to close. A HEAD answer has no body, so it goes out as GET's would: the
// client that sent a malformed HEAD reads one answer and then sees the connection end.
void close_after_answer(const httplib::Request& req, httplib::Response& res) {
  if (req.method == "HEAD") const_cast<httplib::Request&>(req).method = "GET";  // NOLINT
  auto body = std::make_shared<std::string>(std::move(res.body));
  const std::string type = res.get_header_value("Content-Type");
  res.body.clear();
  res.headers.erase("Content-Type");
  res.set_header("Connection", "close");
  res.set_content_provider(body->size(), type, [body](size_t, size_t, httplib::DataSink& sink) {
    sink.write(body->data(), body->size());
    return false;
  });
}

// The contribution history printed on the certificate: twelve months back from this one. The
// figures are made up but steady, so the same application prints the same rows.
// The citizen's phone number or mail address from an application, for the notice of its result.
Notification notice_for(const std::string& id, const json& item, const json& request,
                        const std::string& message) {
  auto text = [](const json& object, const char* key) -> std::string {
    const auto it = object.is_object() ? object.find(key) : object.end();
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
  };
  const auto applicant = request.find("applicant");
  json form = json::object();
  if (applicant != request.end() && applicant->is_object() && applicant->contains("form"))
    form = (*applicant)["form"];
  const bool mail = item.value("output", json::object()).value("kind", "") == "mail";
  if (mail && !text(form, "mail_address").empty())
    return {id, "mail", mask_address(text(form, "mail_address")), message};
  return {id, "sms", mask_phone(text(form, "phone")), message};
}

// The terminal a client certificate was issued to (its subject's CN); empty on plain HTTP.
std::string certified_terminal_id(const httplib::Request& req) {
  if (!req.ssl) return {};
  X509* cert = SSL_get1_peer_certificate(req.ssl);
  if (!cert) return {};
  char name[256] = {};
  const int n =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof name);
  X509_free(cert);
  return n > 0 ? std::string(name, static_cast<size_t>(n)) : std::string();
}

// The protocol's description, read once for every backend in the process: each request body is
// checked against its operation's schema there (request_validator.h).
const Result<std::shared_ptr<const RequestValidator>>& description_validator() {
  static const Result<std::shared_ptr<const RequestValidator>> loaded =
      RequestValidator::load(default_description_path());
  return loaded;
}

// httplib 0.11 lets an exception out of a handler end the whole process: a body of the wrong
// shape (a string where an object belongs) is answered 400 instead. And before any handler
// parses a body: nothing nests deeper than kMaxJsonDepth (a 100,000-deep array would overflow the
// stack of whatever recurses over it), and a heartbeat is small.
httplib::Server::Handler guarded(httplib::Server::Handler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (!json_depth_within(req.body, kMaxJsonDepth))
      return reply_error(res, ProtocolError::kTooDeep,
                         "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    // A terminal speaks for itself only: the name it gives is the one its certificate carries.
    const std::string claimed = req.get_header_value("X-Terminal-Id");
    const std::string certified = claimed.empty() ? std::string() : certified_terminal_id(req);
    if (!certified.empty() && claimed != certified)
      return reply_error(res, ProtocolError::kTerminalMismatch,
                         "X-Terminal-Id " + claimed + " is not the terminal of this certificate");
    if (req.path.find("/heartbeat") != std::string::npos && req.body.size() > kMaxHeartbeatBytes)
      return reply_error(res, ProtocolError::kTooLarge,
                         "a heartbeat is at most " + std::to_string(kMaxHeartbeatBytes) + " bytes");
    if (const auto& validator = description_validator())
      if (auto problem = validator.value()->problem(req.method, req.path, req.body))
        return reply_error(res, ProtocolError::kBadJson, *problem);
    try {
      handler(req, res);
    } catch (const std::exception& e) {
      reply_error(res, ProtocolError::kBadRequest, e.what());
    }
  };
}

void post(httplib::Server& s, const std::string& pattern, httplib::Server::Handler handler) {
  s.Post(pattern, guarded(std::move(handler)));
}

void get(httplib::Server& s, const std::string& pattern, httplib::Server::Handler handler) {
  s.Get(pattern, guarded(std::move(handler)));
}

}  // namespace

std::filesystem::path default_catalogue_path() {
  return data_file("backend/data/catalogue.json");
}

namespace {
std::unique_ptr<httplib::Server> make_server(const ReferenceBackend::Options& o) {
  if (o.tls_cert.empty()) return std::make_unique<httplib::Server>();
  auto server = std::make_unique<httplib::SSLServer>(
      o.tls_cert.c_str(), o.tls_key.c_str(), o.client_ca.empty() ? nullptr : o.client_ca.c_str());
  // A terminal that reconnects offers to resume its TLS session. With client certificates,
  // OpenSSL refuses that with an internal-error alert unless the sessions are tied to this
  // server (the session id context): the reconnect would fail outright instead of resuming.
  static constexpr unsigned char kSessionContext[] = "smzc-backend";
  if (SSL_CTX* ctx = server->ssl_context())
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  return server;
}
}  // namespace

namespace {
// Who is asking: under mutual TLS, the terminal's client certificate (the SHA-256 fingerprint of
// its DER), which no request header can claim; on plain HTTP (development only) every client is
// the same unnamed terminal.
std::string requester(const httplib::Request& req) {
  if (req.ssl) {
    if (X509* cert = SSL_get1_peer_certificate(req.ssl)) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      const bool ok = X509_digest(cert, EVP_sha256(), digest, &length) == 1;
      X509_free(cert);
      if (ok) return "cert:" + certs::to_hex({reinterpret_cast<const char*>(digest), length});
    }
  }
  return "plain";
}

// If-None-Match as RFC 9110 (13.1.2) compares it: "*", or any tag of a comma-separated list
// equal to `etag` by the weak comparison (a W/ prefix on either side is ignored).
bool none_match(const std::string& header, const std::string& etag) {
  auto opaque = [](std::string tag) {
    const auto first = tag.find_first_not_of(" \t");
    const auto last = tag.find_last_not_of(" \t");
    tag = first == std::string::npos ? "" : tag.substr(first, last - first + 1);
    return tag.rfind("W/", 0) == 0 ? tag.substr(2) : tag;
  };
  if (opaque(header) == "*") return true;
  size_t start = 0;
  for (;;) {
    const size_t comma = header.find(',', start);
    if (opaque(header.substr(start, comma - start)) == opaque(etag)) return true;
    if (comma == std::string::npos) return false;
    start = comma + 1;
  }
}

// Application ids carry 80 random bits: nobody finds an application by counting.
std::string new_application_id() {
  unsigned char bytes[10];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
  static const char kDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
  std::string id = "A";
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 5; ++i) hi = (hi << 8) | bytes[i];
  for (int i = 5; i < 10; ++i) lo = (lo << 8) | bytes[i];
  for (uint64_t part : {hi, lo})
    for (int shift = 35; shift >= 0; shift -= 5) id += kDigits[(part >> shift) & 31];
  return id;
}
// A terminal's journal that lacks entries it reported before is logged for people to look at;
// the request that shows it is still served.
void warn_journal_went_back(const std::string& terminal_id, int64_t seq) {
  spdlog::warn("journal of terminal {} went back to entry {}: truncated?", terminal_id, seq);
}

}  // namespace

ReferenceBackend::ReferenceBackend(Options options)
    : options_(std::move(options)),
      gate_(options_.connection_limits),
      server_(make_server(options_)) {
  auto key = options_.signing_key_pem.empty() ? certs::Sm2Key::generate()
                                              : certs::Sm2Key::from_pem(options_.signing_key_pem);
  if (key) key_ = std::move(key.value());  // a bad key makes start() fail
  if (auto rogue = certs::Sm2Key::generate()) rogue_key_ = std::move(rogue.value());
  load_catalogue();
  for (const auto& name : certs::template_names())
    if (auto layout = certs::load_template(name)) key_fields_[name] = layout->key_fields;
  make_issuer_keys();
  install_routes();
}

// The catalogue file holds every region's items; this backend serves those of its regions,
// signed with its key.
void ReferenceBackend::load_catalogue() {
  std::ifstream in(options_.catalogue_path);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  json all = parse_json(text);
  if (!in || all.is_discarded() || !all.contains("items")) {
    catalogue_error_ = "cannot read " + options_.catalogue_path.string();
    return;
  }
  json items = json::array();
  for (const auto& item : all["items"]) {
    const std::string region = item.value("region_code", "");
    if (options_.regions.empty() || std::find(options_.regions.begin(), options_.regions.end(),
                                              region) != options_.regions.end())
      items.push_back(item);
  }
  // Signed with an expiry, so an old copy cannot be replayed to terminals for ever.
  const auto expires = clock().now() + options_.catalogue_validity;
  catalogue_ = {
      {"version", all.value("version", "0")},
      {"expires_at_ms",
       std::chrono::duration_cast<std::chrono::milliseconds>(expires.time_since_epoch()).count()},
      {"regions", all.value("regions", json::object())},
      {"categories", all.value("categories", json::object())},
      {"items", items}};
  auto signed_json = certs::sign_json(catalogue_.dump(), key_);
  if (!signed_json) {
    catalogue_error_ = signed_json.error().message;
    return;
  }
  signed_catalogue_ = signed_json.value();
  catalogue_etag_ = "\"" + catalogue_.value("version", "0") + "-" + key_.key_id() + "-" +
                    std::to_string(items.size()) + "\"";
}

// One issuing key per region this backend owns: the configured one, or a fresh one.
void ReferenceBackend::make_issuer_keys() {
  std::set<std::string> owned;
  for (const auto& item : catalogue_.value("items", json::array()))
    owned.insert(item.value("region_code", ""));
  for (const auto& region : owned) {
    auto configured = options_.issuer_key_pems.find(region);
    auto key = configured != options_.issuer_key_pems.end()
                   ? certs::Sm2Key::from_pem(configured->second)
                   : certs::Sm2Key::generate();
    if (!key) {
      catalogue_error_ = "issuer key of " + region + ": " + key.error().message;
      continue;
    }
    add_issuer_key(region, std::move(key.value()));
  }
}

void ReferenceBackend::add_issuer_key(const std::string& region, certs::Sm2Key key) {
  const json regions = catalogue_.value("regions", json::object());
  std::string name;
  if (regions.contains(region) && regions[region].is_object())
    name = regions[region].value("name", "");
  auto pem = key.public_pem();
  keyring_.push_back({region, name, key.key_id(), pem ? pem.value() : "", false, ""});
  std::lock_guard keys(keys_mutex_);
  auto& slot = issuer_keys_[region];
  if (slot) retired_keys_.push_back(slot);
  slot = std::make_shared<const certs::Sm2Key>(std::move(key));
  // Later keyrings carry higher versions, so a terminal never goes back to an older one.
  keyring_version_ = std::to_string(clock().unix_ms() * 100 + keyring_.size() % 100);
}

const certs::Sm2Key& ReferenceBackend::issuer_key(const std::string& region_code) const {
  static const certs::Sm2Key none;
  std::lock_guard keys(keys_mutex_);
  auto it = issuer_keys_.find(region_code);
  return it == issuer_keys_.end() ? none : *it->second;
}

std::string ReferenceBackend::signed_keyring() const {
  auto signed_json = certs::sign_json(
      certs::Keyring::to_json(keyring_, keyring_version_, clock().rfc3339()), key_);
  return signed_json ? signed_json.value() : std::string();
}

Status ReferenceBackend::revoke_issuer_key(const std::string& region_code) {
  std::lock_guard lock(mutex_);
  const std::string current = issuer_key(region_code).key_id();
  if (current.empty())
    return Error{Completion::kInvalidData, "this backend issues nothing for " + region_code};
  for (auto& k : keyring_)
    if (k.region_code == region_code && k.key_id == current) {
      k.revoked = true;
      k.revoked_at = clock().rfc3339();
    }
  auto fresh = certs::Sm2Key::generate();
  if (!fresh) return fresh.error();
  add_issuer_key(region_code, std::move(fresh.value()));
  return ok_status();
}

size_t ReferenceBackend::catalogue_size() const {
  return catalogue_["items"].size();
}

std::string ReferenceBackend::public_key_pem() const {
  auto pem = key_.public_pem();
  return pem ? pem.value() : std::string();
}

ReferenceBackend::Faults ReferenceBackend::faults() const {
  std::lock_guard lock(faults_mutex_);
  return faults_;
}

void ReferenceBackend::set_faults(const Faults& faults) {
  std::lock_guard lock(faults_mutex_);
  faults_ = faults;
  requests_cv_.notify_all();  // answers held back by a latency that is no longer wanted go out
}

bool ReferenceBackend::misbehave(httplib::Response& res) {
  Faults f;
  size_t n;
  {
    std::unique_lock lock(faults_mutex_);
    f = faults_;
    n = ++requests_;
    requests_cv_.notify_all();
    // A slow backend; stopping the server, or clearing the fault, cuts the wait short.
    if (f.latency_ms > 0)
      requests_cv_.wait_for(lock, std::chrono::milliseconds(f.latency_ms),
                            [this] { return stopping_ || faults_.latency_ms == 0; });
  }
  if (f.fail_every > 0 && n % static_cast<size_t>(f.fail_every) == 0) {
    reply_error(res, ProtocolError::kUnavailable, "the backend is overloaded (fault switch)");
    return true;
  }
  return false;
}

ReferenceBackend::~ReferenceBackend() {
  stop();
}

Result<int> ReferenceBackend::start() {
  if (const auto& validator = description_validator(); !validator) return validator.error();
  if (!key_.has_private())
    return Error{Completion::kInvalidData, "the certificate signing key is not a usable SM2 key"};
  if (signed_catalogue_.empty())
    return Error{Completion::kInvalidData, "no catalogue: " + catalogue_error_};
  auto data_key = options_.data_key.empty() ? certs::DataKey::random()
                                            : certs::DataKey::load_or_create(options_.data_key);
  if (!data_key) return data_key.error();
  auto store = ApplicationStore::open(options_.database.string(), std::move(data_key.value()));
  if (!store) return store.error();
  store_ = std::move(store.value());
  sessions_ = std::make_unique<CitizenSessions>(clock(), options_.citizen_sessions);
  auto faces = FaceRegister::load(options_.face_register);
  if (!faces) return faces.error();
  faces_ = std::move(faces.value());
  if (!server_->is_valid())
    return Error{Completion::kInvalidData, "cannot use the TLS certificate, key or client CA"};
  // The server listens on loopback behind the gate (backend/connection_gate.h), which takes the
  // public address; cpp-httplib's backlog of 5 is raised for the gate's bursts of connections.
  int listening = -1;
  server_->set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  const int inner_port = server_->bind_to_any_port("127.0.0.1");
  if (inner_port <= 0)
    return Error{Completion::kDeviceNotReady, "cannot listen on a loopback port"};
  if (listening >= 0 && ::listen(listening, kListenBacklog) != 0)
    spdlog::warn("listen backlog stays at cpp-httplib's 5: {}", std::strerror(errno));
  auto port = gate_.start(options_.host, options_.port, inner_port);
  if (!port) return port.error();
  port_ = port.value();
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port_;
}

bool ReferenceBackend::wait_for_requests(size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(faults_mutex_);
  return requests_cv_.wait_for(lock, timeout, [&] { return requests_ >= count; });
}

void ReferenceBackend::stop() {
  {
    std::lock_guard lock(faults_mutex_);
    stopping_ = true;
    requests_cv_.notify_all();
  }
  gate_.stop();
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

std::string ReferenceBackend::base_url() const {
  return (options_.tls_cert.empty() ? "http://" : "https://") + options_.host + ":" +
         std::to_string(port_);
}

size_t ReferenceBackend::requests_received() const {
  std::lock_guard lock(faults_mutex_);
  return requests_;
}

size_t ReferenceBackend::application_count() const {
  std::lock_guard lock(mutex_);
  return store_ ? store_->count() : 0;
}

// Instant items (秒批) are decided at once by their rules; manual items are accepted as submitted
// and get a receipt. Either way the terminal prints a signed document.
std::string ReferenceBackend::decide(const std::string& body, Application& app) {
  json req = parse_json(body);
  const json applicant = req.value("applicant", json::object());
  const std::string code = req.value("item_code", "");
  json reasons = json::array();
  const json* item = find_item(code);  // the route refused unknown items
  if (item)
    for (const auto& r : check_rules(*item, applicant, clock().today()))
      reasons.push_back({{"code", r.code}, {"message", r.message}});
  const bool manual = item && item->value("approval", "instant") == "manual";
  app.item_code = code;
  app.status = !reasons.empty() ? "rejected" : manual ? "submitted" : "approved";
  if (item && reasons.empty()) app.certificate = issue_document(*item, applicant, app, true);
  json answer = {{"application_id", app.id}, {"status", app.status}, {"reasons", reasons}};
  if (manual && reasons.empty())
    answer["delivery"] =
        item->value("output", json::object()).value("kind", "") == "mail" ? "mail" : "sms";
  return answer.dump();
}

std::string ReferenceBackend::issue_document(const json& item, const json& applicant,
                                             const Application& app, bool at_counter) {
  const json output = item.value("output", json::object());
  const std::string kind = output.value("kind", "certificate");
  const bool manual = item.value("approval", "instant") == "manual";
  // The serial carries the day of issue and the application's id, which is unique across every
  // backend instance on the same database (a count of rows would not be).
  const std::string today = clock().today();
  const std::string serial =
      item.value("code", "X") + "-" + today + "-" + (app.id.size() > 1 ? app.id.substr(1) : app.id);
  const std::string name = item.value("names", json::object()).value("zh-CN", "");
  // At the counter a manual item gets a receipt (受理回执); an instant one without a document of
  // its own gets a result notice (办理结果通知书); the rest get their document.
  std::string type = output.value("template", "generic");
  std::string title = output.value("title", name);
  json common = json::array();
  if (at_counter && (manual || kind == "receipt")) {
    type = manual ? "receipt" : "result-notice";
    title = manual ? "受理回执" : "办理结果通知书";
    common = json::array({{{"label", "事项"}, {"value", name}},
                          {{"label", "受理部门"}, {"value", item.value("department", "")}},
                          {{"label", "申请编号"}, {"value", app.id}},
                          {{"label", manual ? "受理时间" : "办理时间"},
                           {"value", clock().rfc3339().substr(0, 16).replace(10, 1, " ")}}});
    if (manual)
      common.push_back({{"label", "办理结果"},
                        {"value", kind == "mail" ? "审核通过后以邮政快递(包邮)寄送至申请地址"
                                                 : "审核结果将以短信通知，请留意"}});
    else
      common.push_back({{"label", "办理结果"}, {"value", "已通过(秒批)"}});
  }
  json content = document_content(type, item, applicant, today, common);
  json cert = {
      {"serial", serial},
      {"document_type", type},
      {"item_code", item.value("code", "")},
      {"title", title},
      {"issuer", item.value("department", "")},
      {"region_code", item.value("region_code", "")},
      {"issued_at", clock().rfc3339()},
      {"holder",
       {{"name", applicant.value("name", "")}, {"id_number", applicant.value("id_number", "")}}},
      {"reprint", 0},
      {"fields", content["fields"]}};
  if (content.contains("table")) cert["table"] = content["table"];
  return with_verify_code(cert);
}

// The certificate with its QR payload, signed by its region's issuing key; the fields the
// template names as key fields go into the code.
std::string ReferenceBackend::with_verify_code(json cert) const {
  auto parsed = certs::parse_certificate(cert.dump());
  if (!parsed) return cert.dump();
  static const std::vector<std::string> kNoKeyFields;
  const auto layout = key_fields_.find(parsed->document_type);
  auto payload =
      certs::make_verify_code(parsed.value(), issuer_key(parsed->region_code),
                              layout == key_fields_.end() ? kNoKeyFields : layout->second);
  parsed->wipe();
  if (payload)
    cert["verify_payload"] = payload.value();
  else
    spdlog::error("verification code of {}: {}", cert.value("serial", ""), payload.error().message);
  return cert.dump();
}

const json* ReferenceBackend::find_item(const std::string& code) const {
  for (const auto& item : catalogue_["items"])
    if (item.value("code", "") == code) return &item;
  return nullptr;
}

void ReferenceBackend::install_routes() {
  auto& s = *server_;
  // Small JSON answers go out at once instead of waiting on the peer's delayed ACK (~40 ms).
  s.set_tcp_nodelay(true);
  // Terminals keep their connection (and its TLS session) open across requests.
  s.set_keep_alive_max_count(10000);
  // A connection that sends nothing, or trickles, holds a worker only until its read times out,
  // and there are enough workers that a few such peers do not shut honest terminals out.
  s.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  s.set_read_timeout(kReadTimeoutSeconds, 0);
  s.set_write_timeout(kReadTimeoutSeconds, 0);
  s.set_keep_alive_timeout(kKeepAliveSeconds);
  // A body larger than kMaxBodyBytes is refused by the server itself (413) before it is read;
  // depth and the heartbeat's size are checked by every route (guarded()).
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_pre_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    return misbehave(res) ? httplib::Server::HandlerResponse::Handled
                          : httplib::Server::HandlerResponse::Unhandled;
  });
  // Answers the server itself makes (too large, malformed request line, no route) carry the
  // documented JSON error too, and end the connection: cpp-httplib 0.11 refuses a header line
  // over 8 KB or a body over the limit before reading the rest of the request, yet keeps the
  // connection, so the unread bytes would be taken for the client's next request.
  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 413)
          reply_error(res, ProtocolError::kTooLarge,
                      "the body is larger than " + std::to_string(kMaxBodyBytes) + " bytes");
        else if (res.status == 404)
          reply_error(res, ProtocolError::kNotFound, "no such resource");
        else
          reply_error(res, ProtocolError::kBadRequest, "the request is malformed");
        close_after_answer(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    const Faults f = faults();
    if (f.hostile_bodies) {
      // A well-formed answer no terminal should take in: nested 100,000 deep.
      res.headers.erase("Content-Length");
      res.set_content(std::string(100000, '[') + std::string(100000, ']'), "application/json");
      res.set_header("Content-Length", std::to_string(res.body.size()));
    }
    if (f.corrupt_bodies) {
      // The handler's body and its length and type headers all go.
      res.headers.erase("Content-Length");
      res.headers.erase("Content-Type");
      res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
      res.set_header("Content-Length", std::to_string(res.body.size()));
    }
    if (f.drop_connections) {
      // Announce the whole body, send half, then hang up.
      auto body = std::make_shared<std::string>(std::move(res.body));
      res.body.clear();
      res.set_content_provider(body->size(), "application/json",
                               [body](size_t, size_t, httplib::DataSink& sink) {
                                 sink.write(body->data(), body->size() / 2);
                                 return false;
                               });
    }
  });
  if (options_.fault_switches) {
    post(s, "/v1/_faults", [this](const httplib::Request& req, httplib::Response& res) {
      json b = parse_json(req.body);
      if (!b.is_object())
        return reply_error(res, ProtocolError::kBadJson, "body is not a JSON object");
      const auto latency = whole_number<int>(b, "latency_ms", 0);
      const auto every = whole_number<int>(b, "fail_every", 0);
      const auto polls = whole_number<int>(b, "pending_polls", 0);
      if (!latency || !every || !polls)
        return reply_error(res, ProtocolError::kBadJson, "counts must be whole numbers");
      set_faults({.latency_ms = *latency,
                  .fail_every = *every,
                  .drop_connections = b.value("drop_connections", false),
                  .corrupt_bodies = b.value("corrupt_bodies", false),
                  .bad_signatures = b.value("bad_signatures", false),
                  .pending_polls = *polls});
      res.set_content(R"({"faults":"set"})", "application/json");
    });
  }
  // Terminals fetch the keyring before every certificate they print: while it has not changed
  // (its version moves only with a key), its ETag answers 304.
  get(s, "/v1/keyring", [this](const httplib::Request& req, httplib::Response& res) {
    std::string ring;
    {
      std::lock_guard lock(mutex_);
      const std::string etag = "\"keyring-" + keyring_version_ + "\"";
      res.set_header("ETag", etag);
      if (none_match(req.get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return;
      }
      ring = signed_keyring();
    }
    if (ring.empty())
      return reply_error(res, ProtocolError::kSigningFailed, "cannot sign the keyring");
    res.set_content(ring, "application/json");
  });
  get(s, "/v1/keys", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"alg", "SM2-SM3"}, {"key_id", key_.key_id()}, {"public_key_pem", public_key_pem()}}
            .dump(),
        "application/json");
  });
  get(s, "/v1/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  get(s, "/v1/catalogue", [this](const httplib::Request& req, httplib::Response& res) {
    // The catalogue changes only with a new version, so its ETag is its signature's digest.
    res.set_header("ETag", catalogue_etag_);
    if (none_match(req.get_header_value("If-None-Match"), catalogue_etag_)) {
      res.status = 304;  // with the ETag, as RFC 9110 wants
      return;
    }
    res.set_content(signed_catalogue_, "application/json");
  });
  // Stands in for the province's e-ID platform: a code for a citizen's phone. Anyone who can
  // call it gets a valid code for any identity, so it is served only to demos and tests, as the
  // fault switches are.
  if (options_.fault_switches)
    post(s, "/v1/_eid", [this](const httplib::Request& req, httplib::Response& res) {
      json body = parse_json(req.body);
      if (!body.is_object() || !body.value("id_number", json()).is_string())
        return reply_error(res, ProtocolError::kBadJson, "id_number is required");
      json identity = {{"id_number", body.value("id_number", "")},
                       {"name", body.value("name", "")},
                       {"valid_to", body.value("valid_to", "")}};
      for (const auto& [key, value] : identity.items())
        if (value.get_ref<const std::string&>().size() > kMaxEidField)
          return reply_error(res, ProtocolError::kBadJson,
                             key + " must be at most " + std::to_string(kMaxEidField) + " bytes");
      auto code = issue_eid(identity);
      if (!code) return reply_error(res, ProtocolError::kSigningFailed, code.error().message);
      res.set_content(json{{"code", code.value()}}.dump(), "application/json");
    });
  // The ID record is checked against the register (here: the number's own rules and expiry);
  // a face image, when the terminal has a camera, must be a usable photo. A real platform
  // compares it with the register's photo and answers with a score; this one cannot.
  post(s, "/v1/identity/verify", [this](const httplib::Request& req, httplib::Response& res) {
    json body = parse_json(req.body);
    // Identified by an e-ID code instead of a card: the code stands for the register's record.
    json identity;
    if (body.is_object() && body.contains("eid_code")) {
      if (!body["eid_code"].is_string() ||
          body["eid_code"].get_ref<const std::string&>().size() > 1024)
        return reply_error(res, ProtocolError::kBadJson,
                           "eid_code must be a string of at most 1024 bytes");
      auto redeemed = redeem_eid(body["eid_code"].get<std::string>());
      if (!redeemed) {
        spdlog::info("identity check by e-ID code refused: {}", redeemed.error().message);
        res.set_content(
            json{
                {"verified", false}, {"face", "not-given"}, {"reasons", {redeemed.error().message}}}
                .dump(),
            "application/json");
        return;
      }
      identity = redeemed.value();
      body["id_number"] = identity["id_number"];
      body["valid_to"] = identity["valid_to"];
    }
    if (!body.is_object() || !body.value("id_number", json()).is_string())
      return reply_error(res, ProtocolError::kBadJson, "id_number is required");
    IdentityCard card;
    const std::string id = card.id_number = body.value("id_number", "");
    card.type = card_type_of_number(id);
    card.valid_to = body.value("valid_to", "");
    json reasons = json::array();
    if (!valid_id_number(card)) reasons.push_back("证件号码校验不通过");
    if (!card.valid_to.empty() && expired(card, clock().today()))
      reasons.push_back("证件已过有效期");
    // The face, when the terminal sent one, against the register photo of the same person.
    std::string face = "not-given";
    std::optional<FaceAnswer> compared;
    if (body.contains("face_image")) {
      auto image = body["face_image"].is_string()
                       ? certs::base64_decode(body["face_image"].get<std::string>())
                       : Result<std::string>(Error{Completion::kInvalidData, "not a string"});
      compared = image ? faces_->compare(id, image.value()) : FaceAnswer{"unusable", {}, {}};
      if (image) wipe(image.value());
      face = compared->face;
      if (face == "unusable") reasons.push_back("人像照片无法使用，请正对摄像头重新拍摄");
      if (face == "not-matched") reasons.push_back("人像与登记照片不符");
      if (face == "no-register-photo") reasons.push_back("没有该证件的登记照片，无法比对人像");
      if (face == "unavailable") reasons.push_back("人像比对暂不可用");
    }
    const bool ok = reasons.empty();
    spdlog::info("identity check {} (face {}) -> {}", mask_id_number(id), face, ok);
    json answer = {{"verified", ok}, {"face", face}, {"reasons", reasons}};
    if (compared && compared->score) answer["face_score"] = *compared->score;
    if (compared && compared->threshold) answer["face_threshold"] = *compared->threshold;
    if (ok && !identity.is_null()) answer["identity"] = identity;
    // The person is verified at this terminal: their records are served to it within a session
    // of their own, until they leave.
    if (ok && face == "matched") {
      auto token = sessions_->grant(store_->applicant_index(id), requester(req));
      if (!token) return reply_error(res, ProtocolError::kStorage, token.error().message);
      answer["citizen_session"] = {{"token", token.value()},
                                   {"expires_in_s", sessions_->lifetime_s()}};
    }
    res.set_content(answer.dump(), "application/json");
  });
  // 免证办: the platform finds a material in the e-licence library instead of a paper copy. The
  // reference library holds licences for mainland resident ID holders only.
  post(s, "/v1/elicenses/lookup", [](const httplib::Request& req, httplib::Response& res) {
    json body = parse_json(req.body);
    if (!body.is_object())
      return reply_error(res, ProtocolError::kBadJson, "body is not a JSON object");
    const std::string id = body.value("id_number", ""), material = body.value("material", "");
    if (material.empty()) return reply_error(res, ProtocolError::kBadJson, "material is required");
    const auto reference = elicense_reference(id, material);
    if (!reference) return reply_error(res, ProtocolError::kNoElicense, "电子证照库中没有该证照");
    res.set_content(
        json{{"material", material}, {"reference", *reference}, {"issuer", "广东省电子证照库"}}
            .dump(),
        "application/json");
  });
  post(s, "/v1/applications", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty())
      return reply_error(res, ProtocolError::kNoIdempotencyKey, "Idempotency-Key needed");
    json body = parse_json(req.body);
    if (!body.is_object() || !body.value("item_code", json()).is_string() ||
        !body.value("applicant", json()).is_object())
      return reply_error(res, ProtocolError::kBadJson, "item_code and applicant are required");
    // An item this backend does not own is refused, not stored as a rejected application.
    if (!find_item(body["item_code"].get<std::string>()))
      return reply_error(
          res, ProtocolError::kUnknownItem,
          "item " + body["item_code"].get<std::string>() + " is not in this backend's catalogue");
    const std::string digest = certs::sm3_hex(req.body);
    const std::string owner = requester(req);
    // Deciding (the rules, the document and its SM2 signature) holds no lock, so requests are
    // decided on every core at once, and a retry is decided again rather than wait to look its
    // key up behind a write; the store settles which of two with one key is kept.
    Application app;
    app.id = new_application_id();
    app.key = key;
    app.owner = owner;
    app.request_body = req.body;
    app.request_digest = digest;
    app.response_body = decide(req.body, app);
    // Everything that could throw on a badly shaped body is done before the application is kept.
    const json& id_number = body["applicant"]["id_number"];
    const std::string who =
        id_number.is_string() ? mask_id_number(id_number.get<std::string>()) : "?";
    if (id_number.is_string())
      app.applicant = store_->applicant_index(id_number.get<std::string>());
    app.submitted_ms = unix_time_ms();
    // Stored before it is answered: an answer lost on the way is found again by its key. Another
    // request or instance may have kept this key first: its answer is the answer. The terminal's
    // journal head as it applies ("SEQ:HASH") is anchored with it.
    ApplicationStore::NewApplication application{&app, std::nullopt, false};
    const std::string head = req.get_header_value("X-Journal-Head");
    const std::string terminal_id = req.get_header_value("X-Terminal-Id");
    if (const auto colon = head.find(':'); colon != std::string::npos && colon > 0 && colon < 20 &&
                                           head.size() < 200 &&
                                           head.find_first_not_of("0123456789") == colon)
      application.anchor = JournalAnchor{owner, terminal_id, std::stoll(head.substr(0, colon)),
                                         head.substr(colon + 1), unix_time_ms()};
    auto kept = keep(application);
    if (!kept) return reply_error(res, ProtocolError::kStorage, kept.error().message);
    if (kept->id != app.id) {
      if (kept->request_digest != digest)
        return reply_error(res, ProtocolError::kIdempotencyKeyReused,
                           "this Idempotency-Key was used with another request");
      res.set_content(kept->response_body, "application/json");
      return;
    }
    if (application.anchor_went_back) warn_journal_went_back(terminal_id, application.anchor->seq);
    spdlog::info("application {} for {}: {}", app.id, who, app.status);
    res.status = 201;
    res.set_content(app.response_body, "application/json");
  });
  // An application is found only by the terminal that made it; to anyone else it does not exist.
  auto find_app = [this](const httplib::Request& req) -> std::optional<Application> {
    auto app = store_->by_id(req.matches[1]);
    if (!app || app->owner != requester(req)) return std::nullopt;
    return app;
  };
  // Recovery: a terminal that restarted asks what became of a request it may have sent.
  get(s, "/v1/applications", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.get_param_value("idempotency_key");
    if (key.empty())
      return reply_error(res, ProtocolError::kNoIdempotencyKey, "idempotency_key is required");
    std::lock_guard lock(mutex_);
    auto app = store_->by_key(requester(req), key);
    if (!app) return reply_error(res, ProtocolError::kNoSuchApplication, "no application");
    res.set_content(app->response_body, "application/json");
  });
  get(s, R"(/v1/applications/([A-Za-z0-9-]+))",
      [this, find_app](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex_);
        auto app = find_app(req);
        if (!app) return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
        const int pending_polls = faults().pending_polls;
        if (pending_polls > 0 && status_polls_[app->id]++ < pending_polls) {
          res.set_content(json{{"application_id", app->id}, {"status", "pending"}}.dump(),
                          "application/json");
          return;
        }
        res.set_content(app->response_body, "application/json");
      });
  get(s, R"(/v1/applications/([A-Za-z0-9-]+)/certificate)",
      [this, find_app](const httplib::Request& req, httplib::Response& res) {
        std::optional<Application> app;
        {
          std::lock_guard lock(mutex_);
          app = find_app(req);
        }
        if (!app) return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
        if (app->certificate.empty())
          return reply_error(res, ProtocolError::kNotApproved, "no certificate: " + app->status);
        // Signed outside the store's lock, like a decision.
        const bool rogue = faults().bad_signatures;
        const std::string region = parse_json(app->certificate).value("region_code", "");
        auto signed_json =
            certs::sign_json(app->certificate, rogue ? rogue_key_ : issuer_key(region));
        if (!signed_json)
          return reply_error(res, ProtocolError::kSigningFailed, signed_json.error().message);
        res.set_content(signed_json.value(), "application/json");
      });
  // A reprint (补打): the same content, the count raised, a fresh code, signed again on GET.
  post(s, R"(/v1/applications/([A-Za-z0-9-]+)/reprint)",
       [this, find_app](const httplib::Request& req, httplib::Response& res) {
         {
           std::lock_guard lock(mutex_);
           if (!find_app(req))
             return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
         }
         json body = parse_json(req.body);
         if (!body.is_object() || !body.value("reason", json()).is_string())
           return reply_error(res, ProtocolError::kBadJson, "a reprint needs {\"reason\": text}");
         auto done = reprint(req.matches[1], body["reason"].get<std::string>());
         if (!done)
           return reply_error(res,
                              done.code() == Completion::kUnsupported ? ProtocolError::kNotApproved
                                                                      : ProtocolError::kStorage,
                              done.error().message);
         json cert = parse_json(done.value());
         res.set_content(json{{"application_id", std::string(req.matches[1])},
                              {"reprint", whole_number<int>(cert, "reprint", 0).value_or(0)}}
                             .dump(),
                         "application/json");
       });
  post(s, R"(/v1/applications/([A-Za-z0-9-]+)/print-confirmation)",
       [this, find_app](const httplib::Request& req, httplib::Response& res) {
         std::lock_guard lock(mutex_);
         auto app = find_app(req);
         if (!app)
           return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
         json body = parse_json(req.body);
         if (!body.is_object())
           return reply_error(res, ProtocolError::kBadJson, "not a JSON object");
         app->print_state = body.value("job_state", "");
         if (auto s = store_->set_print_state(app->id, app->print_state); !s)
           return reply_error(res, ProtocolError::kStorage, s.error().message);
         res.set_content(
             json{{"application_id", app->id}, {"print_state", app->print_state}}.dump(),
             "application/json");
       });
  install_applicant_routes();
  install_terminal_routes();
}

// 办理进度: a citizen identified at any terminal by their card sees their applications, wherever
// they made them, and collects there a certificate approved since. The ID number travels in the
// body, never in a URL (which logs keep), and is looked up by its index only.
void ReferenceBackend::install_applicant_routes() {
  auto& s = *server_;
  // Where an application stands, as 办理进度 shows it: no personal data.
  const auto summary_of = [](const Application& app) {
    return json{{"application_id", app.id},
                {"item_code", app.item_code},
                {"status", app.status},
                {"submitted_ms", app.submitted_ms},
                {"certificate", !app.certificate.empty()},
                {"print_state", app.print_state}};
  };
  static constexpr size_t kListed = 20;
  const auto applicant_of = [this](const httplib::Request& req) -> std::optional<std::string> {
    json body = parse_json(req.body);
    if (!body.is_object() || !body.value("id_number", json()).is_string()) return std::nullopt;
    const std::string id_number = body["id_number"].get<std::string>();
    if (id_number.empty() || id_number.size() > 32) return std::nullopt;
    return store_->applicant_index(id_number);
  };
  // A citizen's records are served only within the session the platform granted this terminal
  // when it verified them (X-Citizen-Session); an ID number alone opens nothing. Refused, the
  // answer says so and this returns false.
  const auto in_session = [this](const httplib::Request& req, httplib::Response& res,
                                 const std::string& applicant) {
    switch (
        sessions_->check(req.get_header_value("X-Citizen-Session"), requester(req), applicant)) {
      case CitizenSessions::Check::kValid:
        return true;
      case CitizenSessions::Check::kMissing:
        reply_error(res, ProtocolError::kCitizenSessionRequired,
                    "a citizen's records need the citizen session granted when they were "
                    "verified at this terminal (X-Citizen-Session)");
        return false;
      case CitizenSessions::Check::kOtherPlace:
      case CitizenSessions::Check::kOtherPerson:
        reply_error(res, ProtocolError::kCitizenSessionMismatch,
                    "the citizen session is not this person's at this terminal");
        return false;
    }
    return false;
  };
  post(s, "/v1/applicants/applications",
       [this, applicant_of, summary_of, in_session](const httplib::Request& req,
                                                    httplib::Response& res) {
         const auto applicant = applicant_of(req);
         if (!applicant)
           return reply_error(res, ProtocolError::kBadJson, "an id_number (text) is required");
         if (!in_session(req, res, *applicant)) return;
         json list = json::array();
         {
           std::lock_guard lock(mutex_);
           for (const auto& app : store_->by_applicant(*applicant, kListed))
             list.push_back(summary_of(app));
         }
         res.set_content(json{{"applications", list}}.dump(), "application/json");
       });
  // By the number alone (on the receipt, in the SMS): where an application stands, and nothing
  // of whose it is. The number is 80 random bits; without it nothing can be found.
  // The citizen left: the terminal ends their session (it would end by itself within minutes).
  server_->Delete("/v1/citizen-sessions/current",
                  guarded([this](const httplib::Request& req, httplib::Response& res) {
                    if (!sessions_->end(req.get_header_value("X-Citizen-Session"), requester(req)))
                      return reply_error(res, ProtocolError::kCitizenSessionRequired,
                                         "no such citizen session at this terminal");
                    res.status = 204;
                  }));
  get(s, R"(/v1/applications/([A-Za-z0-9-]+)/progress)",
      [this, summary_of](const httplib::Request& req, httplib::Response& res) {
        std::optional<Application> app;
        {
          std::lock_guard lock(mutex_);
          app = store_->by_id(req.matches[1]);
        }
        if (!app) return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
        res.set_content(summary_of(*app).dump(), "application/json");
      });
  post(s, R"(/v1/applications/([A-Za-z0-9-]+)/collect)",
       [this, applicant_of, in_session](const httplib::Request& req, httplib::Response& res) {
         const auto applicant = applicant_of(req);
         if (!applicant)
           return reply_error(res, ProtocolError::kBadJson, "an id_number (text) is required");
         if (!in_session(req, res, *applicant)) return;
         std::lock_guard lock(mutex_);
         auto app = store_->by_id(req.matches[1]);
         // Someone else's application does not exist, to this applicant.
         if (!app || app->applicant.empty() || app->applicant != *applicant)
           return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
         if (app->certificate.empty())
           return reply_error(res, ProtocolError::kNotApproved, "no certificate: " + app->status);
         // Collected once: a second paper is a reprint, which a technician authorises.
         if (app->print_state == "completed")
           return reply_error(res, ProtocolError::kNotApproved, "the certificate was printed");
         if (const std::string to = requester(req); app->owner != to)
           if (auto moved = store_->set_owner(app->id, to); !moved)
             return reply_error(res, ProtocolError::kStorage, moved.error().message);
         spdlog::info("application {} collected by its applicant", app->id);
         res.set_content(json{{"application_id", app->id}}.dump(), "application/json");
       });
}

Result<Application> ReferenceBackend::keep(ApplicationStore::NewApplication& application) {
  PendingInsert mine{application, std::nullopt};
  std::unique_lock queue(commit_mutex_);
  commit_queue_.push_back(&mine);
  // The first to find no batch being written writes everything waiting, its own included; the
  // rest wait for that batch or lead the next one.
  while (!mine.kept) {
    if (committing_) {
      commit_cv_.wait(queue);
      continue;
    }
    committing_ = true;
    const auto batch = std::exchange(commit_queue_, {});
    queue.unlock();
    std::vector<ApplicationStore::NewApplication> applications;
    for (const PendingInsert* p : batch) applications.push_back(p->application);
    std::vector<Result<Application>> kept;
    {
      std::lock_guard lock(mutex_);
      kept = store_->insert_or_get_all(applications);
    }
    queue.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->application.anchor_went_back = applications[i].anchor_went_back;
      batch[i]->kept.emplace(std::move(kept[i]));
    }
    committing_ = false;
    commit_cv_.notify_all();
  }
  application.anchor_went_back = mine.application.anchor_went_back;
  return std::move(*mine.kept);
}

Result<std::string> ReferenceBackend::reprint(const std::string& application_id,
                                              const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (!store_) return Error{Completion::kDeviceNotReady, "the backend is not started"};
  auto app = store_->by_id(application_id);
  if (!app) return Error{Completion::kInvalidData, "no application " + application_id};
  if (app->certificate.empty())
    return Error{Completion::kUnsupported, application_id + " has no certificate to reprint"};
  json cert = parse_json(app->certificate);
  if (!cert.is_object())
    return Error{Completion::kInvalidData, "the stored certificate is unreadable"};
  const int count = whole_number<int>(cert, "reprint", 0).value_or(0) + 1;
  if (count > 99) return Error{Completion::kUnsupported, "reprinted 99 times already"};
  cert["reprint"] = count;
  const std::string document = with_verify_code(cert);
  if (auto s = store_->decide(app->id, app->status, app->response_body, document); !s)
    return s.error();
  spdlog::info("certificate of {} reprinted ({}): {}", app->id, count, reason);
  return document;
}

std::vector<Notification> ReferenceBackend::notifications(const std::string& application_id) const {
  std::lock_guard lock(mutex_);
  return store_ ? store_->notifications(application_id) : std::vector<Notification>{};
}

std::vector<TerminalSeen> ReferenceBackend::terminals() const {
  std::lock_guard lock(mutex_);
  return store_ ? store_->terminals() : std::vector<TerminalSeen>{};
}

Status ReferenceBackend::review(const std::string& application_id, const std::string& decision,
                                const std::vector<std::string>& reasons) {
  if (decision != "approved" && decision != "rejected")
    return Error{Completion::kInvalidData, "a decision is approved or rejected"};
  std::lock_guard lock(mutex_);
  if (!store_) return Error{Completion::kDeviceNotReady, "the backend is not started"};
  auto app = store_->by_id(application_id);
  if (!app) return Error{Completion::kInvalidData, "no application " + application_id};
  if (app->status != "submitted")
    return Error{Completion::kUnsupported,
                 application_id + " is " + app->status + ", not submitted"};
  const json* item = find_item(app->item_code);
  if (!item) return Error{Completion::kInvalidData, "its item left the catalogue"};
  json answer = {{"application_id", app->id}, {"status", decision}, {"reasons", json::array()}};
  for (const auto& r : reasons) answer["reasons"].push_back({{"code", "reviewer"}, {"message", r}});
  // An approved document that is mailed (or printed later) is issued now; the receipt stays
  // what the counter printed.
  json request = parse_json(app->request_body);
  if (!request.is_object()) request = json::object();
  const std::string kind = item->value("output", json::object()).value("kind", "certificate");
  std::string document = app->certificate;
  if (decision == "approved" && (kind == "mail" || kind == "certificate"))
    document = issue_document(*item, request.value("applicant", json::object()), *app, false);
  if (auto s = store_->decide(app->id, decision, answer.dump(), document); !s) return s;
  const std::string name = item->value("names", json::object()).value("zh-CN", "");
  const bool mail = kind == "mail";
  std::string message = "【市民之窗】您申请的" + name + "（编号 " + app->id + "）";
  if (decision == "approved") {
    message += mail ? "已审核通过，证照已交邮政寄出（包邮）。" : "已审核通过。";
  } else {
    message += "未通过审核";
    for (const auto& r : reasons) message += "：" + r;
    message += "。";
  }
  // A request that no longer opens (another data key) still gets its decision; its notice has
  // no target to go to.
  Notification notice = notice_for(app->id, *item, request, message);
  // The SMS or mail gateway is the integrator's; the reference backend keeps the notice it would
  // hand over, with the target masked.
  spdlog::info("{} to {}: {}", notice.channel, notice.masked_target, message);
  return store_->add_notification(notice);
}

// Called with mutex_ held.
void ReferenceBackend::anchor_journal(const httplib::Request& req, const std::string& terminal_id,
                                      int64_t seq, const std::string& hash) {
  auto kept = store_->record_anchor({requester(req), terminal_id, seq, hash, unix_time_ms()});
  if (!kept)
    spdlog::error("journal anchor of {}: {}", terminal_id, kept.error().message);
  else if (!kept.value())
    warn_journal_went_back(terminal_id, seq);
}

// Terminals report in; a reviewer (or a test) decides manual applications.
void ReferenceBackend::install_terminal_routes() {
  auto& s = *server_;
  post(s, R"(/v1/terminals/([A-Za-z0-9_.-]+)/heartbeat)",
       [this](const httplib::Request& req, httplib::Response& res) {
         const std::string certified = certified_terminal_id(req);
         if (!certified.empty() && req.matches[1] != certified)
           return reply_error(res, ProtocolError::kTerminalMismatch,
                              "a terminal reports only for itself (" + certified + ")");
         json body = parse_json(req.body);
         if (!body.is_object())
           return reply_error(res, ProtocolError::kBadJson, "not a JSON object");
         const auto now = unix_time_ms();
         std::lock_guard lock(mutex_);
         if (auto st = store_->record_heartbeat({req.matches[1], now, body.dump()}); !st)
           return reply_error(res, ProtocolError::kStorage, st.error().message);
         // The heartbeat anchors the journal's head too.
         const json head = body.value("journal_head", json());
         if (head.is_object() && head.value("seq", json()).is_number_integer() &&
             head.value("hash", json()).is_string())
           anchor_journal(req, req.matches[1], head["seq"].get<int64_t>(),
                          head["hash"].get<std::string>());
         res.set_content(json{{"terminal_id", req.matches[1]}, {"at_ms", now}}.dump(),
                         "application/json");
       });
  // The journal head this terminal (by its certificate) last anchored here.
  get(s, "/v1/journal-anchor", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    auto anchor = store_->anchor(requester(req));
    if (!anchor)
      return reply_error(res, ProtocolError::kNoAnchor, "this terminal anchored no journal");
    res.set_content(json{{"terminal_id", anchor->terminal_id},
                         {"seq", anchor->seq},
                         {"hash", anchor->hash},
                         {"at_ms", anchor->at_ms}}
                        .dump(),
                    "application/json");
  });
  get(s, "/v1/terminals", [this](const httplib::Request&, httplib::Response& res) {
    json list = json::array();
    for (const auto& t : terminals())
      list.push_back(
          {{"terminal_id", t.terminal_id}, {"at_ms", t.at_ms}, {"report", parse_json(t.report)}});
    res.set_content(json{{"terminals", list}}.dump(), "application/json");
  });
  get(s, R"(/v1/applications/([A-Za-z0-9-]+)/notifications)",
      [this](const httplib::Request& req, httplib::Response& res) {
        {
          std::lock_guard lock(mutex_);
          auto app = store_->by_id(req.matches[1]);
          if (!app || app->owner != requester(req))
            return reply_error(res, ProtocolError::kNoSuchApplication, "unknown application");
        }
        json list = json::array();
        for (const auto& n : notifications(req.matches[1]))
          list.push_back(
              {{"channel", n.channel}, {"target", n.masked_target}, {"message", n.message}});
        res.set_content(json{{"notifications", list}}.dump(), "application/json");
      });
  if (!options_.fault_switches) return;
  post(s, R"(/v1/_review/([A-Za-z0-9-]+))",
       [this](const httplib::Request& req, httplib::Response& res) {
         json body = parse_json(req.body);
         if (!body.is_object())
           return reply_error(res, ProtocolError::kBadJson, "not a JSON object");
         auto done = review(req.matches[1], body.value("decision", ""),
                            body.value("reasons", std::vector<std::string>{}));
         if (!done) return reply_error(res, ProtocolError::kNotReviewable, done.error().message);
         res.set_content(json{{"application_id", req.matches[1]}, {"status", "reviewed"}}.dump(),
                         "application/json");
       });
}

constexpr std::string_view kEidPrefix = "SMZCEID1.";

Result<std::string> ReferenceBackend::issue_eid(const json& identity,
                                                std::chrono::seconds validity) {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1)
    return Error{Completion::kHardwareError, "no random bytes for a token"};
  const std::string token =
      certs::base64_encode(std::string_view(reinterpret_cast<char*>(random), sizeof random));
  const int64_t expires_ms =
      clock().unix_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(validity).count();
  const std::string payload = json{{"v", 1}, {"tok", token}, {"exp", expires_ms}}.dump();
  auto signature = key_.sign(payload);
  if (!signature) return signature.error();
  {
    std::lock_guard lock(mutex_);
    // Expired codes are forgotten; past the bound the oldest-expiring go first, so nothing an
    // outsider sends can grow this without limit.
    const int64_t now = clock().unix_ms();
    std::erase_if(eids_, [now](const auto& e) { return e.second.expires_ms < now; });
    while (eids_.size() >= kMaxEids)
      eids_.erase(std::min_element(eids_.begin(), eids_.end(), [](const auto& a, const auto& b) {
        return a.second.expires_ms < b.second.expires_ms;
      }));
    eids_[token] = Eid{identity, expires_ms, false};
  }
  return std::string(kEidPrefix) + certs::base64_encode(payload) + "." + signature.value();
}

size_t ReferenceBackend::citizen_sessions() const {
  return sessions_ ? sessions_->size() : 0;
}

size_t ReferenceBackend::eid_codes_outstanding() const {
  std::lock_guard lock(mutex_);
  return eids_.size();
}

Result<json> ReferenceBackend::redeem_eid(const std::string& code) {
  const Error invalid{Completion::kUserError, "身份码无效，请在手机上刷新后重试"};
  if (code.rfind(kEidPrefix, 0) != 0) return invalid;
  const std::string rest = code.substr(kEidPrefix.size());
  const auto dot = rest.find('.');
  if (dot == std::string::npos) return invalid;
  auto payload = certs::base64_decode(rest.substr(0, dot));
  if (!payload || !key_.verify(payload.value(), rest.substr(dot + 1))) return invalid;
  const json p = parse_json(payload.value());
  if (!p.is_object() || !p.value("tok", json()).is_string() || !p.value("exp", json()).is_number())
    return invalid;
  if (clock().unix_ms() > p["exp"].get<int64_t>())
    return Error{Completion::kUserError, "身份码已过期，请在手机上刷新后重试"};
  std::lock_guard lock(mutex_);
  auto it = eids_.find(p["tok"].get<std::string>());
  if (it == eids_.end()) return invalid;
  if (it->second.used) return Error{Completion::kUserError, "身份码已使用，请在手机上刷新后重试"};
  it->second.used = true;
  return it->second.identity;
}

}  // namespace smzc::backend
