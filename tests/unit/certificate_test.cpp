#include "certs/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cairo.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "backend/documents.h"
#include "base/text.h"
#include "certs/render.h"
#include "certs/template.h"
#include "certs/verify_code.h"
#include "tests/support/sample_certificate.h"
#include "tests/support/test_support.h"

namespace smzc::certs {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

Certificate sample() {
  return testing::sample_certificate();
}

Template layout(const std::string& name) {
  auto t = load_template(name);
  EXPECT_TRUE(t) << t.error().message;
  return t.value();
}

// pdftotext's output without any whitespace: a value that pango wrapped over two lines is
// still found whole.
std::string squeezed(const std::string& text) {
  std::string out;
  for (char ch : text)
    if (!std::isspace(static_cast<unsigned char>(ch))) out += ch;
  return out;
}

std::string squeezed_pdf_text(const std::filesystem::path& pdf) {
  return squeezed(testing::pdf_text(pdf));
}

int pdf_pages(const std::filesystem::path& pdf) {
  std::smatch m;
  const std::string info = testing::run("pdfinfo '" + pdf.string() + "'");
  return std::regex_search(info, m, std::regex("Pages: +([0-9]+)")) ? std::stoi(m[1]) : -1;
}

TEST(Certificate, JsonRoundTrips) {
  Certificate c = sample();
  c.reprint = 2;
  auto back = parse_certificate(to_json(c));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->serial, c.serial);
  EXPECT_EQ(back->holder_id_number, c.holder_id_number);
  EXPECT_EQ(back->table_rows, c.table_rows);
  EXPECT_EQ(back->fields[0].value, "正常参保");
  EXPECT_EQ(back->reprint, 2);
  EXPECT_EQ(back->document_type, "social-insurance-contributions");
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
  json j = json::parse(to_json(sample()));
  j["reprint"] = 100;
  EXPECT_EQ(parse_certificate(j.dump()).code(), Completion::kInvalidData);
}

TEST(Certificate, TheCanonicalContentLeavesOutWhatBelongsToACopy) {
  Certificate a = sample(), b = sample();
  b.reprint = 3;
  b.verify_payload = "SMZC2|other";
  EXPECT_EQ(content_digest(a), content_digest(b));
  b.table_rows[5][3] = "0.00";
  EXPECT_NE(content_digest(a), content_digest(b));
  EXPECT_EQ(content_digest(a).size(), 64u);
}

TEST(Template, EveryTemplateLoadsAndTheCatalogueNamesOnlyThese) {
  const auto names = template_names();
  EXPECT_GE(names.size(), 20u);
  for (const auto& name : names) {
    auto t = load_template(name);
    ASSERT_TRUE(t) << name << ": " << t.error().message;
    EXPECT_FALSE(t->document.empty()) << name;
  }
  const json catalogue =
      json::parse(testing::read_file(testing::source_dir() / "backend/data/catalogue.json"));
  for (const auto& item : catalogue["items"]) {
    const std::string name = item["output"].value("template", "");
    EXPECT_TRUE(std::find(names.begin(), names.end(), name) != names.end())
        << item["code"] << " names template \"" << name << "\", which does not exist";
  }
}

