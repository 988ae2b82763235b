#include "services/backend_replies.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

#include "base/json.h"

namespace smzc::services {
namespace {

using nlohmann::json;

// Parses a JSON object out of a reply, turning any shape error into invalid data.
template <typename Fn>
auto parse_reply(const std::string& text, const char* what, Fn&& fn) -> decltype(fn(json{})) {
  json j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData,
                 std::string("malformed or too deeply nested ") + what + " from the backend"};
  try {
    return fn(j);
  } catch (const json::exception& e) {
    return Error{Completion::kInvalidData, std::string(what) + ": " + e.what()};
  }
}

std::vector<std::string> reason_texts(const json& j) {
  std::vector<std::string> reasons;
  for (const auto& r : j.value("reasons", json::array()))
    if (r.is_object())
      reasons.push_back(r.value("message", ""));
    else if (r.is_string())
      reasons.push_back(r.get<std::string>());
  return reasons;
}

}  // namespace

Result<Decision> parse_decision(const std::string& body) {
  return parse_reply(body, "application", [](const json& j) -> Result<Decision> {
    return Decision{j.at("application_id").get<std::string>(), j.at("status").get<std::string>(),
                    j.value("delivery", ""), reason_texts(j)};
  });
}

Result<IdentityCheck> parse_identity_check(const std::string& body, bool expect_holder) {
  return parse_reply(body, "identity check", [&](const json& j) -> Result<IdentityCheck> {
    IdentityCheck check;
    check.verified = j.at("verified").get<bool>();
    check.face = j.value("face", "not-given");
    if (check.face.size() > 32) return Error{Completion::kInvalidData, "identity check: face"};
    check.reasons = reason_texts(j);
    if (j.contains("citizen_session")) {
      const json& session = j.at("citizen_session");
      check.citizen_session = session.at("token").get<std::string>();
      // A header value: printable ASCII of a bounded length, nothing that could end a line.
      if (check.citizen_session.empty() || check.citizen_session.size() > 128 ||
          !std::all_of(check.citizen_session.begin(), check.citizen_session.end(),
                       [](char c) { return c > 0x20 && c < 0x7f; }))
        return Error{Completion::kInvalidData, "identity check: citizen_session"};
    }
    for (auto [key, into] : {std::pair{"face_score", &check.face_score},
                             std::pair{"face_threshold", &check.face_threshold}})
      if (j.contains(key)) {
        const double v = j.at(key).get<double>();
        if (!std::isfinite(v) || v < -1000 || v > 1000)
          return Error{Completion::kInvalidData, std::string("identity check: ") + key};
        *into = v;
      }
    if (expect_holder && check.verified) {
      const json& who = j.at("identity");
      check.holder.id_number = who.at("id_number").get<std::string>();
      check.holder.name = who.value("name", "");
      check.holder.valid_to = who.value("valid_to", "");
    }
    return check;
  });
}

Result<std::string> parse_elicense_reference(const std::string& body) {
  return parse_reply(body, "e-licence", [](const json& j) -> Result<std::string> {
    return j.at("reference").get<std::string>();
  });
}

namespace {
// One application as 办理进度 lists it; every text bounded.
Result<ApplicationSummary> summary_in(const json& a) {
  static constexpr size_t kMaxLength = 64;
  ApplicationSummary one;
  one.application_id = a.at("application_id").get<std::string>();
  one.item_code = a.at("item_code").get<std::string>();
  one.status = a.at("status").get<std::string>();
  one.print_state = a.value("print_state", "");
  for (const std::string* text : {&one.item_code, &one.status, &one.print_state})
    if (text->size() > kMaxLength)
      return Error{Completion::kInvalidData, "application: a text out of bounds"};
  // The id goes into URL paths (collect, certificate): letters, digits and '-' only.
  if (one.application_id.empty() || one.application_id.size() > kMaxLength ||
      !std::all_of(one.application_id.begin(), one.application_id.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }))
    return Error{Completion::kInvalidData, "application: no id, or not one as the protocol has"};
  const auto submitted = whole_number<int64_t>(a, "submitted_ms", 0);
  if (!submitted)
    return Error{Completion::kInvalidData, "application: submitted_ms must be a whole number"};
  one.submitted_ms = *submitted;
  one.certificate = a.value("certificate", false);
  return one;
}
}  // namespace

Result<std::vector<ApplicationSummary>> parse_applicant_applications(const std::string& body) {
  // The protocol lists at most 20; a longer list is not the backend's to send.
  static constexpr size_t kMaxListed = 20;
  return parse_reply(
      body, "applications", [](const json& j) -> Result<std::vector<ApplicationSummary>> {
        const json& list = j.at("applications");
        if (!list.is_array() || list.size() > kMaxListed)
          return Error{Completion::kInvalidData, "applications: not a list of at most 20"};
        std::vector<ApplicationSummary> out;
        for (const json& a : list) {
          auto one = summary_in(a);
          if (!one) return one.error();
          out.push_back(std::move(one.value()));
        }
        return out;
      });
}

Result<ApplicationSummary> parse_application_progress(const std::string& body) {
  return parse_reply(body, "application progress", summary_in);
}

Result<BackendClient::JournalAnchor> parse_journal_anchor(const std::string& body) {
  return parse_reply(
      body, "journal anchor", [](const json& j) -> Result<BackendClient::JournalAnchor> {
        const auto seq = whole_number<int64_t>(j, "seq", -1);
        const auto at_ms = whole_number<int64_t>(j, "at_ms", 0);
        if (!seq || *seq < 0 || !at_ms)
          return Error{Completion::kInvalidData,
                       "journal anchor: seq and at_ms must be whole numbers"};
        return BackendClient::JournalAnchor{*seq, j.at("hash").get<std::string>(), *at_ms};
      });
}

namespace {
// The vocabulary's code in an already parsed refusal, if it carries one.
std::optional<ProtocolError> code_in(const json& j) {
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return std::nullopt;
  const json& code = j["error"].value("code", json());
  return code.is_string() ? protocol_error_from_code(code.get<std::string>()) : std::nullopt;
}
}  // namespace

std::optional<ProtocolError> error_code_of(const std::string& body) {
  return code_in(parse_json(body));
}

std::string describe_http_error(int status, const std::string& body) {
  std::string message = "HTTP " + std::to_string(status);
  const json j = parse_json(body);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    // Codes outside the vocabulary are shown as the backend sent them, but never trusted further.
    if (const auto code = code_in(j)) message += " " + std::string(info(*code).code);
    const json& message_field = j["error"].value("message", json());
    if (message_field.is_string()) message += ": " + message_field.get<std::string>();
  }
  return message;
}

}  // namespace smzc::services
