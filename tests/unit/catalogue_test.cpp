#include <gtest/gtest.h>

#include "services/catalogue.h"

namespace smzc::services {
namespace {

ServiceItem item_with_form() {
  ServiceItem item;
  item.form = {{"phone", "联系电话", "phone", true, "", ""},
               {"child_id", "子女身份证号", "id_number", true, "", ""},
               {"company", "公司名称", "text", false, "^.{2,50}$", ""}};
  return item;
}

TEST(Form, RequiredFieldsMustBeFilled) {
  using K = Problem::Kind;
  EXPECT_EQ(check_form(item_with_form(), {}),
            (std::vector<Problem>{{K::kRequired, "phone", "联系电话"},
                                  {K::kRequired, "child_id", "子女身份证号"}}));
}

TEST(Form, EachTypeAndPatternIsChecked) {
  const auto problems =
      check_form(item_with_form(),
                 {{"phone", "23812345678"}, {"child_id", "440605199003072316"}, {"company", "X"}});
  using K = Problem::Kind;
  EXPECT_EQ(problems, (std::vector<Problem>{{K::kMalformed, "phone", "联系电话"},
                                            {K::kMalformed, "child_id", "子女身份证号"},
                                            {K::kMalformed, "company", "公司名称"}}));
  EXPECT_TRUE(check_form(item_with_form(), {{"phone", "13812345678"},
                                            {"child_id", "440605199003072315"},
                                            {"company", "南海科技有限公司"}})
                  .empty());
}

TEST(Form, ABrokenPatternInTheCatalogueAcceptsNothing) {
  ServiceItem item;
  item.form = {{"x", "X", "text", true, "([", ""}};
  EXPECT_EQ(check_form(item, {{"x", "anything"}}),
            (std::vector<Problem>{{Problem::Kind::kMalformed, "x", "X"}}));
}

TEST(Catalogue, VersionsCompareNumberByNumber) {
  EXPECT_LT(compare_versions("2026.11.9", "2026.11.10"), 0);
  EXPECT_GT(compare_versions("2026.12.1", "2026.11.30"), 0);
  EXPECT_EQ(compare_versions("2026.11.3", "2026.11.3"), 0);
  EXPECT_LT(compare_versions("2026.11", "2026.11.1"), 0);
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

TEST(Catalogue, OpeningHoursIncludeTheStartAndExcludeTheEnd) {
  ServiceItem item;
  item.hours = "08:30-17:30";
  EXPECT_FALSE(item.open_at("08:29"));
  EXPECT_TRUE(item.open_at("08:30"));
  EXPECT_TRUE(item.open_at("17:29"));
  EXPECT_FALSE(item.open_at("17:30"));
  item.hours = "00:00-24:00";
  EXPECT_TRUE(item.open_at("00:00"));
  EXPECT_TRUE(item.open_at("23:59"));
  item.hours = "22:00-06:00";
  EXPECT_TRUE(item.open_at("23:30"));
  EXPECT_TRUE(item.open_at("05:59"));
  EXPECT_FALSE(item.open_at("06:00"));
  EXPECT_FALSE(item.open_at("21:59"));
}

TEST(Catalogue, MalformedHoursAreNamed) {
  auto cat = parse_catalogue(
      R"({"version":"1","items":[{"code":"X-1","names":{"zh-CN":"x"},"region_code":"440605",
          "hours":"8:30-17:30"}]})");
  ASSERT_FALSE(cat);
  EXPECT_NE(cat.error().message.find("X-1 has hours \"8:30-17:30\""), std::string::npos)
      << cat.error().message;
}

TEST(Catalogue, ASiteOffersOnlyItemsWhoseDevicesItHas) {
  ServiceItem scan;
  scan.region_code = "440605";
  scan.devices = {"idcard", "scanner"};
  SiteProfile site;
  EXPECT_FALSE(offered_at(scan, site));
  site.devices.push_back("scanner");
  EXPECT_TRUE(offered_at(scan, site));
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// A form pattern with a counted repetition beyond 1,000 is refused with the catalogue, naming the
// item and field: std::regex overflows on {99999999999999999999} (found by the catalogue fuzzer).
TEST(Catalogue, AFormPatternThatRepeatsBeyondAThousandIsRefused) {
  auto with = [](const std::string& pattern) {
    return parse_catalogue(
        R"({"version":"1","items":[{"code":"X-1","names":{"zh-CN":"x"},"region_code":"440605",)"
        R"("form":[{"name":"phone","pattern":")" +
        pattern + R"("}]}]})");
  };
  for (const char* bad : {"^1[3-9][0-9]{99999999999999999999}$", "a{1001}", "a{2,5000}"}) {
    auto cat = with(bad);
    ASSERT_FALSE(cat) << bad;
    EXPECT_NE(cat.error().message.find("item X-1, field phone"), std::string::npos)
        << cat.error().message;
  }
  for (const char* fine : {"^1[3-9][0-9]{9}$", "a{2,1000}", "\\\\{99999}"})
    EXPECT_TRUE(with(fine)) << fine;
}

}  // namespace
}  // namespace smzc::services
