#include "kiosk/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_support.h"

namespace smzc::kiosk {
namespace {

Result<Config> load(const std::string& text) {
  static testing::TempDir dir;
  std::ofstream(dir / "kiosk.json") << text;
  return load_config(dir / "kiosk.json");
}

TEST(Config, ReadsEveryKey) {
  auto c = load(R"({"terminal_id": "NH-GC-0007", "backend_url": "http://10.0.0.5:8080",
                    "printer_uri": "ipp://localhost/printers/cert", "reader_port": "usb",
                    "reader_baud": 9600, "journal": "/var/lib/smzc/j.db", "work_dir": "/run/x",
                    "print_fault_policy": "hold"})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->terminal_id, "NH-GC-0007");
  EXPECT_EQ(c->reader_port, "usb");
  EXPECT_EQ(c->reader_baud, 9600);
  EXPECT_EQ(c->print_fault_policy, "hold");
}

TEST(Config, ReadsTheSiteAndItsPartners) {
  auto c = load(R"({"site": {"kind": "bank", "region_code": "440605",
                             "partner_regions": ["450204"], "only_items": ["NH-SB-0001"],
                             "branding": "某某银行"},
                    "partners": {"450204": {"backend_url": "http://10.1.0.5:8080",
                                            "certificate_key": "/etc/smzc/liunan.pem"}}})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site.kind, "bank");
  EXPECT_EQ(c->site.only_items, std::vector<std::string>{"NH-SB-0001"});
  ASSERT_EQ(c->partners.count("450204"), 1u);
  EXPECT_EQ(c->partners.at("450204").backend_url, "http://10.1.0.5:8080");
}

TEST(Config, APartnerOutsideTheSiteIsAnError) {
  auto c = load(R"({"partners": {"450204": {"backend_url": "http://x", "certificate_key": "k"}}})");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("partner 450204"), std::string::npos);
}

TEST(Config, DefaultsFillWhatIsLeftOut) {
  auto c = load("{}");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->reader_baud, 115200);
  EXPECT_EQ(c->print_fault_policy, "cancel");
}

TEST(Config, UnknownKeyIsNamed) {
  auto c = load(R"({"printer": "ipp://x"})");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown key \"printer\""), std::string::npos);
}

TEST(Config, WrongTypeIsAnError) {
  auto c = load(R"({"reader_baud": "fast"})");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.code(), Completion::kInvalidData);
}

TEST(Config, BadPolicyAndNotJsonAreErrors) {
  EXPECT_FALSE(load(R"({"print_fault_policy": "ignore"})"));
  EXPECT_FALSE(load("reader_port=/dev/ttyS0"));
  EXPECT_FALSE(load_config("/nonexistent/kiosk.json"));
}

}  // namespace
}  // namespace smzc::kiosk
