// The headless demo, end to end: smzc-demo (the kiosk shell) on simulated devices, a real
// ippeveprinter and the reference backend as its own process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/process.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

// The processes whose parent is `pid`, from /proc.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string status = testing::read_file(entry.path() / "status");
    const auto at = status.find("\nPPid:\t");
    if (at != std::string::npos && std::atoi(status.c_str() + at + 7) == pid)
      children.push_back(std::stoi(name));
  }
  return children;
}

// Stopped mid-run by SIGTERM (as by Ctrl-C in a terminal), the demo stops the printer simulator
// and the backend it started: none of them outlives it.
// Someone else at the camera with the citizen's card: refused three times on the terminal,
// nothing applied for, nothing printed.
TEST(HeadlessDemo, AnImpostorIsRefusedAndNothingIsApplied) {
  testing::TempDir dir;
  const auto out = dir / "demo-out";
  auto kiosk = ChildProcess::start({.argv = {(testing::bin_dir() / "smzc-demo").string(),
                                             "--headless", "--impostor", "--out", out.string()},
                                    .log_path = dir / "kiosk.log",
                                    .env = {"QT_QPA_PLATFORM=offscreen"}});
  ASSERT_TRUE(kiosk) << kiosk.error().message;
  auto waited = kiosk->wait_for(std::chrono::minutes(2));
  ASSERT_TRUE(waited) << waited.error().message;
  const std::string log = testing::read_file(dir / "kiosk.log");
  ASSERT_EQ(waited.value(), 0) << log << testing::read_file(out / "summary.json");
  auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary["status"], "failed");
  EXPECT_EQ(summary["step"], "face_check");
  EXPECT_EQ(summary["notice"], "face_not_matched");
  EXPECT_EQ(summary["face_check"]["decision"], "not-matched");
  EXPECT_EQ(summary["face_check"]["comparisons"]["local"]["result"], "not-matched");
  EXPECT_EQ(summary["face_check"]["comparisons"]["platform"]["result"], "not-asked");
  EXPECT_EQ(summary["face_check"]["attempts"], 3);
  EXPECT_TRUE(summary["application_id"].get<std::string>().empty());
  EXPECT_FALSE(std::filesystem::exists(out / "certificate.pdf"));
}

TEST(HeadlessDemo, StoppedBySigtermItLeavesNothingRunning) {
  testing::TempDir dir;
  auto demo = ChildProcess::start({.argv = {(testing::bin_dir() / "smzc-demo").string(),
                                            "--headless", "--out", (dir / "out").string()},
                                   .log_path = dir / "demo.log",
                                   .env = {"QT_QPA_PLATFORM=offscreen"}});
  ASSERT_TRUE(demo) << demo.error().message;
  // Its two helpers up (a deadline bounds a broken build, nothing is timed).
  std::vector<pid_t> helpers;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (helpers.size() < 2 && demo->running() && std::chrono::steady_clock::now() < deadline)
    helpers = children_of(demo->pid());
  ASSERT_GE(helpers.size(), 2u) << "the demo did not start its printer and backend, or ended first"
                                << testing::read_file(dir / "demo.log");
  ::kill(demo->pid(), SIGTERM);
  auto status = demo->wait_for(std::chrono::seconds(60));
  ASSERT_TRUE(status) << "the demo did not stop on SIGTERM";
  for (pid_t helper : helpers) {
    // A helper still running, or a zombie nobody reaped, is left behind.
    const std::string state = testing::read_file("/proc/" + std::to_string(helper) + "/status");
    EXPECT_TRUE(state.empty()) << "process " << helper << " outlived the demo:\n" << state;
  }
}