TEST(Template, MistakesAreNamedByTheirKey) {
  testing::TempDir dir;
  auto error = [&](const std::string& text) {
    auto t = parse_template(text, dir.path());
    return t ? std::string("accepted") : t.error().message;
  };
  EXPECT_THAT(error(R"({"name":"x","table":{"colour":"red"}})"), HasSubstr("table.colour"));
  EXPECT_THAT(error(R"({"name":"x","fields":{"columns":"two"}})"),
              HasSubstr("fields.columns has the wrong type"));
  EXPECT_THAT(error(R"({"name":"x","fields":{"columns":3}})"), HasSubstr("fields.columns"));
  EXPECT_THAT(error(R"({"name":"x","qr":{"size_mm":5}})"), HasSubstr("qr.size_mm"));
  EXPECT_THAT(error(R"({"name":"x","page":{"size":"Letter"}})"), HasSubstr("page.size"));
  EXPECT_THAT(error(R"({"name":"x","extends":"../etc/passwd"})"), HasSubstr("not [a-z0-9-]"));
  EXPECT_THAT(error(R"({"name":"x","extends":"missing"})"), HasSubstr("missing"));
  EXPECT_THAT(error("[1]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(error(R"({"name":"x","format":"smzc-template/9"})"), HasSubstr("format"));
  EXPECT_EQ(error(R"({"name":"x"})"), "accepted");
}

// Each document type the reference catalogue issues, with the content the reference backend
// gives it, lays out with all its text; its QR code, read by zbarimg (an independent decoder)
// from a 300-dpi raster of the page, is a code that verifies.
class EveryTemplate : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryTemplate, RendersItsTextAndAReadableCodeThatVerifies) {
  const std::string type = GetParam();
  testing::TempDir dir;
  const json item = {{"code", "NH-XX-0001"},
                     {"department", "佛山市南海区政务服务数据管理局"},
                     {"region_code", "440605"}};
  const json applicant = {{"id_number", "440605199003072315"}, {"name", "陈晓明"}};
  const json common = json::array({{{"label", "申请编号"}, {"value", "A7Q2K9"}}});
  const json content = backend::document_content(type, item, applicant, "20261123", common);
  json doc = {{"serial", "NH-XX-20261123-000001"},
              {"document_type", type},
              {"item_code", "NH-XX-0001"},
              {"title", "测试文书"},
              {"issuer", "佛山市南海区政务服务数据管理局"},
              {"region_code", "440605"},
              {"issued_at", "2026-11-23T10:00:00+08:00"},
              {"holder", applicant},
              {"fields", content["fields"]}};
  if (content.contains("table")) doc["table"] = content["table"];
  auto c = parse_certificate(doc.dump());
  ASSERT_TRUE(c) << c.error().message;
  Template t = layout(type);
  auto issuer = Sm2Key::generate();
  ASSERT_TRUE(issuer);
  c->verify_payload = make_verify_code(c.value(), issuer.value(), t.key_fields).value();

  auto pages = render_pdf(c.value(), t, dir / "c.pdf");
  ASSERT_TRUE(pages) << pages.error().message;
  EXPECT_EQ(pdf_pages(dir / "c.pdf"), pages.value());
  const std::string text = squeezed_pdf_text(dir / "c.pdf");
  for (const std::string& expected :
       {std::string("测试文书"), c->serial, c->issuer, std::string("2026-11-23"),
        std::string("第1页共") + std::to_string(pages.value()) + "页"})
    EXPECT_THAT(text, HasSubstr(squeezed(expected))) << type;
  if (!t.holder_name_label.empty()) {
    EXPECT_THAT(text, HasSubstr(squeezed(t.holder_name_label + "陈晓明"))) << type;
    EXPECT_THAT(text, HasSubstr("440605199003072315")) << type;
  }
  for (const auto& f : c->fields) {
    EXPECT_THAT(text, HasSubstr(squeezed(f.label))) << type;
    EXPECT_THAT(text, HasSubstr(squeezed(f.value))) << type << " " << f.label;
  }
  for (const auto& column : c->table_columns) EXPECT_THAT(text, HasSubstr(squeezed(column)));
  for (const auto& row : c->table_rows)  // every row's first cell: nothing is dropped
    EXPECT_THAT(text, HasSubstr(squeezed(row[0]))) << type;
  for (const auto& note : t.notes) EXPECT_THAT(text, HasSubstr(squeezed(note).substr(0, 24)));

  // The code is on the last page.
  ASSERT_TRUE(render_png(c.value(), t, dir / "page.png", 300));
  const auto last = pages.value() == 1 ? dir / "page.png"
                                       : dir / ("page-" + std::to_string(pages.value()) + ".png");
  std::string decoded = testing::run("zbarimg --raw -q '" + last.string() + "'");
  while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
  EXPECT_EQ(decoded, c->verify_payload) << type;
  auto anchor = Sm2Key::generate();
  const IssuerKey key{
      "440605", "佛山市南海区", issuer->key_id(), issuer->public_pem().value(), false, ""};
  auto ring = Keyring::from_signed_json(
      sign_json(Keyring::to_json({key}, "1", "now"), anchor.value()).value(), anchor.value());
  ASSERT_TRUE(ring);
  EXPECT_TRUE(verify_code(decoded, ring.value()).genuine) << type;
}

std::vector<std::string> document_templates() {
  std::vector<std::string> names;
  for (const auto& n : template_names())
    if (n != "base") names.push_back(n);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Certificates, EveryTemplate, ::testing::ValuesIn(document_templates()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Render, ALongTableContinuesOverThreePagesWithNothingDropped) {
  testing::TempDir dir;
  Certificate c = sample();
  c.table_rows.clear();
  for (int i = 1; i <= 80; ++i) {
    char period[16];
    std::snprintf(period, sizeof period, "R%03d", i);
    c.table_rows.push_back({period, "职工养老保险", "5,284.00", "422.72", "739.76"});
  }
  auto pages = render_pdf(c, layout("social-insurance-contributions"), dir / "long.pdf");
  ASSERT_TRUE(pages) << pages.error().message;
  EXPECT_EQ(pages.value(), 3);
  EXPECT_EQ(pdf_pages(dir / "long.pdf"), 3);
  for (int page = 1; page <= 3; ++page) {
    const std::string text =
        squeezed(testing::run("pdftotext -q -f " + std::to_string(page) + " -l " +
                              std::to_string(page) + " '" + (dir / "long.pdf").string() + "' -"));
    EXPECT_THAT(text, HasSubstr("第" + std::to_string(page) + "页共3页"));
    EXPECT_THAT(text, HasSubstr("缴费年月"));  // the header repeats on every page
    EXPECT_THAT(text, HasSubstr("NH-SB-20261122-000042"));
  }
  const std::string all = squeezed_pdf_text(dir / "long.pdf");
  for (const auto& row : c.table_rows) EXPECT_THAT(all, HasSubstr(row[0]));
}

TEST(Render, AReprintSaysSoOnThePage) {
  testing::TempDir dir;
  Certificate c = sample();
  ASSERT_TRUE(render_pdf(c, layout("social-insurance-contributions"), dir / "original.pdf"));
  EXPECT_THAT(squeezed_pdf_text(dir / "original.pdf"), ::testing::Not(HasSubstr("补打")));
  c.reprint = 2;
  ASSERT_TRUE(render_pdf(c, layout("social-insurance-contributions"), dir / "again.pdf"));
  EXPECT_THAT(squeezed_pdf_text(dir / "again.pdf"), HasSubstr("补打第2次"));
}

TEST(Render, EmbedsItsFontsAndNoImages) {
  testing::TempDir dir;
  ASSERT_TRUE(render_pdf(sample(), layout("social-insurance-contributions"), dir / "c.pdf"));
  const std::string fonts = testing::run("pdffonts '" + (dir / "c.pdf").string() + "'");
  EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << "a font is not embedded:\n" << fonts;
  // The seal and the code are vector graphics: the page holds no image at all.
  const std::string images = testing::run("pdfimages -list '" + (dir / "c.pdf").string() + "'");
  EXPECT_EQ(std::count(images.begin(), images.end(), '\n'), 2) << images;  // the header only
}

TEST(Render, CarriesTheSignedDataAsAnAttachment) {
  testing::TempDir dir;
  const std::string data = to_json(sample());
  ASSERT_TRUE(render_pdf(sample(), layout("social-insurance-contributions"), dir / "c.pdf", data));
  auto back = read_attachment(dir / "c.pdf");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), data);
  // poppler sees it too, as an embedded file of that name.
  EXPECT_THAT(testing::run("pdfdetach -list '" + (dir / "c.pdf").string() + "'"),
              HasSubstr("certificate.json"));
  ASSERT_TRUE(render_pdf(sample(), layout("social-insurance-contributions"), dir / "bare.pdf"));
  EXPECT_FALSE(read_attachment(dir / "bare.pdf"));
  EXPECT_FALSE(read_attachment(dir / "none.pdf"));
}

