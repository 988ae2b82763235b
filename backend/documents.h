// What the reference platform's registers say about a citizen, as the content of each document
// type it issues (the certificate templates in certs/templates/ lay them out). The records are
// made up, the same every time for the same ID number, so tests and demos can rely on them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace smzc::backend {

/// The "fields" (and "table", when the document has one) of a document of `type` for
/// `applicant` ({"id_number", "name", "form"?}), issued for `item` on `today` (YYYYMMDD).
/// `common` fields (事项, 受理部门, 申请编号, ...) come first. An unknown type gives only them.
nlohmann::json document_content(const std::string& type, const nlohmann::json& item,
                                const nlohmann::json& applicant, const std::string& today,
                                const nlohmann::json& common);

}  // namespace smzc::backend
