// kioskctl as a technician runs it: the real binary, its exit codes and its output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "drivers/common/process.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

struct CliRun {
  int rc;
  std::string out;
};

CliRun kioskctl(const std::string& args) {
  testing::TempDir dir;
  const auto out = dir / "out";
  int status = std::system(("'" + (testing::bin_dir() / "kioskctl").string() + "' " + args + " >'" +
                            out.string() + "' 2>&1")
                               .c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::read_file(out)};
}

const std::filesystem::path kFrame =
    testing::source_dir() / "tests/fuzz/corpus/frame/read-resident.bin";

TEST(KioskctlIdcard, DecodeMasksPersonalDataByDefault) {
  CliRun r = kioskctl("idcard decode --json '" + kFrame.string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["id_number"], "440605********2315");
  EXPECT_EQ(j["name"], "陈**");
  EXPECT_EQ(j["address"], "广东省佛山市****");
  EXPECT_EQ(j["id_number_valid"], true);
  EXPECT_EQ(j["nation"], "汉");
}

TEST(KioskctlIdcard, DecodeRevealsOnRequest) {
  CliRun r = kioskctl("idcard decode --json --reveal '" + kFrame.string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["id_number"], "440605199003072315");
}

TEST(KioskctlIdcard, TruncatedFrameExitsTwoWithOneLine) {
  testing::TempDir dir;
  std::string bytes = testing::read_file(kFrame).substr(0, 600);
  std::ofstream(dir / "cut.bin", std::ios::binary) << bytes;
  CliRun r = kioskctl("idcard decode '" + (dir / "cut.bin").string() + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "kioskctl: truncated frame: 600 of 1295 bytes\n");
}

TEST(KioskctlIdcard, CorruptFrameExitsTwoWithOneLine) {
  testing::TempDir dir;
  std::string bytes = testing::read_file(kFrame);
  bytes[500] ^= 0x01;
  std::ofstream(dir / "bad.bin", std::ios::binary) << bytes;
  CliRun r = kioskctl("idcard decode '" + (dir / "bad.bin").string() + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "kioskctl: checksum mismatch\n");
}

TEST(KioskctlIdcard, ReadsACardFromItsOwnSimulator) {
  auto sim = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "kioskctl").string(), "idcard", "sim", "--card",
                (testing::source_dir() / "drivers/idcard/sim/cards/permit-hk.json").string()},
       .capture_stdout = true});
  ASSERT_TRUE(sim) << sim.error().message;
  auto line = sim->read_line(std::chrono::seconds(10));
  ASSERT_TRUE(line) << line.error().message;
  ASSERT_EQ(line->rfind("port: ", 0), 0u) << line.value();
  CliRun r = kioskctl("idcard read --json --port " + line->substr(6));
  ASSERT_EQ(r.rc, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["type"], "hk-mo-tw-residence-permit");
  EXPECT_EQ(j["id_number"], "810000********4519");
  EXPECT_EQ(j["pass_number"], "*********");  // too short to keep any of it
}

TEST(KioskctlIdcard, NoReaderExitsOne) {
  CliRun r = kioskctl("idcard read --port /dev/smzc-no-such-reader");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("cannot open /dev/smzc-no-such-reader"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace smzc
