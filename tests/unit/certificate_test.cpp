#include "certs/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/sample_certificate.h"
#include "tests/support/test_support.h"

namespace smzc::certs {
namespace {

Certificate sample() {
  return testing::sample_certificate();
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
