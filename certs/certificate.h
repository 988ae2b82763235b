// Certificate documents (证照): the data a backend issues and its rendering to a printable PDF.
// Format: docs/certificate-format.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "drivers/common/status.h"

namespace smzc::certs {

struct LabeledValue {
  std::string label;
  std::string value;
};

/// One certificate as issued by a backend (the JSON of GET /v1/applications/{id}/certificate).
struct Certificate {
  std::string serial;  ///< unique per issuing backend; the print ledger's key
  std::string item_code;
  std::string title;        ///< printed as the heading, e.g. 社会保险参保缴费凭证
  std::string issuer;       ///< the issuing department
  std::string region_code;  ///< 行政区划代码 of the issuer
  std::string issued_at;    ///< ISO 8601
  std::string holder_name;
  std::string holder_id_number;
  std::vector<LabeledValue> fields;
  std::vector<std::string> table_columns;
  std::vector<std::vector<std::string>> table_rows;
  std::string verify_payload;  ///< what the QR code carries

  /// Overwrites the holder's personal data (end of session).
  void wipe();
};

/// Parses a certificate from the backend's JSON; a missing or mistyped field is an error that
/// names it.
Result<Certificate> parse_certificate(const std::string& json);
std::string to_json(const Certificate& certificate);

/// Renders `certificate` as a one-page A4 PDF with embedded Noto CJK fonts and a QR code.
Status render_pdf(const Certificate& certificate, const std::filesystem::path& out);

}  // namespace smzc::certs
