#include "certs/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace smzc::certs {
namespace {

Certificate sample() {
  Certificate c;
  c.serial = "NH-SB-20261122-000042";
  c.item_code = "NH-SB-0001";
  c.title = "社会保险参保缴费凭证";
  c.issuer = "佛山市南海区社会保险基金管理局";
  c.region_code = "440605";
  c.issued_at = "2026-11-22T10:00:00+0800";
  c.holder_name = "陈晓明";
  c.holder_id_number = "440605199003072315";
  c.fields = {{"参保状态", "正常参保"}};
  c.table_columns = {"缴费年月", "险种"};
  c.table_rows = {{"202611", "职工养老保险"}};
  c.verify_payload = "SMZC1|NH-SB-20261122-000042|440605";
  return c;
}

TEST(Certificate, JsonRoundTrips) {
  Certificate c = sample();
  auto back = parse_certificate(to_json(c));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->serial, c.serial);
  EXPECT_EQ(back->holder_id_number, c.holder_id_number);
  EXPECT_EQ(back->table_rows, c.table_rows);
  EXPECT_EQ(back->fields[0].value, "正常参保");
}

TEST(Certificate, MissingFieldIsNamed) {
  auto r = parse_certificate(R"({"serial":"X","item_code":"Y"})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kInvalidData);
  EXPECT_NE(r.error().message.find("title"), std::string::npos);
}

TEST(Certificate, NotJsonIsInvalidData) {
  EXPECT_EQ(parse_certificate("<html>").code(), Completion::kInvalidData);
  EXPECT_EQ(parse_certificate("[1,2]").code(), Completion::kInvalidData);
}

TEST(Certificate, RendersOnePageA4WithItsText) {
  testing::TempDir dir;
  ASSERT_TRUE(render_pdf(sample(), dir / "c.pdf"));
  const std::string info = testing::run("pdfinfo '" + (dir / "c.pdf").string() + "'");
  EXPECT_THAT(info, ::testing::ContainsRegex("Pages: +1\n"));
  EXPECT_THAT(info, ::testing::HasSubstr("595.276 x 841.89 pts (A4)"));
  const std::string text = testing::pdf_text(dir / "c.pdf");
  EXPECT_NE(text.find("社会保险参保缴费凭证"), std::string::npos) << text;
  EXPECT_NE(text.find("NH-SB-20261122-000042"), std::string::npos);
  EXPECT_NE(text.find("佛山市南海区社会保险基金管理局"), std::string::npos);
}

TEST(Certificate, EmbedsItsFonts) {
  testing::TempDir dir;
  ASSERT_TRUE(render_pdf(sample(), dir / "c.pdf"));
  const std::string fonts = testing::run("pdffonts '" + (dir / "c.pdf").string() + "'");
  EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << "a font is not embedded:\n" << fonts;
}

TEST(Certificate, UnwritablePathIsAnError) {
  EXPECT_FALSE(render_pdf(sample(), "/proc/no-such-dir/c.pdf"));
}

}  // namespace
}  // namespace smzc::certs
