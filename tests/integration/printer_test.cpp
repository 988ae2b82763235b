// The printer driver against a real IPP Everywhere printer: CUPS's ippeveprinter.
#include <gtest/gtest.h>

#include "certs/certificate.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
#include "tests/support/test_support.h"

namespace smzc::printer {
namespace {

class PrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = IppEvePrinter::start({.spool_dir = dir_ / "spool"});
    ASSERT_TRUE(sim) << sim.error().message;
    sim_ = std::move(sim.value());
    certs::Certificate c;
    c.serial = "TEST-0001";
    c.title = "测试凭证";
    c.issuer = "测试部门";
    c.issued_at = "2026-11-22";
    c.verify_payload = "TEST-0001";
    ASSERT_TRUE(certs::render_pdf(c, dir_ / "doc.pdf"));
  }

  testing::TempDir dir_;
  std::unique_ptr<IppEvePrinter> sim_;
};

TEST_F(PrinterTest, ReportsAnIdlePrinterThatTakesPdf) {
  auto status = IppPrinter(sim_->uri()).status();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->state, DeviceState::kOnline);
  EXPECT_EQ(status->ipp_state, "idle");
  EXPECT_TRUE(status->reasons.empty());
  EXPECT_NE(std::find(status->formats.begin(), status->formats.end(), "application/pdf"),
            status->formats.end());
}

TEST_F(PrinterTest, PrintsAJobToCompletedAndTheSpooledDocumentIsOurs) {
  IppPrinter printer(sim_->uri());
  auto id = printer.submit(dir_ / "doc.pdf", "TEST-0001");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, "completed");
  auto docs = sim_->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(testing::read_file(docs[0]), testing::read_file(dir_ / "doc.pdf"));
}

TEST_F(PrinterTest, MissingDocumentIsRefusedBeforeAnyJob) {
  auto id = IppPrinter(sim_->uri()).submit(dir_ / "nope.pdf", "x");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.code(), Completion::kInvalidData);
  EXPECT_TRUE(sim_->received_documents().empty());
}

TEST(PrinterUnreachable, ClosedPortIsDeviceNotReady) {
  auto port = find_free_loopback_port();
  ASSERT_TRUE(port);
  auto status =
      IppPrinter("ipp://127.0.0.1:" + std::to_string(port.value()) + "/ipp/print").status();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), Completion::kDeviceNotReady);
}

TEST(PrinterUnreachable, NonIppUriIsInvalidData) {
  auto status = IppPrinter("http://127.0.0.1/printer").status();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), Completion::kInvalidData);
}

}  // namespace
}  // namespace smzc::printer
