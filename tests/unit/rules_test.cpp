#include "backend/rules.h"

#include <gtest/gtest.h>

#include "services/catalogue.h"

namespace smzc::backend {
namespace {

using nlohmann::json;

std::vector<std::string> codes(const std::vector<RuleReason>& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(r.code);
  return out;
}

const json kResident = {{"id_number", "440605199003072315"}, {"valid_to", "20400115"}};

TEST(Rules, AValidResidentPassesAPlainItem) {
  json item = {{"identity_documents", {"resident"}}, {"rules", {{"id_valid", true}}}};
  EXPECT_TRUE(check_rules(item, kResident, "20261122").empty());
}

TEST(Rules, ExpiredAndInvalidCardsAreNamed) {
  json item = {{"identity_documents", {"resident"}}};
  json expired = kResident;
  expired["valid_to"] = "20200101";
  EXPECT_EQ(codes(check_rules(item, expired, "20261122")), std::vector<std::string>{"expired-id"});
  json bad = kResident;
  bad["id_number"] = "440605199003072316";
  EXPECT_EQ(codes(check_rules(item, bad, "20261122")), std::vector<std::string>{"invalid-id"});
}

TEST(Rules, AgeLimitsUseTheBirthDateInTheNumber) {
  json old_age = {{"rules", {{"min_age", 70}}}};
  EXPECT_EQ(codes(check_rules(old_age, kResident, "20261122")),
            std::vector<std::string>{"too-young"});
  json youth = {{"rules", {{"max_age", 25}}}};
  EXPECT_EQ(codes(check_rules(youth, kResident, "20261122")), std::vector<std::string>{"too-old"});
  EXPECT_EQ(age_on("19900307", "20260306"), 35);
  EXPECT_EQ(age_on("19900307", "20260307"), 36);
  EXPECT_EQ(age_on("bad", "20260307"), -1);
}

TEST(Rules, ResidenceComesFromTheRegionCode) {
  json local = {{"rules", {{"residence_prefix", "4406"}}}};
  EXPECT_TRUE(check_rules(local, kResident, "20261122").empty());
  json elsewhere = {{"rules", {{"residence_prefix", "4502"}}}};
  EXPECT_EQ(codes(check_rules(elsewhere, kResident, "20261122")),
            std::vector<std::string>{"not-resident"});
}

TEST(Rules, ScannedMaterialsMustComeAlongButELicencesAreFetched) {
  json item = {{"materials",
                {{{"name", "lease"}, {"label", "租房合同"}, {"source", "scan"}, {"required", true}},
                 {{"name", "licence"}, {"source", "elicense"}, {"required", true}}}}};
  // The library has this resident's licence: the platform finds it even without a reference.
  auto reasons = check_rules(item, kResident, "20261122");
  ASSERT_EQ(codes(reasons), std::vector<std::string>{"missing-material"});
  EXPECT_EQ(reasons[0].message, "缺少材料：租房合同");
  json with = kResident;
  with["materials"] = {"lease"};
  auto reference = elicense_reference(kResident["id_number"], "licence");
  ASSERT_TRUE(reference);
  with["elicenses"] = {{"licence", *reference}};
  EXPECT_TRUE(check_rules(item, with, "20261122").empty());
  // A reference the library did not issue is no licence; a scan stands in for one.
  with["elicenses"] = {{"licence", "EL-licence-0123456789ab"}};
  EXPECT_EQ(codes(check_rules(item, with, "20261122")),
            std::vector<std::string>{"missing-material"});
  with["materials"] = {"lease", "licence"};
  EXPECT_TRUE(check_rules(item, with, "20261122").empty());
}

TEST(Rules, RequiredFormFieldsMustBeFilledIn) {
  json item = {{"form",
                {{{"name", "phone"}, {"label", "联系电话"}, {"required", true}},
                 {{"name", "note"}, {"required", false}}}}};
  auto reasons = check_rules(item, kResident, "20261122");
  ASSERT_EQ(codes(reasons), std::vector<std::string>{"missing-field"});
  EXPECT_EQ(reasons[0].message, "未填写：联系电话");
  json with = kResident;
  with["form"] = {{"phone", "13812345678"}};
  EXPECT_TRUE(check_rules(item, with, "20261122").empty());
}

TEST(Rules, DocumentTypesAreChecked) {
  json item = {{"identity_documents", {"hk-mo-tw-residence-permit"}}};
  EXPECT_EQ(codes(check_rules(item, kResident, "20261122")),
            std::vector<std::string>{"document-not-accepted"});
}

}  // namespace
}  // namespace smzc::backend

namespace smzc::services {
namespace {

ServiceItem item(const std::string& code, const std::string& region, const std::string& scope) {
  ServiceItem i;
  i.code = code;
  i.region_code = region;
  i.scope = scope;
  return i;
}

TEST(SiteProfile, OffersOwnItemsAndPartnersNonLocalOnes) {
  SiteProfile hall{.region_code = "440605", .partner_regions = {"450204"}};
  EXPECT_TRUE(offered_at(item("A", "440605", "local"), hall));
  EXPECT_TRUE(offered_at(item("B", "450204", "cross-province"), hall));
  EXPECT_FALSE(offered_at(item("C", "450204", "local"), hall));
  EXPECT_FALSE(offered_at(item("D", "430624", "cross-province"), hall));
}

TEST(SiteProfile, ABankPointOffersItsSubset) {
  SiteProfile bank{
      .kind = "bank", .region_code = "440605", .only_items = {"A"}, .hidden_items = {"B"}};
  EXPECT_TRUE(offered_at(item("A", "440605", "local"), bank));
  EXPECT_FALSE(offered_at(item("B", "440605", "local"), bank));
  EXPECT_FALSE(offered_at(item("E", "440605", "local"), bank));
}

TEST(Catalogue, MistypedFieldIsNamed) {
  auto c = parse_catalogue(R"({"version": "1", "items": [{"code": 7}]})");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.code(), Completion::kInvalidData);
  EXPECT_FALSE(parse_catalogue("[]"));
}

}  // namespace
}  // namespace smzc::services
