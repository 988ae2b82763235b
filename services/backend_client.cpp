#include "services/backend_client.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace smzc::services {
namespace {

using nlohmann::json;

size_t collect(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct CurlCloser {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistCloser {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// Parses a JSON object out of a reply, turning any shape error into invalidData.
template <typename Fn>
auto parse_reply(const std::string& text, const char* what, Fn&& fn) -> decltype(fn(json{})) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, std::string("malformed ") + what + " from the backend"};
  try {
    return fn(j);
  } catch (const json::exception& e) {
    return Error{Completion::kInvalidData, std::string(what) + ": " + e.what()};
  }
}

Decision to_decision(const json& j) {
  Decision d{j.at("application_id").get<std::string>(), j.at("status").get<std::string>(), {}};
  for (const auto& r : j.value("reasons", json::array()))
    d.reasons.push_back(r.is_object() ? r.value("message", "") : r.get<std::string>());
  return d;
}

}  // namespace

std::string ServiceItem::name(const std::string& locale) const {
  if (auto it = names.find(locale); it != names.end()) return it->second;
  if (auto it = names.find("zh-CN"); it != names.end()) return it->second;
  return code;
}

BackendClient::BackendClient(std::string base_url, Options options)
    : base_url_(std::move(base_url)), options_(std::move(options)) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
}

Result<BackendClient::Reply> BackendClient::request(const std::string& method,
                                                    const std::string& path,
                                                    const std::string& body,
                                                    const std::vector<std::string>& headers) const {
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) return Error{Completion::kHardwareError, "curl_easy_init failed"};
  std::unique_ptr<curl_slist, SlistCloser> list;
  auto add_header = [&list](const std::string& h) {
    list.reset(curl_slist_append(list.release(), h.c_str()));
  };
  add_header("Accept: application/json");
  add_header("X-Terminal-Id: " + options_.terminal_id);
  for (const auto& h : headers) add_header(h);
  Reply reply;
  const std::string url = base_url_ + path;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  if (method == "POST") {
    add_header("Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    const Completion code =
        rc == CURLE_OPERATION_TIMEDOUT ? Completion::kTimeout : Completion::kDeviceNotReady;
    return Error{code, "backend unreachable (" + url + "): " + curl_easy_strerror(rc)};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Result<std::string> BackendClient::request_ok(const std::string& method, const std::string& path,
                                              const std::string& body,
                                              const std::vector<std::string>& headers) const {
  // Every request that changes state carries an idempotency key or is idempotent by nature, so a
  // retry after a lost answer changes nothing twice.
  auto backoff = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    auto result = request_once(method, path, body, headers);
    const bool transient = !result && (result.code() == Completion::kDeviceNotReady ||
                                       result.code() == Completion::kTimeout);
    if (!transient || attempt >= options_.attempts) return result;
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

Result<std::string> BackendClient::request_once(const std::string& method, const std::string& path,
                                                const std::string& body,
                                                const std::vector<std::string>& headers) const {
  auto reply = request(method, path, body, headers);
  if (!reply) return reply.error();
  if (reply->status >= 200 && reply->status < 300) return std::move(reply->body);
  std::string message = "HTTP " + std::to_string(reply->status);
  json j = json::parse(reply->body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object())
    message += ": " + j["error"].value("message", "");
  const Completion code =
      reply->status >= 500 ? Completion::kDeviceNotReady : Completion::kInvalidData;
  return Error{code, method + " " + path + " -> " + message};
}

Result<Catalogue> BackendClient::catalogue() const {
  auto text = request_ok("GET", "/v1/catalogue");
  if (!text) return text.error();
  return parse_reply(text.value(), "catalogue", [](const json& j) -> Result<Catalogue> {
    Catalogue cat{j.at("version").get<std::string>(), {}};
    for (const auto& it : j.at("items")) {
      ServiceItem item;
      item.code = it.at("code").get<std::string>();
      item.names = it.at("names").get<std::map<std::string, std::string>>();
      item.department = it.value("department", "");
      item.category = it.value("category", "");
      item.region_code = it.value("region_code", "");
      item.scope = it.value("scope", "local");
      item.approval = it.value("approval", "instant");
      item.output = it.contains("output") ? it["output"].value("kind", "") : "";
      item.devices = it.value("devices", std::vector<std::string>{});
      cat.items.push_back(std::move(item));
    }
    return cat;
  });
}

Result<bool> BackendClient::verify_identity(const Applicant& applicant) const {
  auto text = request_ok("POST", "/v1/identity/verify",
                         json{{"id_number", applicant.id_number}, {"name", applicant.name}}.dump());
  if (!text) return text.error();
  return parse_reply(text.value(), "identity check",
                     [](const json& j) -> Result<bool> { return j.at("verified").get<bool>(); });
}

Result<Decision> BackendClient::submit(const std::string& item_code, const Applicant& applicant,
                                       const std::string& idempotency_key) const {
  json body = {{"item_code", item_code},
               {"terminal_id", options_.terminal_id},
               {"applicant",
                {{"id_number", applicant.id_number},
                 {"name", applicant.name},
                 {"valid_to", applicant.valid_to}}}};
  auto text =
      request_ok("POST", "/v1/applications", body.dump(), {"Idempotency-Key: " + idempotency_key});
  if (!text) return text.error();
  return parse_reply(text.value(), "application reply",
                     [](const json& j) -> Result<Decision> { return to_decision(j); });
}

Result<Decision> BackendClient::application(const std::string& application_id) const {
  auto text = request_ok("GET", "/v1/applications/" + application_id);
  if (!text) return text.error();
  return parse_reply(text.value(), "application status",
                     [](const json& j) -> Result<Decision> { return to_decision(j); });
}

Result<std::string> BackendClient::certificate_json(const std::string& application_id) const {
  return request_ok("GET", "/v1/applications/" + application_id + "/certificate");
}

Result<certs::Certificate> BackendClient::certificate(const std::string& application_id,
                                                      const certs::Sm2Key& issuer) const {
  auto text = certificate_json(application_id);
  if (!text) return text.error();
  return certs::parse_signed_certificate(text.value(), issuer);
}

Status BackendClient::confirm_print(const std::string& application_id, int job_id,
                                    const std::string& job_state) const {
  auto text = request_ok("POST", "/v1/applications/" + application_id + "/print-confirmation",
                         json{{"job_id", job_id}, {"job_state", job_state}}.dump());
  if (!text) return text.error();
  return ok_status();
}

}  // namespace smzc::services
