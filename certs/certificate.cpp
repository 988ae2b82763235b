#include "certs/certificate.h"

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/privacy.h"

namespace smzc::certs {

using nlohmann::json;

constexpr size_t kMaxTableRows = 2000;

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
    c.document_type = j.value("document_type", "generic");
    const auto reprint = whole_number<int>(j, "reprint", 0);
    if (!reprint) return Error{Completion::kInvalidData, "reprint must be a whole number"};
    c.reprint = *reprint;
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
  if (c.reprint < 0 || c.reprint > 99)
    return Error{Completion::kInvalidData, "certificate reprint count out of 0..99"};
  if (c.table_rows.size() > kMaxTableRows)
    return Error{Completion::kInvalidData, "certificate table has more than 2000 rows"};
  return c;
}

namespace {
json content_json(const Certificate& c) {
  json fields = json::array();
  for (const auto& f : c.fields) fields.push_back({{"label", f.label}, {"value", f.value}});
  json j = {{"serial", c.serial},
            {"document_type", c.document_type},
            {"item_code", c.item_code},
            {"title", c.title},
            {"issuer", c.issuer},
            {"region_code", c.region_code},
            {"issued_at", c.issued_at},
            {"holder", {{"name", c.holder_name}, {"id_number", c.holder_id_number}}},
            {"fields", fields}};
  if (!c.table_columns.empty()) j["table"] = {{"columns", c.table_columns}, {"rows", c.table_rows}};
  return j;
}
}  // namespace

std::string canonical_content(const Certificate& c) {
  return content_json(c).dump();
}

std::string content_digest(const Certificate& c) {
  return sm3_hex(canonical_content(c));
}

std::string to_json(const Certificate& c) {
  json j = content_json(c);
  j["reprint"] = c.reprint;
  j["verify_payload"] = c.verify_payload;
  return j.dump();
}

}  // namespace smzc::certs
