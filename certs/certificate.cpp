#include "certs/certificate.h"

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/privacy.h"

namespace smzc::certs {

using nlohmann::json;

void Certificate::wipe() {
  smzc::wipe(holder_name);
  smzc::wipe(holder_id_number);
  smzc::wipe(verify_payload);
  for (auto& f : fields) smzc::wipe(f.value);
  for (auto& row : table_rows)
    for (auto& cell : row) smzc::wipe(cell);
}

Result<Certificate> parse_certificate(const std::string& text) {
  json j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "certificate is not a JSON object"};
  Certificate c;
  try {
    c.serial = j.at("serial").get<std::string>();
    c.item_code = j.at("item_code").get<std::string>();
    c.title = j.at("title").get<std::string>();
    c.issuer = j.at("issuer").get<std::string>();
    c.region_code = j.at("region_code").get<std::string>();
    c.issued_at = j.at("issued_at").get<std::string>();
    c.holder_name = j.at("holder").at("name").get<std::string>();
    c.holder_id_number = j.at("holder").at("id_number").get<std::string>();
    for (const auto& f : j.value("fields", json::array()))
      c.fields.push_back({f.at("label").get<std::string>(), f.at("value").get<std::string>()});
    if (j.contains("table")) {
      c.table_columns = j["table"].at("columns").get<std::vector<std::string>>();
      c.table_rows = j["table"].at("rows").get<std::vector<std::vector<std::string>>>();
    }
    c.verify_payload = j.value("verify_payload", c.serial);
  } catch (const json::exception& e) {
    return Error{Completion::kInvalidData, std::string("certificate: ") + e.what()};
  }
  if (c.serial.empty()) return Error{Completion::kInvalidData, "certificate has an empty serial"};
  return c;
}

Result<Certificate> parse_signed_certificate(const std::string& text, const Sm2Key& key) {
  auto document = verify_signed_json(text, key);
  if (!document) return Error{document.code(), "certificate: " + document.error().message};
  auto c = parse_certificate(document.value());
  if (c) c->signed_by = key.key_id();
  return c;
}

namespace {
std::string payload_body(const Certificate& c) {
  return "SMZC1|" + c.serial + "|" + c.item_code + "|" + c.issued_at.substr(0, 10) + "|" +
         mask_id_number(c.holder_id_number);
}
}  // namespace

Result<std::string> make_verify_payload(const Certificate& c, const Sm2Key& key) {
  const std::string body = payload_body(c);
  auto sig = key.sign(body);
  if (!sig) return sig.error();
  return body + "|" + sig.value();
}

Status check_verify_payload(const std::string& payload, const Sm2Key& key) {
  const auto bar = payload.rfind('|');
  if (payload.rfind("SMZC1|", 0) != 0 || bar == std::string::npos)
    return Error{Completion::kInvalidData, "not a 市民之窗 verification code"};
  if (!key.verify(std::string_view(payload).substr(0, bar), payload.substr(bar + 1)))
    return Error{Completion::kInvalidData, "verification code signature does not verify"};
  return ok_status();
}

std::string to_json(const Certificate& c) {
  json fields = json::array();
  for (const auto& f : c.fields) fields.push_back({{"label", f.label}, {"value", f.value}});
  json j = {{"serial", c.serial},
            {"item_code", c.item_code},
            {"title", c.title},
            {"issuer", c.issuer},
            {"region_code", c.region_code},
            {"issued_at", c.issued_at},
            {"holder", {{"name", c.holder_name}, {"id_number", c.holder_id_number}}},
            {"fields", fields},
            {"verify_payload", c.verify_payload}};
  if (!c.table_columns.empty()) j["table"] = {{"columns", c.table_columns}, {"rows", c.table_rows}};
  return j.dump();
}

}  // namespace smzc::certs