// Counts the seal's red: strongly red pixels in a gray-free RGB raster.
size_t red_pixels(const std::filesystem::path& png) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
  size_t red = 0;
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const uint32_t p = reinterpret_cast<const uint32_t*>(data + y * stride)[x];
      if (((p >> 16) & 0xff) > 170 && ((p >> 8) & 0xff) < 110 && (p & 0xff) < 110) ++red;
    }
  cairo_surface_destroy(s);
  return red;
}

TEST(Render, TheSealIsRedAndOnlyWhereTheTemplateWantsOne) {
  testing::TempDir dir;
  Template with = layout("social-insurance-contributions");
  ASSERT_TRUE(render_png(sample(), with, dir / "sealed.png", 72));
  Template without = with;
  without.seal.present = false;
  ASSERT_TRUE(render_png(sample(), without, dir / "bare.png", 72));
  EXPECT_GT(red_pixels(dir / "sealed.png"), 400u);
  EXPECT_EQ(red_pixels(dir / "bare.png"), 0u);
}

TEST(Render, TheSealCodeIsTheRegionAndSevenDigits) {
  const std::string code = seal_code("440605", "佛山市南海区社会保险基金管理局");
  EXPECT_EQ(code.size(), 13u);
  EXPECT_EQ(code.substr(0, 6), "440605");
  EXPECT_EQ(code, seal_code("440605", "佛山市南海区社会保险基金管理局"));
  EXPECT_NE(code, seal_code("440605", "佛山市南海区不动产登记中心"));
}

