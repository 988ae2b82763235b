// The kiosk binary as systemd runs it (Type=notify, WatchdogSec): with NOTIFY_SOCKET naming a
// real datagram socket it says READY=1 once its window is up, pings WATCHDOG=1, and on SIGTERM says
// STOPPING=1 and exits 0. Its devices are absent, as on a terminal whose reader is unplugged:
// it comes up all the same.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <set>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/process.h"
#include "certs/signing.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

// The next datagram on `fd`, or "" when none comes within `within_ms` (a deadline, not a pause).
std::string next_notification(int fd, int within_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, within_ms) != 1) return "";
  char buf[512];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

TEST(KioskService, NotifiesReadyPingsTheWatchdogAndStopsCleanlyOnSigterm) {
  testing::TempDir dir;
  auto issuer = certs::Sm2Key::generate();
  ASSERT_TRUE(issuer);
  std::ofstream(dir / "issuer.pem") << issuer->public_pem().value();
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"terminal_id", "SMZC-SVC-0001"},
      {"backend_url", "http://127.0.0.1:1"},
      {"devices",
       {{{"id", "reader"},
         {"kind", "idcard"},
         {"driver", "sam"},
         {"address", (dir / "no-reader").string()}},
        {{"id", "printer"},
         {"kind", "printer"},
         {"driver", "ipp"},
         {"address", "ipp://127.0.0.1:1/ipp/print"}}}},
      {"journal", (dir / "journal.db").string()},
      {"work_dir", (dir / "work").string()},
      {"log_dir", (dir / "logs").string()},
      {"catalogue_cache", (dir / "catalogue.json").string()},
      {"forward_queue", (dir / "queue.db").string()},
      {"data_key", (dir / "data.key").string()},
      {"certificate_key",
       (dir / "issuer.pem").string()}}.dump();
  const std::string socket_path = (dir / "notify").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  auto kiosk = ChildProcess::start({.argv = {(testing::bin_dir() / "kiosk").string(), "--config",
                                             (dir / "kiosk.json").string(), "--windowed"},
                                    .log_path = dir / "kiosk.log",
                                    .env = {"NOTIFY_SOCKET=" + socket_path, "WATCHDOG_USEC=200000",
                                            "QT_QPA_PLATFORM=offscreen"}});
  ASSERT_TRUE(kiosk) << kiosk.error().message;
  EXPECT_EQ(next_notification(fd, 30000), "READY=1") << testing::read_file(dir / "kiosk.log");
  EXPECT_EQ(next_notification(fd, 30000), "WATCHDOG=1");
  EXPECT_EQ(next_notification(fd, 30000), "WATCHDOG=1");

  // One kiosk per journal: a second one on the same configuration refuses and says why.
  auto second = ChildProcess::start({.argv = {(testing::bin_dir() / "kiosk").string(), "--config",
                                              (dir / "kiosk.json").string(), "--windowed"},
                                     .log_path = dir / "second.log",
                                     .env = {"QT_QPA_PLATFORM=offscreen"}});
  ASSERT_TRUE(second) << second.error().message;
  auto refused = second->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(refused) << "a second kiosk kept running";
  EXPECT_EQ(refused.value(), 1);
  EXPECT_NE(testing::read_file(dir / "second.log").find("another kiosk is already running"),
            std::string::npos)
      << testing::read_file(dir / "second.log");

  ::kill(kiosk->pid(), SIGTERM);
  std::string last;
  while ((last = next_notification(fd, 30000)) == "WATCHDOG=1") {
  }
  EXPECT_EQ(last, "STOPPING=1");
  auto status = kiosk->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(status) << "the kiosk did not exit after SIGTERM";
  EXPECT_EQ(status.value(), 0) << testing::read_file(dir / "kiosk.log");
  ::close(fd);

  // Its log file, read back by kioskctl logs with each line's fields: the absent printer's
  // line names its device and error; a filter by device shows that device's lines only.
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";
  const auto printer_lines = nlohmann::json::parse(
      testing::run(testing::bin_dir().string() + "/kioskctl logs --json --device printer" + config),
      nullptr, false);
  ASSERT_TRUE(printer_lines.is_array() && !printer_lines.empty())
      << testing::read_file(dir / "logs/kiosk.log");
  for (const auto& line : printer_lines) EXPECT_EQ(line.at("device"), "printer") << line.dump();
  EXPECT_NE(printer_lines.at(0).at("message").get<std::string>().find("device printer"),
            std::string::npos);
  const auto warnings =
      nlohmann::json::parse(testing::run(testing::bin_dir().string() +
                                         "/kioskctl logs --json --level warning -n 3" + config),
                            nullptr, false);
  ASSERT_TRUE(warnings.is_array());
  EXPECT_LE(warnings.size(), 3u);
  for (const auto& line : warnings) EXPECT_NE(line.at("level"), "info") << line.dump();

  // kiosk --screenshot: the same terminal's attract screen as a PNG of the window's size, in
  // English and elderly mode, and the program ends by itself.
  auto shot = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "kiosk").string(), "--config", (dir / "kiosk.json").string(),
                "--screenshot", (dir / "attract.png").string(), "--lang", "en", "--elderly"},
       .log_path = dir / "shot.log"});
  ASSERT_TRUE(shot) << shot.error().message;
  auto shot_status = shot->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(shot_status) << "kiosk --screenshot did not end";
  EXPECT_EQ(shot_status.value(), 0) << testing::read_file(dir / "shot.log");
  const std::string png = testing::read_file(dir / "attract.png");
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  const auto be32 = [&png](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 1280u);  // IHDR width and height
  EXPECT_GE(be32(20), 800u);

  // Other screens, with sample data and nothing of any citizen: each a picture of its own.
  std::set<std::string> pictures = {png};
  for (const char* screen :
       {"read_card", "choose_item", "form", "camera", "applications", "done", "error"}) {
    const auto file = dir / (std::string(screen) + ".png");
    auto other =
        ChildProcess::start({.argv = {(testing::bin_dir() / "kiosk").string(), "--config",
                                      (dir / "kiosk.json").string(), "--screenshot", file.string(),
                                      "--screen", screen, "--lang", "zh-HK"},
                             .log_path = dir / "shot.log"});
    ASSERT_TRUE(other) << other.error().message;
    auto status = other->wait_for(std::chrono::seconds(30));
    ASSERT_TRUE(status) << "kiosk --screenshot --screen " << screen << " did not end";
    EXPECT_EQ(status.value(), 0) << screen << ": " << testing::read_file(dir / "shot.log");
    const std::string picture = testing::read_file(file);
    EXPECT_EQ(picture.substr(1, 3), "PNG") << screen;
    EXPECT_TRUE(pictures.insert(picture).second) << screen << " looks like another screen";
  }
}

}  // namespace
}  // namespace smzc
