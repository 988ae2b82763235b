#include "certs/verify_code.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/sample_certificate.h"

namespace smzc::certs {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

Sm2Key fresh_key() {
  auto key = Sm2Key::generate();
  EXPECT_TRUE(key) << key.error().message;
  return std::move(key.value());
}

IssuerKey entry(const std::string& region, const Sm2Key& key, bool revoked = false) {
  return {region,       "佛山市南海区",
          key.key_id(), key.public_pem().value(),
          revoked,      revoked ? "2026-11-20T09:00:00+08:00" : ""};
}

// A keyring as a backend serves it: the issuers' keys under the backend's own (anchor) key.
Keyring ring_of(const std::vector<IssuerKey>& keys, const Sm2Key& anchor,
                const std::string& version = "1") {
  auto signed_json =
      sign_json(Keyring::to_json(keys, version, "2026-11-23T09:00:00+08:00"), anchor);
  EXPECT_TRUE(signed_json);
  auto ring = Keyring::from_signed_json(signed_json.value(), anchor);
  EXPECT_TRUE(ring) << ring.error().message;
  return ring.value();
}

struct Issued {
  Sm2Key issuer = fresh_key();
  Sm2Key anchor = fresh_key();
  Certificate certificate = testing::sample_certificate();
  std::string json_text;  // signed, as a backend serves it

  Issued() {
    certificate.document_type = "social-insurance-contributions";
    certificate.verify_payload = make_verify_code(certificate, issuer, {"参保状态"}).value();
    json_text = sign_json(to_json(certificate), issuer).value();
  }
  Keyring ring(bool revoked = false) const {
    return ring_of({entry("440605", issuer, revoked)}, anchor);
  }
};

TEST(VerifyCode, CarriesTheDocumentMaskedFieldsAndTheContentDigest) {
  Issued issued;
  const std::string& code = issued.certificate.verify_payload;
  auto parsed = parse_verify_code(code);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->serial, "NH-SB-20261122-000042");
  EXPECT_EQ(parsed->document_type, "social-insurance-contributions");
  EXPECT_EQ(parsed->region_code, "440605");
  EXPECT_EQ(parsed->key_id, issued.issuer.key_id());
  EXPECT_EQ(parsed->issued_at, "2026-11-22T10:00:00+0800");
  EXPECT_EQ(parsed->reprint, 0);
  EXPECT_EQ(parsed->content_digest, content_digest(issued.certificate));
  ASSERT_EQ(parsed->fields.size(), 3u);
  EXPECT_EQ(parsed->fields[0].value, "陈**");
  EXPECT_EQ(parsed->fields[1].value, "440605********2315");
  EXPECT_EQ(parsed->fields[2].label, "参保状态");
  // The full number, and the birth date the mask hides, are nowhere in the code.
  EXPECT_THAT(code, Not(HasSubstr("440605199003072315")));
  EXPECT_THAT(code, Not(HasSubstr("19900307")));
  EXPECT_THAT(code, Not(HasSubstr("陈晓明")));
  EXPECT_LT(code.size(), 400u);
}

TEST(VerifyCode, SeparatorsInsideValuesAreEscaped) {
  Issued issued;
  issued.certificate.serial = "A|B;C=D%E";
  auto code = make_verify_code(issued.certificate, issued.issuer);
  ASSERT_TRUE(code);
  auto parsed = parse_verify_code(code.value());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->serial, "A|B;C=D%E");
  EXPECT_TRUE(verify_code(code.value(), issued.ring()).genuine);
}

TEST(VerifyCode, GenuineWithTheIssuersKey) {
  Issued issued;
  const auto v = verify_code(issued.certificate.verify_payload, issued.ring());
  EXPECT_TRUE(v.genuine) << v.message;
  EXPECT_EQ(v.reason, "");
}