// Golden rasters: a change that moves the layout shows as more than a sliver of pixels that
// differ. SMZC_UPDATE_GOLDEN=1 writes new goldens (look at them before committing).
class Golden : public ::testing::TestWithParam<std::string> {};

// The luma of every pixel of a PNG (cairo reads it).
std::vector<uint8_t> luma(const std::filesystem::path& png, int& width, int& height) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
  std::vector<uint8_t> out;
  width = cairo_image_surface_get_width(s);
  height = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  for (int y = 0; data && y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const uint32_t p = reinterpret_cast<const uint32_t*>(data + y * stride)[x];
      out.push_back(static_cast<uint8_t>(
          (((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114) / 1000));
    }
  cairo_surface_destroy(s);
  return out;
}

TEST_P(Golden, TheRasterMatchesItsGoldenWithinASmallTolerance) {
  const std::string name = GetParam();
  testing::TempDir dir;
  Certificate c = sample();
  c.document_type = name;
  c.verify_payload = "SMZC2|golden";  // a fixed code: signatures differ on every run
  ASSERT_TRUE(render_png(c, layout(name), dir / "page.png", 100));
  const auto golden = testing::source_dir() / "tests/data/golden" / (name + ".png");
  if (std::getenv("SMZC_UPDATE_GOLDEN"))
    std::filesystem::copy_file(dir / "page.png", golden,
                               std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing";
  int w = 0, h = 0, gw = 0, gh = 0;
  const auto page = luma(dir / "page.png", w, h);
  const auto expected = luma(golden, gw, gh);
  ASSERT_EQ(w, gw);
  ASSERT_EQ(h, gh);
  size_t differ = 0;
  for (size_t i = 0; i < page.size(); ++i)
    if (std::abs(int(page[i]) - int(expected[i])) > 64) ++differ;
  EXPECT_LT(differ, page.size() / 500)  // 0.2 %
      << differ << " of " << page.size() << " pixels differ from " << golden;
}

INSTANTIATE_TEST_SUITE_P(Certificates, Golden,
                         ::testing::Values("social-insurance-contributions", "business-licence",
                                           "receipt"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Render, UnwritablePathIsAnError) {
  EXPECT_FALSE(render_pdf(sample(), layout("generic"), "/proc/no-such-dir/c.pdf"));
  EXPECT_FALSE(render_png(sample(), layout("generic"), "/proc/no-such-dir/c.png", 72));
}

}  // namespace
}  // namespace smzc::certs
