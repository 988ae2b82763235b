// Checking a certificate anyone holds — the paper's QR code, or the certificate's data — against
// the issuers' keys (docs/certificate-format.md: "The verification code", "The keyring").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/certificate.h"
#include "certs/signing.h"

namespace smzc::certs {

/// What the QR code of a printed certificate carries, decoded:
/// SMZC2|serial|document type|region code|key id|issued at|reprint|fields|content digest|signature
/// The signature (base64 DER, SM2 with SM3 and the GM/T 0009 distinguishing ID) covers every byte
/// before the last '|'. Fields are "label=value" pairs joined by ';', masked where personal.
struct VerifyCode {
  std::string serial;
  std::string document_type;
  std::string region_code;
  std::string key_id;  ///< of the issuer key that signed
  std::string issued_at;
  int reprint = 0;
  std::vector<LabeledValue> fields;
  std::string content_digest;  ///< lowercase hex SM3 of the certificate's canonical content
  std::string signed_text;     ///< everything the signature covers
  std::string signature;       ///< base64 DER
};

inline constexpr size_t kMaxVerifyCodeBytes = 1024;

/// The payload for `certificate`, signed by its issuer's key. It carries the holder's name and ID
/// number masked, and the fields named in `key_fields` (masked when they are personal).
Result<std::string> make_verify_code(const Certificate& certificate, const Sm2Key& issuer,
                                     const std::vector<std::string>& key_fields = {});
/// Splits a payload into its parts; anything but a well-formed SMZC2 payload is invalidData.
Result<VerifyCode> parse_verify_code(const std::string& payload);

/// One issuing department's key, as a keyring lists it.
struct IssuerKey {
  std::string region_code;
  std::string name;  ///< the region, e.g. 佛山市南海区
  std::string key_id;
  std::string public_key_pem;
  bool revoked = false;
  std::string revoked_at;  ///< RFC 3339, when revoked
};

/// The issuer keys a terminal trusts, per region: built from keyrings that a backend signed with
/// its own key (the trust anchor in the terminal's configuration). Copyable.
class Keyring {
 public:
  /// Parses a signed keyring (sign_json) after checking it against `anchor`. When `regions` is
  /// not empty, entries for other regions are refused: a backend vouches only for its own.
  static Result<Keyring> from_signed_json(const std::string& json, const Sm2Key& anchor,
                                          const std::vector<std::string>& regions = {});
  /// The unsigned keyring document a backend serves (before sign_json).
  static std::string to_json(const std::vector<IssuerKey>& keys, const std::string& version,
                             const std::string& issued_at);

  /// Adds another keyring's keys (a partner backend's); the same region and key id twice keeps
  /// the revoked one.
  void merge(const Keyring& other);
  const std::vector<IssuerKey>& keys() const { return keys_; }
  const std::string& version() const { return version_; }
  bool empty() const { return keys_.empty(); }

  /// The key for a region and key id: "unknown-issuer" when none is listed, "revoked" when it
  /// was revoked.
  Result<Sm2Key> key_for(const std::string& region_code, const std::string& key_id,
                         std::string* reason) const;

 private:
  std::vector<IssuerKey> keys_;
  std::string version_;
};

/// A verifier's answer. `reason` is one of: malformed, unknown-issuer, revoked, bad-signature,
/// content-altered (empty when genuine); `message` says it in words.
struct Verification {
  bool genuine = false;
  std::string reason;
  std::string message;
  VerifyCode code;  ///< what the code says (valid when it parsed)
};

/// Checks a QR payload: its issuer is known and not revoked, and the signature holds. Without the
/// certificate's data the content digest cannot be compared; the fields in the code are what a
/// paper copy can be checked against by eye.
Verification verify_code(const std::string& payload, const Keyring& keyring);
/// Checks a certificate's signed JSON as a backend issued it: its signature under its issuer's
/// key, its QR payload, and that the payload's digest and serial match the content. When it is
/// genuine and `certificate` is given, the parsed certificate is handed over there (the caller
/// wipes it); otherwise it is wiped here.
Verification verify_certificate_json(const std::string& json, const Keyring& keyring,
                                     Certificate* certificate = nullptr);

}  // namespace smzc::certs
