#include "certs/verify_code.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/privacy.h"

namespace smzc::certs {

using nlohmann::json;

namespace {

constexpr std::string_view kMagic = "SMZC2";
constexpr size_t kParts = 10;
constexpr size_t kMaxKeyringBytes = 256 * 1024;
constexpr size_t kMaxKeyringEntries = 256;

// '|', ';', '=' and '%' separate the payload's parts; inside a value they are percent-encoded.
std::string escape(std::string_view value) {
  std::string out;
  for (char ch : value) {
    if (ch == '|' || ch == ';' || ch == '=' || ch == '%') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(ch));
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

Result<std::string> unescape(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size())
      return Error{Completion::kInvalidData, "verification code: a cut escape"};
    const std::string hex(value.substr(i + 1, 2));
    if (hex.size() != 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[1])))
      return Error{Completion::kInvalidData, "verification code: a bad escape"};
    out += static_cast<char>(std::stoi(hex, nullptr, 16));
    i += 2;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// A key field's value as the code carries it: personal values are masked like on screen.
std::string masked_field(const std::string& label, const std::string& value) {
  auto has = [&label](const char* word) { return label.find(word) != std::string::npos; };
  if (has("身份") || has("证件号码")) return mask_id_number(value);
  if (has("姓名") || has("户主") || has("法定代表人") || has("经营者")) return mask_name(value);
  if (has("地址") || has("住所") || has("坐落")) return mask_address(value);
  if (has("电话") || has("手机")) return mask_phone(value);
  return value;
}

bool hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

Verification refused(std::string reason, std::string message, VerifyCode code = {}) {
  return {false, std::move(reason), std::move(message), std::move(code)};
}

}  // namespace

Result<std::string> make_verify_code(const Certificate& c, const Sm2Key& issuer,
                                     const std::vector<std::string>& key_fields) {
  std::string fields = "姓名=" + escape(mask_name(c.holder_name)) +
                       ";证件号码=" + escape(mask_id_number(c.holder_id_number));
  if (c.holder_name.empty() && c.holder_id_number.empty()) fields.clear();
  for (const auto& wanted : key_fields)
    for (const auto& f : c.fields)
      if (f.label == wanted) {
        if (!fields.empty()) fields += ";";
        fields += escape(f.label) + "=" + escape(masked_field(f.label, f.value));
      }
  std::string body = std::string(kMagic);
  for (const std::string* part : {&c.serial, &c.document_type, &c.region_code})
    body += "|" + escape(*part);
  body += "|" + issuer.key_id() + "|" + escape(c.issued_at) + "|" + std::to_string(c.reprint) +
          "|" + fields + "|" + content_digest(c);
  auto signature = issuer.sign(body);
  if (!signature) return signature.error();
  std::string payload = body + "|" + signature.value();
  if (payload.size() > kMaxVerifyCodeBytes)
    return Error{Completion::kInvalidData, "verification code longer than 1024 bytes"};
  return payload;
}