TEST(VerifyCode, EachWayOfForgingItHasItsReason) {
  Issued issued;
  const std::string code = issued.certificate.verify_payload;
  // A field changed on the paper's code.
  std::string altered = code;
  altered.replace(altered.find("正常参保"), std::string("正常参保").size(), "暂停参保");
  EXPECT_EQ(verify_code(altered, issued.ring()).reason, "bad-signature");
  // The same content signed by someone else's key, claiming the issuer's key id.
  Sm2Key forger = fresh_key();
  const std::string body = code.substr(0, code.rfind('|'));
  EXPECT_EQ(verify_code(body + "|" + forger.sign(body).value(), issued.ring()).reason,
            "bad-signature");
  // Another issuer (its own key, but no keyring lists it).
  auto by_forger = make_verify_code(issued.certificate, forger);
  EXPECT_EQ(verify_code(by_forger.value(), issued.ring()).reason, "unknown-issuer");
  // The issuing key was revoked.
  EXPECT_EQ(verify_code(code, issued.ring(true)).reason, "revoked");
  // Another region claimed.
  std::string moved = code;
  moved.replace(moved.find("|440605|"), 8, "|440103|");
  EXPECT_EQ(verify_code(moved, issued.ring()).reason, "unknown-issuer");
  // Not a code at all, cut, or too long.
  EXPECT_EQ(verify_code("https://example.invalid/", issued.ring()).reason, "malformed");
  EXPECT_EQ(verify_code(code.substr(0, 60), issued.ring()).reason, "malformed");
  EXPECT_EQ(verify_code(code + std::string(2000, 'A'), issued.ring()).reason, "malformed");
  EXPECT_EQ(verify_code("SMZC1|NH-SB-1|x|y|z|sig", issued.ring()).reason, "malformed");
}

TEST(VerifyCertificate, TheDataMatchesItsCode) {
  Issued issued;
  const auto v = verify_certificate_json(issued.json_text, issued.ring());
  EXPECT_TRUE(v.genuine) << v.reason << ": " << v.message;
}

TEST(VerifyCertificate, AlteredContentIsCaughtByTheDigest) {
  Issued issued;
  // Every printed member: change it and the digest in the (genuine) code no longer matches.
  const std::vector<std::function<void(json&)>> edits = {
      [](json& j) { j["table"]["rows"][3][3] = "0.00"; },
      [](json& j) { j["table"]["rows"].erase(0); },
      [](json& j) { j["fields"][0]["value"] = "暂停参保"; },
      [](json& j) { j["holder"]["name"] = "李四"; },
      [](json& j) { j["title"] = "无犯罪记录证明"; },
      [](json& j) { j["issuer"] = "佛山市南海区人民政府"; },
      [](json& j) { j["issued_at"] = "2027-01-01T00:00:00+0800"; },
      [](json& j) { j["reprint"] = 1; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    json j = json::parse(issued.json_text);
    j.erase("signature");  // the data as anyone could rewrite it
    edits[i](j);
    const auto v = verify_certificate_json(j.dump(), issued.ring());
    EXPECT_EQ(v.reason, "content-altered") << "edit " << i << ": " << v.message;
  }
}

TEST(VerifyCertificate, ASignatureThatDoesNotHoldIsRefused) {
  Issued issued;
  json j = json::parse(issued.json_text);
  j["signature"]["value"] = fresh_key().sign("x").value();
  EXPECT_EQ(verify_certificate_json(j.dump(), issued.ring()).reason, "bad-signature");
  EXPECT_EQ(verify_certificate_json("{not json", issued.ring()).reason, "malformed");
}

TEST(Keyring, IsTrustedOnlyUnderItsAnchor) {
  Issued issued;
  const std::string doc = Keyring::to_json({entry("440605", issued.issuer)}, "7", "now");
  auto by_anchor = sign_json(doc, issued.anchor).value();
  EXPECT_TRUE(Keyring::from_signed_json(by_anchor, issued.anchor));
  // Signed by another key, or altered after signing.
  EXPECT_FALSE(Keyring::from_signed_json(sign_json(doc, fresh_key()).value(), issued.anchor));
  json j = json::parse(by_anchor);
  j["issuers"][0]["status"] = "revoked";
  EXPECT_FALSE(Keyring::from_signed_json(j.dump(), issued.anchor));
  // A partner's backend vouches for its own region only.
  auto other = Keyring::from_signed_json(by_anchor, issued.anchor, {"450204"});
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message, HasSubstr("does not own"));
}

TEST(Keyring, AKeyIdThatDoesNotMatchItsKeyIsRefused) {
  Issued issued;
  IssuerKey lying = entry("440605", issued.issuer);
  lying.key_id = fresh_key().key_id();
  auto ring = Keyring::from_signed_json(
      sign_json(Keyring::to_json({lying}, "1", "now"), issued.anchor).value(), issued.anchor);
  ASSERT_FALSE(ring);
  EXPECT_THAT(ring.error().message, HasSubstr("does not match"));
}

TEST(Keyring, MergingKeepsARevocation) {
  Issued issued;
  Keyring ring = issued.ring(false);
  ring.merge(issued.ring(true));
  EXPECT_EQ(verify_code(issued.certificate.verify_payload, ring).reason, "revoked");
}

}  // namespace
}  // namespace smzc::certs
