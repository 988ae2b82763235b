// SM2 signatures with SM3 (GM/T 0003, GM/T 0009), through OpenSSL 3. The distinguishing ID is
// set explicitly to 1234567812345678, as GM/T 0009 expects; OpenSSL 3.0 would leave it empty.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct evp_pkey_st;

namespace smzc::certs {

inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

/// An SM2 key pair (or only its public half). Move-only; owns the OpenSSL key.
class Sm2Key {
 public:
  static Result<Sm2Key> generate();
  /// A PEM private key ("-----BEGIN PRIVATE KEY-----") or public key ("-----BEGIN PUBLIC
  /// KEY-----").
  static Result<Sm2Key> from_pem(std::string_view pem);
  static Result<Sm2Key> from_pem_file(const std::string& path);

  Sm2Key() = default;  ///< no key: signs nothing, verifies nothing
  Sm2Key(Sm2Key&&) noexcept;
  Sm2Key& operator=(Sm2Key&&) noexcept;
  ~Sm2Key();

  bool empty() const { return key_ == nullptr; }
  bool has_private() const { return has_private_; }
  Result<std::string> private_pem() const;
  Result<std::string> public_pem() const;
  /// Short id of the public key: the first 16 hex digits of SM3 over its DER form.
  const std::string& key_id() const { return key_id_; }

  /// Signs `data`; returns the DER signature, base64-encoded.
  Result<std::string> sign(std::string_view data) const;
  /// Checks a base64 DER signature over `data`.
  bool verify(std::string_view data, std::string_view signature_b64) const;

 private:
  Sm2Key(evp_pkey_st* key, bool has_private);
  evp_pkey_st* key_ = nullptr;
  bool has_private_ = false;
  std::string key_id_;  // computed once: every signature names it
};

/// Signs a JSON document (a certificate, a catalogue) as a backend issues it: adds
/// "signature": {"alg": "SM2-SM3", "key_id", "value"} over the canonical form of the rest.
Result<std::string> sign_json(const std::string& json, const Sm2Key& key);
/// Checks a document signed by sign_json against `key`; returns the document without its
/// signature (canonical form). A missing, malformed or wrong signature, or one by another key,
/// is invalidData.
Result<std::string> verify_signed_json(const std::string& json, const Sm2Key& key);
/// The bytes a signature covers: the JSON without "signature", keys sorted, no insignificant
/// whitespace, UTF-8 as is.
std::string canonical_form(const std::string& json_without_signature);

/// Lowercase hex SM3 (GM/T 0004) of `data`.
std::string sm3_hex(std::string_view data);
/// HMAC-SM3 of `data` under `key`: the 32 raw bytes.
std::string hmac_sm3(std::string_view key, std::string_view data);
/// `bytes` as lowercase hex.
std::string to_hex(std::string_view bytes);

std::string base64_encode(std::string_view bytes);
/// The bytes of canonical base64 (padded, no spaces); any other spelling is invalidData.
Result<std::string> base64_decode(std::string_view text);

}  // namespace smzc::certs