Result<VerifyCode> parse_verify_code(const std::string& payload) {
  auto bad = [](const std::string& why) -> Error {
    return {Completion::kInvalidData, "not a 市民之窗 verification code: " + why};
  };
  if (payload.size() > kMaxVerifyCodeBytes) return bad("longer than 1024 bytes");
  const auto parts = split(payload, '|');
  if (parts.empty() || parts[0] != kMagic)
    return bad(payload.rfind("SMZC1|", 0) == 0 ? "an SMZC1 code (before content digests)"
                                               : "it does not start with SMZC2");
  if (parts.size() != kParts)
    return bad("it has " + std::to_string(parts.size()) + " parts, not " + std::to_string(kParts));
  VerifyCode code;
  std::string* texts[] = {&code.serial, &code.document_type, &code.region_code, &code.key_id,
                          &code.issued_at};
  for (size_t i = 0; i < 5; ++i) {
    auto text = unescape(parts[i + 1]);
    if (!text) return text.error();
    *texts[i] = std::move(text.value());
  }
  const std::string_view reprint = parts[6];
  if (reprint.empty() || reprint.size() > 2 ||
      !std::all_of(reprint.begin(), reprint.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return bad("the reprint count is not a number 0..99");
  code.reprint = std::stoi(std::string(reprint));
  if (!parts[7].empty()) {
    for (auto pair : split(parts[7], ';')) {
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) return bad("a field without '='");
      auto label = unescape(pair.substr(0, eq));
      auto value = unescape(pair.substr(eq + 1));
      if (!label || !value) return bad("a field with a bad escape");
      code.fields.push_back({label.value(), value.value()});
    }
  }
  if (!hex_digest(parts[8])) return bad("the content digest is not 64 hex digits");
  code.content_digest = std::string(parts[8]);
  if (code.serial.empty() || code.region_code.empty() || code.key_id.empty())
    return bad("serial, region or key id is empty");
  const size_t bar = payload.rfind('|');
  code.signed_text = payload.substr(0, bar);
  code.signature = payload.substr(bar + 1);
  if (code.signature.empty()) return bad("no signature");
  return code;
}

Result<Keyring> Keyring::from_signed_json(const std::string& text, const Sm2Key& anchor,
                                          const std::vector<std::string>& regions) {
  if (text.size() > kMaxKeyringBytes)
    return Error{Completion::kInvalidData, "keyring larger than 256 KiB"};
  auto document = verify_signed_json(text, anchor);
  if (!document) return Error{document.code(), "keyring: " + document.error().message};
  json j = parse_json(document.value());
  if (!j.is_object() || j.value("format", "") != "smzc-keyring/1" || !j.contains("issuers") ||
      !j["issuers"].is_array())
    return Error{Completion::kInvalidData, "keyring: not an smzc-keyring/1 document"};
  if (j["issuers"].size() > kMaxKeyringEntries)
    return Error{Completion::kInvalidData, "keyring: more than 256 issuers"};
  Keyring ring;
  ring.version_ = j.value("version", "");
  for (const auto& e : j["issuers"]) {
    IssuerKey k;
    try {
      k.region_code = e.at("region_code").get<std::string>();
      k.name = e.value("name", "");
      k.key_id = e.at("key_id").get<std::string>();
      k.public_key_pem = e.at("public_key").get<std::string>();
      const std::string status = e.value("status", "active");
      if (status != "active" && status != "revoked")
        return Error{Completion::kInvalidData, "keyring: status \"" + status + "\" of " +
                                                   k.region_code + " is not active|revoked"};
      k.revoked = status == "revoked";
      k.revoked_at = e.value("revoked_at", "");
    } catch (const json::exception&) {
      return Error{Completion::kInvalidData,
                   "keyring: an issuer lacks region_code, key_id or "
                   "public_key"};
    }
    if (!regions.empty() &&
        std::find(regions.begin(), regions.end(), k.region_code) == regions.end())
      return Error{Completion::kInvalidData,
                   "keyring: lists region " + k.region_code + ", which its backend does not own"};
    auto key = Sm2Key::from_pem(k.public_key_pem);
    if (!key)
      return Error{Completion::kInvalidData,
                   "keyring: key of " + k.region_code + ": " + key.error().message};
    if (key->key_id() != k.key_id)
      return Error{Completion::kInvalidData,
                   "keyring: key id of " + k.region_code + " does not match its key"};
    ring.keys_.push_back(std::move(k));
  }
  return ring;
}

std::string Keyring::to_json(const std::vector<IssuerKey>& keys, const std::string& version,
                             const std::string& issued_at) {
  json issuers = json::array();
  for (const auto& k : keys) {
    json e = {{"region_code", k.region_code},
              {"name", k.name},
              {"key_id", k.key_id},
              {"public_key", k.public_key_pem},
              {"status", k.revoked ? "revoked" : "active"}};
    if (k.revoked) e["revoked_at"] = k.revoked_at;
    issuers.push_back(std::move(e));
  }
  return json{{"format", "smzc-keyring/1"},
              {"version", version},
              {"issued_at", issued_at},
              {"issuers", issuers}}
      .dump();
}

void Keyring::merge(const Keyring& other) {
  for (const auto& k : other.keys_) {
    auto same = std::find_if(keys_.begin(), keys_.end(), [&k](const IssuerKey& mine) {
      return mine.region_code == k.region_code && mine.key_id == k.key_id;
    });
    if (same == keys_.end())
      keys_.push_back(k);
    else if (k.revoked)
      *same = k;
  }
}

Result<Sm2Key> Keyring::key_for(const std::string& region_code, const std::string& key_id,
                                std::string* reason) const {
  for (const auto& k : keys_) {
    if (k.region_code != region_code || k.key_id != key_id) continue;
    if (k.revoked) {
      if (reason) *reason = "revoked";
      return Error{Completion::kInvalidData, "the issuer key " + key_id + " of region " +
                                                 region_code + " was revoked " + k.revoked_at};
    }
    return Sm2Key::from_pem(k.public_key_pem);
  }
  if (reason) *reason = "unknown-issuer";
  return Error{Completion::kInvalidData,
               "no issuer key " + key_id + " is known for region " + region_code};
}

Verification verify_code(const std::string& payload, const Keyring& keyring) {
  auto code = parse_verify_code(payload);
  if (!code) return refused("malformed", code.error().message);
  std::string reason;
  auto key = keyring.key_for(code->region_code, code->key_id, &reason);
  if (!key) return refused(reason, key.error().message, code.value());
  if (!key->verify(code->signed_text, code->signature))
    return refused("bad-signature", "the signature does not verify with the issuer's key",
                   code.value());
  return {true, "", "genuine", std::move(code.value())};
}

Verification verify_certificate_json(const std::string& text, const Keyring& keyring,
                                     Certificate* out) {
  auto certificate = parse_certificate(text);
  if (!certificate) return refused("malformed", certificate.error().message);
  // The QR payload's signature binds the content digest, and the digest binds every printed
  // member: so content that was changed shows as content-altered even when the payload is whole.
  Verification result = verify_code(certificate->verify_payload, keyring);
  if (result.genuine && (result.code.content_digest != content_digest(certificate.value()) ||
                         result.code.serial != certificate->serial ||
                         result.code.region_code != certificate->region_code ||
                         result.code.document_type != certificate->document_type ||
                         result.code.reprint != certificate->reprint))
    result = refused("content-altered", "the certificate's content does not match its code",
                     result.code);
  if (!result.genuine) {
    certificate->wipe();
    return result;
  }
  // A document signature, when there is one (there is, as a backend issues it), must hold too.
  json j = parse_json(text);
  if (j.contains("signature")) {
    std::string reason;
    const std::string key_id =
        j["signature"].is_object() ? j["signature"].value("key_id", "") : std::string();
    auto key = keyring.key_for(j.value("region_code", ""), key_id, &reason);
    if (!key) {
      certificate->wipe();
      return refused(reason, key.error().message, result.code);
    }
    if (auto document = verify_signed_json(text, key.value()); !document) {
      certificate->wipe();
      return refused("bad-signature",
                     "the certificate's signature does not verify with its issuer's key (" +
                         document.error().message + ")",
                     result.code);
    }
  }
  certificate->signed_by = result.code.key_id;
  if (out)
    *out = std::move(certificate.value());
  else
    certificate->wipe();
  return result;
}

}  // namespace smzc::certs
