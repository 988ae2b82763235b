#include "services/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

TEST(LogFields, ReadTheTransactionTheDeviceAndTheErrorAMessageNames) {
  EXPECT_EQ(log_fields("transaction T1795506013627-0001c461: citizen 440605********2315 "
                       "identified by card"),
            (LogFields{"T1795506013627-0001c461", "", ""}));
  EXPECT_EQ(log_fields("device printer (printer): hardwareError, paperOut — stopped"),
            (LogFields{"", "printer", "hardwareError"}));
  EXPECT_EQ(log_fields("transaction T1-2 failed at print: timeout"),
            (LogFields{"T1-2", "", "timeout"}));
  // Parts of other words are not fields.
  EXPECT_EQ(log_fields("subtransaction x; nodevice y; timeouts z"), LogFields{});
}

TEST(JournalFields, CarryThePriorityTheTerminalAndWhatTheMessageNames) {
  const auto fields = journal_fields("warning", "device reader (idcard): timeout", "kiosk", "T-9");
  const std::vector<std::string> expected = {"MESSAGE=device reader (idcard): timeout",
                                             "PRIORITY=4",
                                             "SYSLOG_IDENTIFIER=kiosk",
                                             "SMZC_TERMINAL=T-9",
                                             "SMZC_DEVICE=reader",
                                             "SMZC_ERROR=timeout"};
  EXPECT_EQ(fields, expected);
  EXPECT_EQ(journal_fields("error", "x", "kiosk", "T")[1], "PRIORITY=3");
  EXPECT_EQ(journal_fields("info", "x", "kiosk", "T")[1], "PRIORITY=6");
}

TEST(LogFile, IsWrittenRotatedAndReadBackNewestLast) {
  testing::TempDir dir;
  auto previous = spdlog::default_logger();
  start_logging(dir / "logs", "kiosk", "SMZC-TEST-0001", /*echo=*/false);
  // More than one file's worth: the oldest lines rotate out, the newest stay readable.
  const std::string padding(200, '.');
  const int count = static_cast<int>(kLogFileBytes / 200) + 2000;
  for (int i = 0; i < count; ++i) spdlog::info("line {} device printer {}", i, padding);
  spdlog::warn("transaction T42-abc: the last one");
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(previous);

  EXPECT_TRUE(std::filesystem::exists(dir / "logs/kiosk.1.log"));
  const auto last = read_logs(dir / "logs", "kiosk", 3);
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[2].level, "warning");
  EXPECT_EQ(last[2].message, "transaction T42-abc: the last one");
  EXPECT_EQ(last[2].fields.transaction, "T42-abc");
  EXPECT_EQ(last[1].fields.device, "printer");
  EXPECT_NE(last[1].message.find("line " + std::to_string(count - 1) + " "), std::string::npos);
  // Across the files, in order.
  const auto all = read_logs(dir / "logs", "kiosk", 1000000);
  EXPECT_GT(all.size(), static_cast<size_t>(count / 2));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const LogLine& a, const LogLine& b) { return a.at < b.at; }));
}

TEST(LogFile, LinesThatAreNotLogLinesAreSkipped) {
  EXPECT_FALSE(parse_log_line("garbage"));
  EXPECT_FALSE(parse_log_line("[2026-11-24 07:40:13.627] [info"));  // torn by a power cut
  auto ok = parse_log_line("[2026-11-24 07:40:13.627] [error] device reader (idcard): timeout");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at, "2026-11-24 07:40:13.627");
  EXPECT_EQ(ok->fields.error, "timeout");
}

}  // namespace
}  // namespace smzc::services
