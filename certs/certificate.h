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
  std::string verify_payload;  ///< what the QR code carries (see make_verify_payload)
  std::string signed_by;       ///< key id of the signature that was checked, if any

  /// Overwrites the holder's personal data (end of session).
  void wipe();
};

/// Parses a certificate from the backend's JSON; a missing or mistyped field is an error that
/// names it.
Result<Certificate> parse_certificate(const std::string& json);
std::string to_json(const Certificate& certificate);

/// Checks the signature of a certificate's JSON (see sign_json) with `key`, then parses it. A
/// missing, malformed or wrong signature, or one by another key, is invalidData.
Result<Certificate> parse_signed_certificate(const std::string& json, const Sm2Key& key);

/// The QR payload of a printed certificate, checkable offline by anyone with the issuer's public
/// key: "SMZC1|serial|item_code|issue date|masked holder id|signature".
Result<std::string> make_verify_payload(const Certificate& certificate, const Sm2Key& key);
Status check_verify_payload(const std::string& payload, const Sm2Key& key);

/// Renders `certificate` as a one-page A4 PDF with embedded Noto CJK fonts and a QR code.
Status render_pdf(const Certificate& certificate, const std::filesystem::path& out);

}  // namespace smzc::certs
