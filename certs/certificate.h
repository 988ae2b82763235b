// Certificate documents (证照): the data a backend issues and its rendering to a printable PDF.
// Format: docs/certificate-format.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/signing.h"

namespace smzc::certs {

struct LabeledValue {
  std::string label;
  std::string value;
};

/// One certificate as issued by a backend (the JSON of GET /v1/applications/{id}/certificate).
struct Certificate {
  std::string serial;         ///< unique per issuing backend; the print ledger's key
  std::string document_type;  ///< the template that lays it out, e.g. "household-register"
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
  int reprint = 0;             ///< 0 for the original; N for the Nth reprint (补打)
  std::string verify_payload;  ///< what the QR code carries (certs/verify_code.h)
  std::string signed_by;       ///< key id of the signature that was checked, if any

  /// Overwrites the holder's personal data (end of session).
  void wipe();
};

/// Parses a certificate from the backend's JSON; a missing or mistyped field is an error that
/// names it.
Result<Certificate> parse_certificate(const std::string& json);
std::string to_json(const Certificate& certificate);

/// The canonical content of a certificate (docs/certificate-format.md): every member that is
/// printed — serial, document type, item, title, issuer, region, issue time, holder, fields,
/// table — as canonical JSON (sorted keys, no whitespace). Not the reprint count, the QR payload
/// or the signature, which are about a copy, not the content.
std::string canonical_content(const Certificate& certificate);
/// Lowercase hex SM3 of canonical_content(): what the QR code binds.
std::string content_digest(const Certificate& certificate);

}  // namespace smzc::certs