TEST(HeadlessDemo, PrintsTheCertificateAndWritesASummary) {
  testing::TempDir dir;
  const auto out = dir / "demo-out";
  auto kiosk = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "smzc-demo").string(), "--headless", "--out", out.string()},
       .log_path = dir / "kiosk.log",
       .env = {"QT_QPA_PLATFORM=offscreen"}});
  ASSERT_TRUE(kiosk) << kiosk.error().message;
  auto waited = kiosk->wait_for(std::chrono::minutes(2));
  ASSERT_TRUE(waited) << waited.error().message;
  const int rc = waited.value();
  const std::string log = testing::read_file(dir / "kiosk.log");
  ASSERT_EQ(rc, 0) << log << testing::read_file(out / "summary.json");

  auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary["status"], "printed");
  // Identified by the card; the 户籍证明 checked the face first, against the chip photo and the
  // register photo, after a challenge the recorded citizen followed.
  EXPECT_EQ(summary["item_code"], "NH-GA-0001");
  EXPECT_EQ(summary["print_job_state"], "completed");
  EXPECT_FALSE(summary["transaction_id"].get<std::string>().empty());
  for (const char* step : {"read_card", "identify", "face_check", "apply", "approve",
                           "fetch_certificate", "render", "print"})
    EXPECT_TRUE(summary["timings_ms"].contains(step)) << step;

  const std::string text = testing::pdf_text(out / "certificate.pdf");
  EXPECT_NE(text.find("户籍证明"), std::string::npos) << text;
  // The printed PDF carries its signed data and checks genuine against the trusted keyring;
  // the code on the page, read by an independent decoder, is the one the data carries.
  EXPECT_EQ(summary["certificate_check"], "genuine");
  const auto& face = summary["face_check"];
  EXPECT_EQ(face["decision"], "matched");
  EXPECT_EQ(face["comparisons"]["local"]["result"], "matched");
  EXPECT_EQ(face["comparisons"]["platform"]["result"], "matched");
  EXPECT_LE(face["score"].get<double>(), face["threshold"].get<double>());
  EXPECT_TRUE(face["liveness"]["passed"].get<bool>());
  EXPECT_EQ(face["liveness"]["followed"], 2);
  EXPECT_THAT(testing::run("pdfdetach -list '" + (out / "certificate.pdf").string() + "'"),
              ::testing::HasSubstr("certificate.json"));

  for (const char* screen :
       {"1-attract", "2-read_card", "3-choose_item", "4-progress", "5-camera", "7-done"})
    EXPECT_TRUE(std::filesystem::exists(out / "screens" / (std::string(screen) + ".png")))
        << screen;
  // Personal data stays out of the logs.
  EXPECT_EQ(log.find("440605199003072315"), std::string::npos);
  EXPECT_EQ(testing::read_file(out / "backend.log").find("440605199003072315"), std::string::npos);

  // The diagnostics bundle of the terminal the demo ran: everything a vendor is sent, and nothing
  // of the citizen: no full ID number, birth date, name or address.
  std::ofstream(dir / "kiosk.json")
      << nlohmann::json{{"terminal_id", "SMZC-DEMO-0001"},
                        {"backend_url", "http://127.0.0.1:1"},
                        {"devices", nlohmann::json::array()},
                        {"journal", (out / "journal.db").string()},
                        {"forward_queue", (out / "queue.db").string()},
                        {"data_key", (out / "data.key").string()},
                        {"catalogue_cache", (out / "catalogue.json").string()},
                        {"certificate_key", (out / "issuer-public.pem").string()}}
             .dump();
  const std::string bundled = testing::run("'" + (testing::bin_dir() / "kioskctl").string() +
                                           "' bundle -o '" + (dir / "bundle.tar.gz").string() +
                                           "' --config '" + (dir / "kiosk.json").string() + "'");
  ASSERT_TRUE(std::filesystem::exists(dir / "bundle.tar.gz")) << bundled;
  std::filesystem::create_directories(dir / "unpacked");
  testing::run("tar -xzf '" + (dir / "bundle.tar.gz").string() + "' -C '" +
               (dir / "unpacked").string() + "'");
  std::string everything;
  for (const char* file :
       {"kiosk.json", "status.json", "journal.json", "queue.json", "versions.json", "kiosk.log"}) {
    const auto path = dir / "unpacked/smzc-bundle" / file;
    ASSERT_TRUE(std::filesystem::exists(path)) << file;
    everything += testing::read_file(path);
  }
  EXPECT_NE(everything.find(summary["transaction_id"].get<std::string>()), std::string::npos);
  for (const char* personal : {"440605199003072315", "19900307", "陈晓明", "南海大道北88号"})
    EXPECT_EQ(everything.find(personal), std::string::npos) << personal;

  // What the screen lists, from the catalogue the demo terminal kept, checked against the
  // backend's issuing key; one item in full, in English.
  const std::string kioskctl = "'" + (testing::bin_dir() / "kioskctl").string() + "' ";
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";
  const auto listed = nlohmann::json::parse(
      testing::run(kioskctl + "catalogue show --json" + config), nullptr, false);
  ASSERT_TRUE(listed.is_object());
  EXPECT_GT(listed["items"].size(), 10u);
  const std::string startup =
      testing::run(kioskctl + "catalogue show NH-SC-0003 --language en" + config);
  EXPECT_NE(startup.find("NH-SC-0003  Start a business"), std::string::npos) << startup;
  EXPECT_NE(startup.find("field company_name (Company name, text, required)"), std::string::npos)
      << startup;
  // A kept catalogue changed on disk is refused, not shown.
  std::string kept = testing::read_file(out / "catalogue.json");
  const auto at = kept.find("Start a business");
  ASSERT_NE(at, std::string::npos);
  kept.replace(at, 5, "Stop!");
  std::ofstream(out / "catalogue.json", std::ios::trunc) << kept;
  const std::string tampered = testing::run(kioskctl + "catalogue show" + config + " 2>&1");
  EXPECT_EQ(tampered.find("NH-SC-0003"), std::string::npos) << tampered;
  EXPECT_NE(tampered.find("kioskctl:"), std::string::npos) << tampered;
}

}  // namespace
}  // namespace smzc
